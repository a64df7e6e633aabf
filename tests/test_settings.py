import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list


def test_booleans_accept_the_usual_spellings_and_refuse_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FLAG", "Yes")
    assert env_bool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "0")
    assert env_bool("FLAG", True) is False
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured):
        env_bool("FLAG", False)


def test_numbers_and_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT_X", "twelve")
    with pytest.raises(ImproperlyConfigured):
        env_int("PORT_X", 1)
    monkeypatch.setenv("HOSTS_X", "a.example, b.example,,")
    assert env_list("HOSTS_X", []) == ["a.example", "b.example"]
    assert env_int("UNSET_X", 7) == 7
