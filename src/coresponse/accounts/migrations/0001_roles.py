"""One Django group per CoResponse role, so a fresh database has every role to grant."""

from django.db import migrations

ROLES = (
    "call_taker",
    "dispatcher",
    "police_officer",
    "social_worker",
    "supervisor",
    "analyst",
    "administrator",
)


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, remove_groups)]
