"""Kazakhstan's 12-digit identification numbers (IIN for people, BIN for organisations) share
one check-digit rule: weights 1..11 over the first 11 digits, modulo 11; when that gives 10,
weights 3..11,1,2 instead; when that gives 10 again, the number is invalid."""

_FIRST = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_SECOND = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def kz_check_digit(first_eleven: str) -> int | None:
    """The check digit for 11 digits, or None when no valid number can end them."""
    digits = [int(c) for c in first_eleven]
    check = sum(w * d for w, d in zip(_FIRST, digits, strict=True)) % 11
    if check == 10:
        check = sum(w * d for w, d in zip(_SECOND, digits, strict=True)) % 11
    return None if check == 10 else check


def is_valid_kz_iin_bin(value: str) -> bool:
    """True when ``value`` is 12 digits whose last digit is the right check digit."""
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        return False
    return kz_check_digit(value[:11]) == int(value[11])
