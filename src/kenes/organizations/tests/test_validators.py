import pytest
from django.core.exceptions import ValidationError

from kenes.common.identifiers import kz_check_digit
from kenes.organizations.validators import validate_kg_inn, validate_kz_bin, validate_registration_number


def make_bin(first_eleven: str) -> str:
    check = kz_check_digit(first_eleven)
    assert check is not None
    return f"{first_eleven}{check}"


@pytest.mark.parametrize("first_eleven", ["94034000057", "08014000123", "12345678901", "00000000001"])
def test_it_accepts_bins_with_the_right_check_digit(first_eleven):
    validate_kz_bin(make_bin(first_eleven))


def test_it_refuses_a_bin_with_a_wrong_check_digit():
    good = make_bin("94034000057")
    bad = good[:11] + str((int(good[11]) + 1) % 10)
    with pytest.raises(ValidationError) as exc:
        validate_kz_bin(bad)
    assert exc.value.code == "bin_check_digit"


@pytest.mark.parametrize(
    "value", ["12345678901", "1234567890123", "12345678901A", "١٢٣٤٥٦٧٨٩٠١٢", " 12345678901"]
)
def test_it_refuses_a_bin_of_the_wrong_shape(value):
    with pytest.raises(ValidationError) as exc:
        validate_kz_bin(value)
    assert exc.value.code == "bin_format"


def test_it_accepts_a_fourteen_digit_inn_and_refuses_others():
    validate_kg_inn("01234567890123")
    for value in ["0123456789012", "012345678901234", "0123456789012A"]:
        with pytest.raises(ValidationError):
            validate_kg_inn(value)


def test_it_checks_the_number_by_country_and_allows_blank():
    validate_registration_number("KZ", "")
    validate_registration_number("KG", "01234567890123")
    with pytest.raises(ValidationError):
        validate_registration_number("KZ", "01234567890123")
    with pytest.raises(ValidationError):
        validate_registration_number("KG", make_bin("94034000057"))
