import pytest

from server.settings import flag, number


def test_flags_from_environment_strings() -> None:
    assert flag("true", default=False) is True
    assert flag("FALSE", default=True) is False
    assert flag(None, default=True) is True
    assert flag(False, default=True) is False
    with pytest.raises(ValueError):
        flag("ture", default=False)


def test_numbers() -> None:
    assert number("2.5", default=1) == 2.5
    assert number(None, default=10) == 10
    with pytest.raises(ValueError):
        number("0", default=1)
