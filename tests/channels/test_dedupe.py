from channels.dedupe import SeenIds


def test_an_id_is_new_once_until_it_expires() -> None:
    now = [0.0]
    seen = SeenIds(ttl=60, clock=lambda: now[0])
    assert seen.first_time("Ev1")
    assert not seen.first_time("Ev1")
    now[0] = 61
    assert seen.first_time("Ev1")


def test_the_memory_is_bounded() -> None:
    seen = SeenIds(max_size=3)
    for key in "abcd":
        assert seen.first_time(key)
    assert seen.first_time("a")  # the oldest was dropped to make room
    assert not seen.first_time("d")
