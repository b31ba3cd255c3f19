"""Token buckets: a burst of `per_minute`, then a steady refill."""

from server.rate_limit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_refill() -> None:
    clock = Clock()
    limiter = RateLimiter(6, clock=clock)
    assert all(limiter.allow("a") for _ in range(6))
    assert not limiter.allow("a")
    assert limiter.allow("b"), "keys are independent"
    clock.now += 10  # one token per 10 s at 6 a minute
    assert limiter.allow("a")
    assert not limiter.allow("a")


def test_refused_requests_do_not_count() -> None:
    clock = Clock()
    limiter = RateLimiter(1, clock=clock)
    assert limiter.allow("a")
    for _ in range(100):
        assert not limiter.allow("a")
    clock.now += 60
    assert limiter.allow("a")


def test_zero_disables() -> None:
    limiter = RateLimiter(0)
    assert not limiter.enabled
    assert all(limiter.allow("a") for _ in range(10_000))


def test_memory_is_bounded() -> None:
    limiter = RateLimiter(1, max_keys=100)
    for n in range(1000):
        limiter.allow(str(n))
    assert len(limiter._buckets) == 100
    assert limiter.allow("0"), "a forgotten key starts with a full bucket"
