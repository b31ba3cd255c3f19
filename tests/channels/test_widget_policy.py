"""Which browser origins may open the widget's socket, and which session ids pass."""

import pytest

from channels.widget_policy import (
    is_issued,
    is_session_id,
    issue_session_id,
    origin_policy,
    session_id_or_new,
)

SERVER = {"HTTP_HOST": "chat.example.org", "wsgi.url_scheme": "https"}


@pytest.mark.parametrize(
    "origin",
    ["http://localhost:3000", "http://127.0.0.1:5005", "https://localhost", "http://[::1]:8080"],
)
def test_by_default_local_development_pages_may_connect(origin: str) -> None:
    assert origin_policy(None)(origin, SERVER)
    assert origin_policy("")(origin, SERVER)


@pytest.mark.parametrize(
    "origin",
    ["https://evil.example", "http://localhost.evil.example", "null", "file://", "ftp://localhost"],
)
def test_by_default_other_sites_may_not(origin: str) -> None:
    assert not origin_policy(None)(origin, SERVER)


def test_the_servers_own_pages_may_always_connect() -> None:
    listed = origin_policy("https://careers.example")
    assert listed("https://chat.example.org", SERVER)
    assert listed("HTTPS://Chat.Example.org/", SERVER)  # case and a trailing slash do not matter


def test_a_list_replaces_the_development_defaults() -> None:
    listed = origin_policy(" https://careers.example , https://www.careers.example/")
    assert listed("https://careers.example", SERVER)
    assert listed("https://www.careers.example", SERVER)
    assert not listed("http://localhost:3000", SERVER)
    assert not listed("https://evil.example", SERVER)


def test_a_star_allows_every_site() -> None:
    assert origin_policy("*")("https://anywhere.example", SERVER)


def test_clients_that_send_no_origin_are_not_browsers_pages() -> None:
    assert origin_policy("https://careers.example")(None, SERVER)


def test_the_check_works_without_the_request_environment() -> None:
    assert origin_policy(None)("http://localhost:1", None)
    assert not origin_policy(None)("https://evil.example", None)


SECRET = "widget-test-secret"


def test_issued_session_ids_are_plain_and_kept() -> None:
    issued = issue_session_id(SECRET)
    assert is_session_id(issued) and is_issued(issued, SECRET)
    assert session_id_or_new(issued, SECRET) == issued
    assert issue_session_id(SECRET) != issued


@pytest.mark.parametrize("chosen", ["0123456789abcdef0123456789abcdef", "user_123-abc"])
def test_a_session_id_the_browser_chose_is_replaced(chosen: str) -> None:
    assert is_session_id(chosen) and not is_issued(chosen, SECRET)
    fresh = session_id_or_new(chosen, SECRET)
    assert fresh != chosen and is_issued(fresh, SECRET)


def test_ids_from_another_secret_or_tampered_ones_are_refused() -> None:
    other = issue_session_id("another-server")
    assert not is_issued(other, SECRET)
    issued = issue_session_id(SECRET)
    tampered = issued[:5] + ("A" if issued[5] != "A" else "B") + issued[6:]
    assert not is_issued(tampered, SECRET)
    assert not is_issued(issued, "")


@pytest.mark.parametrize(
    "bad", [None, "", "short", "x" * 65, "a b c d e f g", "<script>1</script>", 42]
)
def test_other_session_ids_are_replaced_by_a_new_one(bad: object) -> None:
    assert not is_session_id(bad)
    fresh = session_id_or_new(bad, SECRET)
    assert is_issued(fresh, SECRET) and fresh != bad
    assert session_id_or_new(bad, SECRET) != fresh  # a new one each time, not a shared fallback
