"""Permissions and admin history of the former `transport` app now point to `planning`.

Django keys permissions and admin log entries by content type (app label + model). The
models moved from the `transport` app to `planning` with their tables; this renames
their content types, so existing permissions and history stay attached. On a new
database there is nothing to rename.
"""

from django.db import migrations

MODELS = ["planningrun", "publication", "route", "stop", "stoppassenger", "unserved"]


def transport_to_planning(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    taken = set(
        content_types.objects.filter(app_label="planning", model__in=MODELS).values_list(
            "model", flat=True
        )
    )
    content_types.objects.filter(app_label="transport", model__in=MODELS).exclude(
        model__in=taken
    ).update(app_label="planning")


def planning_to_transport(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    content_types.objects.filter(app_label="planning", model__in=MODELS).update(
        app_label="transport"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("planning", "0002_trigger_choices"),
    ]

    operations = [migrations.RunPython(transport_to_planning, planning_to_transport)]
