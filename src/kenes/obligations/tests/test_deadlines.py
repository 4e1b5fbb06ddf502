import datetime

import pytest

from kenes.obligations import deadlines, services
from kenes.obligations.models import DayType, DeadlineRule, Kind
from kenes.obligations.tests.factories import ObligationFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def test_it_ships_a_rule_for_every_kind_in_both_countries_with_its_legal_basis():
    rules = {(r.country, r.kind): r for r in DeadlineRule.objects.all()}
    assert set(rules) == {(country, kind) for country in ("KZ", "KG") for kind in Kind.values}
    kz, kg = rules[("KZ", Kind.APPEAL)], rules[("KG", Kind.APPEAL)]
    assert (kz.response_days, kz.day_type, kz.max_extensions, kz.extension_total_months) == (
        15,
        "working",
        1,
        2,
    )
    assert (kz.extension_notice_days, kz.redirect_days) == (3, 3)
    assert "art. 76" in kz.legal_basis
    assert (kg.response_days, kg.registration_days, kg.day_type) == (14, 1, "working")
    assert "No. 67" in kg.legal_basis and "10" in kg.legal_basis
    assert "Kenes default, not set by law" in rules[("KZ", Kind.PETITION)].legal_basis


def test_it_counts_working_days_across_nauryz_in_kazakhstan():
    # 20 Mar = 1; 23–25 Mar are days off (Nauryz); 26 Mar = 2 … 14 Apr = 15
    assert services.deadline_for(country="KZ", kind=Kind.APPEAL, opened_on=D(2026, 3, 19)) == D(2026, 4, 14)


def test_it_counts_working_days_across_orozo_ait_and_nooruz_in_kyrgyzstan():
    # 20 Mar is Orozo ait, 21 Mar Nooruz on a Saturday; 23 Mar = 1 … 9 Apr = 14
    assert services.deadline_for(country="KG", kind=Kind.APPEAL, opened_on=D(2026, 3, 19)) == D(2026, 4, 9)


def test_it_follows_an_administrators_change_of_the_rule():
    DeadlineRule.objects.filter(country="KG", kind=Kind.APPEAL).update(response_days=10)
    # 23–27 Mar = 1–5, 30 Mar–3 Apr = 6–10
    assert deadlines.deadline_for("KG", Kind.APPEAL, D(2026, 3, 19)) == D(2026, 4, 3)


def test_it_moves_a_calendar_day_deadline_off_a_holiday_to_the_next_working_day():
    DeadlineRule.objects.filter(country="KZ", kind=Kind.OTHER).update(
        day_type=DayType.CALENDAR, response_days=4
    )
    # 19 Mar + 4 calendar days = Monday 23 Mar, a Nauryz day off; 24 and 25 too → Thursday 26 Mar
    assert deadlines.deadline_for("KZ", Kind.OTHER, D(2026, 3, 19)) == D(2026, 3, 26)


def test_it_falls_back_to_the_rule_for_other_and_then_to_a_built_in_rule():
    DeadlineRule.objects.filter(country="KZ", kind=Kind.GRANT_COMPLAINT).delete()
    DeadlineRule.objects.filter(country="KZ", kind=Kind.OTHER).update(response_days=5)
    assert deadlines.deadline_for("KZ", Kind.GRANT_COMPLAINT, D(2026, 4, 1)) == D(2026, 4, 8)
    DeadlineRule.objects.filter(country="KZ").delete()
    assert deadlines.deadline_for("KZ", Kind.APPEAL, D(2026, 3, 19)) == D(2026, 4, 14)


def test_it_limits_a_kazakh_extension_to_two_months_from_the_opening():
    obligation = ObligationFactory(country="KZ", opened_on=D(2026, 3, 19), deadline=D(2026, 4, 14))
    assert deadlines.extension_limit(obligation) == D(2026, 5, 19)


def test_it_moves_an_extension_limit_off_a_day_off():
    obligation = ObligationFactory(country="KZ", opened_on=D(2026, 3, 11), deadline=D(2026, 4, 3))
    assert deadlines.extension_limit(obligation) == D(2026, 5, 12)  # 11 May is a day off (Victory Day moved)


def test_it_limits_a_kyrgyz_extension_to_extra_days_after_the_original_deadline():
    obligation = ObligationFactory(country="KG", opened_on=D(2026, 3, 19), deadline=D(2026, 4, 9))
    obligation.deadline = D(2026, 4, 20)  # an extension does not move the limit
    assert deadlines.extension_limit(obligation) == D(
        2026, 5, 11
    )  # 9 Apr + 30 days = Saturday 9 May → Monday 11 May


def test_it_applies_the_earlier_limit_when_both_are_set_and_none_when_no_extension_is_allowed():
    rule = DeadlineRule.objects.get(country="KZ", kind=Kind.APPEAL)
    obligation = ObligationFactory(country="KZ", opened_on=D(2026, 3, 19), deadline=D(2026, 4, 14))
    rule.extension_extra_days = 10
    assert deadlines.extension_limit(obligation, rule) == D(2026, 4, 24)
    rule.max_extensions = 0
    assert deadlines.extension_limit(obligation, rule) is None
    rule.max_extensions, rule.extension_extra_days, rule.extension_total_months = 1, None, None
    assert deadlines.extension_limit(obligation, rule) is None


def test_it_counts_working_days_left_including_after_the_deadline():
    obligation = ObligationFactory(country="KZ", opened_on=D(2026, 3, 19), deadline=D(2026, 4, 14))
    assert services.working_days_left(obligation=obligation, today=D(2026, 4, 9)) == 3
    assert services.working_days_left(obligation=obligation, today=D(2026, 4, 14)) == 0
    assert services.working_days_left(obligation=obligation, today=D(2026, 4, 16)) == -2
    friday = ObligationFactory(country="KZ", opened_on=D(2026, 4, 1), deadline=D(2026, 4, 10))
    assert services.working_days_left(obligation=friday, today=D(2026, 4, 11)) == -1  # Saturday after it


def test_it_adds_months_to_the_last_day_of_a_shorter_month():
    assert deadlines.add_months(D(2026, 12, 31), 2) == D(2027, 2, 28)
    assert deadlines.add_months(D(2026, 3, 19), 2) == D(2026, 5, 19)
