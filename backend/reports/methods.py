"""The methods note of every report (page, PDF, XLSX): what is counted how, in German.

Reports are documents for German funders and leadership: like the funders' forms they
are written in German only.
"""

METHODS: list[tuple[str, str]] = [
    (
        "Zeitraum",
        "Alle Zahlen beziehen sich auf die Tage von Beginn bis Ende des Zeitraums "
        "einschließlich (Ortszeit Europe/Berlin).",
    ),
    (
        "Reichweite",
        "Gezählt wird jedes Kind (und jede Familie) mit einer Teilnahme an einer Gruppe, "
        "die den Zeitraum berührt (dabei seit spätestens am letzten Tag, nicht vor dem "
        "ersten Tag ausgeschieden); jedes Kind einmal, auch bei mehreren Gruppen. Neu: die "
        "erste Teilnahme beginnt im Zeitraum. Ausgeschieden: die letzte Teilnahme endet "
        "im Zeitraum und keine läuft weiter. Alter am Ende des Zeitraums (höchstens heute) "
        "aus Geburtsjahr und -monat; Gemeinde ist der Wohnort der Familie.",
    ),
    (
        "Termine",
        "Stattgefunden: nicht abgesagte Termine, deren Beginn im Zeitraum liegt und schon "
        "vorbei ist. Abgesagt: abgesagte Termine im Zeitraum, mit dem angegebenen Grund.",
    ),
    (
        "Teilnahme",
        "Aus der Anwesenheit je Termin: angemeldete Anwesende sind die abgehakten "
        "Teilnehmer*innen; ohne Anmeldung sind die gezählten Kinder und Erwachsenen abzüglich "
        "der abgehakten. Personen je Termin teilt alle Gezählten durch die Termine mit "
        "Zählung; Termine ohne Zählung bleiben außen vor. Der Trend ist die Steigung der "
        "Monatsdurchschnitte (kleinste Quadrate), ab drei Monaten.",
    ),
    (
        "Fahrdienst",
        "Aus den veröffentlichten Tourenplänen, festgehalten je Tag und Gruppe bei jeder "
        "Veröffentlichung und Änderung. Eine Fahrt ist ein Kind in eine Richtung. Gefahrene "
        "Kinder werden je Fahrtag gezählt. Eine Tour, die Kinder mehrerer Gruppen fährt, "
        "wird nach deren Anteil an den Fahrten aufgeteilt.",
    ),
    (
        "Kosten",
        "Fahrzeugkosten: Kilometer der Tour × Kosten je km des Fahrzeugs. "
        "Fahrer*innenkosten: bei Ehrenamtlichen die Aufwandsentschädigung je Tour, sonst die "
        "Dauer der Tour (Start bis Ende) × Kosten je Stunde. Feste Kosten je Monat kommen "
        "anteilig für die Tage des Zeitraums bis heute hinzu (nicht im Bericht einer "
        "einzelnen Gruppe). Kosten je Kind: Kosten insgesamt ÷ gefahrene Kinder (je "
        "Fahrtag); je Fahrt: Kosten insgesamt ÷ Fahrten.",
    ),
    (
        "Nicht gefahren",
        "Kinder, deren Fahrtwunsch im veröffentlichten Plan nicht erfüllt werden konnte, je "
        "Fahrtag; die Gründe zählen die Fahrtwünsche nach Art des Grundes.",
    ),
    (
        "Datenschutz",
        "Der Bericht enthält keine Namen und keine Adressen. Für die Koordinierungsstelle "
        "zählen nur Träger, die mit ihr teilen; jede Anzahl unter 5 erscheint als „< 5“, "
        "Absagegründe und Gruppennamen erscheinen nicht.",
    ),
    (
        "Zugangswege und Bereiche",
        "Neue Familien: ihre erste Teilnahme an einer Gruppe des Berichts beginnt im "
        "Zeitraum; gezählt nach dem Zugangsweg, den die Fachkräfte bei der Aufnahme "
        "festhalten. Bereiche: Familien im Zeitraum, in deren Hilfeplan (mit Einwilligung) "
        "ein Angebot oder Partner des Bereichs steht; eine Familie zählt in jedem ihrer "
        "Bereiche einmal.",
    ),
]
