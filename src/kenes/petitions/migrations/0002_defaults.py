"""Default petition terms per country and level, and default signing limits (administrators
change both in the admin; petitions already submitted keep the terms they were given)."""

from django.db import migrations

NOT_LAW = "Kenes default, not set by law: check it and change it in the admin."

# country, level, threshold, months, verification level, legal basis
RULES = [
    ("KZ", "national", 50_000, 6, 2, "Kazakhstan's national e-petition: 50,000 signatures within six months."),
    ("KZ", "regional", 10_000, 3, 1, NOT_LAW),
    ("KZ", "local", 1_000, 3, 0, NOT_LAW),
    ("KG", "national", 10_000, 6, 2, NOT_LAW),
    ("KG", "regional", 3_000, 3, 1, NOT_LAW),
    ("KG", "local", 300, 3, 0, NOT_LAW),
]

# scope, at most, within seconds
LIMITS = [
    ("account", 10, 60),
    ("account", 200, 86_400),
    ("ip", 300, 60),
]


def create_defaults(apps, schema_editor):
    PetitionRule = apps.get_model("petitions", "PetitionRule")
    SigningLimit = apps.get_model("petitions", "SigningLimit")
    for country, level, threshold, months, verification, basis in RULES:
        PetitionRule.objects.get_or_create(
            country=country,
            level=level,
            defaults={
                "threshold": threshold,
                "duration_months": months,
                "min_verification_level": verification,
                "legal_basis": basis,
            },
        )
    for scope, most, seconds in LIMITS:
        SigningLimit.objects.get_or_create(
            scope=scope, window_seconds=seconds, defaults={"max_signatures": most}
        )


def remove_defaults(apps, schema_editor):
    apps.get_model("petitions", "PetitionRule").objects.all().delete()
    apps.get_model("petitions", "SigningLimit").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("petitions", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, remove_defaults)]
