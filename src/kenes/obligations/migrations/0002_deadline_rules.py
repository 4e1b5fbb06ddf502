"""The default deadline rules per country and kind, each with its legal basis (docs/obligations.md).

Administrators change them in the admin (they are DeadlineRule rows). Rows that already exist are
left alone, and reversing removes only the rows this migration would have created.
"""

from django.db import migrations

KZ_APPC = (
    "Administrative Procedural Code of the Republic of Kazakhstan of 29 June 2020 No. 350-VI, art. 76: "
    "an administrative procedure started by an appeal takes fifteen working days from its receipt; the "
    "head of the body (or a deputy) may extend it once by a reasoned decision for a reasonable time, "
    "to at most two months in all, telling the applicant within three working days of the extension; "
    "an appeal outside the body's competence is forwarded to the competent body within three working "
    "days of its receipt, telling the applicant at the same time."
)
KZ_DEFAULT = (
    "Kenes default, not set by law: the appeal terms of the Administrative Procedural Code of the "
    "Republic of Kazakhstan, art. 76 (15 working days, one extension to at most two months in all)."
)
KG_LAW67 = (
    'Law of the Kyrgyz Republic of 4 May 2007 No. 67 "On the procedure for considering appeals of '
    'citizens", art. 8: an appeal is registered within one working day of its receipt and considered '
    "within fourteen working days of its registration. An amendment cutting the term to ten working days "
    "was passed by the Jogorku Kenesh on 12 March 2026: when it takes effect, set the days to respond to 10 "
    "here. Extension: one extension of at most 30 calendar days from the original deadline, with notice to "
    "the applicant; this figure is the most conservative reading Kenes could support and was not confirmed "
    "against the official text (check cbd.minjust.gov.kg and correct it here)."
)
KG_DEFAULT = (
    "Kenes default, not set by law: the appeal terms of Law of the Kyrgyz Republic No. 67 of 4 May 2007, "
    "art. 8 (14 working days, one extension of at most 30 calendar days)."
)

KINDS = (
    "appeal",
    "petition",
    "consultation",
    "council_recommendation",
    "budget_review",
    "grant_complaint",
    "contest",
    "escalation",
    "other",
)


def _rules():
    for kind in KINDS:
        yield {
            "country": "KZ",
            "kind": kind,
            "response_days": 15,
            "day_type": "working",
            "max_extensions": 1,
            "extension_total_months": 2,
            "extension_extra_days": None,
            "extension_notice_days": 3,
            "redirect_days": 3,
            "registration_days": 1,
            "legal_basis": KZ_APPC if kind == "appeal" else KZ_DEFAULT,
        }
        yield {
            "country": "KG",
            "kind": kind,
            "response_days": 14,
            "day_type": "working",
            "max_extensions": 1,
            "extension_total_months": None,
            "extension_extra_days": 30,
            "extension_notice_days": 3,
            "redirect_days": 3,
            "registration_days": 1,
            "legal_basis": KG_LAW67 if kind == "appeal" else KG_DEFAULT,
        }


def add_rules(apps, schema_editor):
    DeadlineRule = apps.get_model("obligations", "DeadlineRule")
    for values in _rules():
        key = {"country": values.pop("country"), "kind": values.pop("kind")}
        DeadlineRule.objects.get_or_create(**key, defaults=values)


def remove_rules(apps, schema_editor):
    DeadlineRule = apps.get_model("obligations", "DeadlineRule")
    for values in _rules():
        DeadlineRule.objects.filter(country=values["country"], kind=values["kind"]).delete()


class Migration(migrations.Migration):
    dependencies = [("obligations", "0001_initial")]

    operations = [migrations.RunPython(add_rules, remove_rules)]
