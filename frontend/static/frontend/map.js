/* Draws every map on the page: <div data-map="ID"> with a JSON script element ID
 * (built by frontend/maps.py). Leaflet comes from the django-leaflet package. */
(function () {
  "use strict";

  function markerIcon(m) {
    var el = document.createElement("span");
    el.className = "map-pin map-pin-" + m.kind;
    el.textContent = m.text || "";
    if (m.colour) el.style.backgroundColor = m.colour;
    // A venue sits above and to the right of its place, so that the stop there stays visible.
    var anchor = m.kind === "venue" ? [-6, 34] : [13, 13];
    return L.divIcon({ className: "map-marker map-marker-" + m.kind, html: el, iconSize: [26, 26], iconAnchor: anchor });
  }

  function draw(el) {
    var source = document.getElementById(el.dataset.map);
    if (!source || typeof L === "undefined") return;
    var data = JSON.parse(source.textContent);
    var map = L.map(el, { scrollWheelZoom: false });
    if (data.tiles && data.tiles.url) {
      L.tileLayer(data.tiles.url, { attribution: data.tiles.attribution, maxZoom: 18 }).addTo(map);
    }
    var bounds = [];
    data.lines.forEach(function (line) {
      L.polyline(line.points, { color: line.colour, weight: 4, opacity: 0.85, className: "map-line" })
        .bindTooltip(line.label, { sticky: true })
        .addTo(map);
      bounds = bounds.concat(line.points);
    });
    data.markers.forEach(function (m) {
      var label = document.createElement("span");
      label.textContent = m.label;
      L.marker([m.lat, m.lon], { icon: markerIcon(m), title: m.label, alt: m.label, keyboard: true })
        .bindPopup(label)
        .addTo(map);
      bounds.push([m.lat, m.lon]);
    });
    if (bounds.length) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
    } else {
      map.setView([50.0, 6.5], 9);
    }
    el.dataset.ready = "true";
  }

  document.querySelectorAll("[data-map]").forEach(draw);
})();
