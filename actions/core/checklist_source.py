"""Where the checklists come from: the bundled file, or a URL operators configure.

With CHECKLISTS_URL set, the content is fetched with a timeout and cached for
a while; when the URL is down or serves invalid data, the bundled file is used
and the problem is logged (users never see it).
"""

from __future__ import annotations

import json
import logging
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import yaml

from actions.core.checklists import Checklist, ChecklistError, load_checklists, parse_checklists

logger = logging.getLogger(__name__)
MAX_BYTES = 1_000_000


def fetch_text(url: str, timeout: float) -> str:
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"only http(s) URLs are fetched, not {url!r}")
    request = urllib.request.Request(url, headers={"Accept": "application/yaml, application/json"})
    # The scheme is checked above, so no file:// or other handlers are reachable.
    with urllib.request.urlopen(request, timeout=timeout) as response:  # nosec B310
        return response.read(MAX_BYTES + 1).decode("utf-8")


class ChecklistSource:
    """Checklists for the actions; `get()` never raises once the bundled file is valid."""

    def __init__(
        self,
        bundled: Path,
        url: str | None = None,
        *,
        timeout: float = 3.0,
        cache_seconds: float = 300.0,
        fetch: Callable[[str, float], str] = fetch_text,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.bundled = load_checklists(bundled)  # a broken bundled file should stop start-up
        self.url = url or None
        self.timeout = timeout
        self.cache_seconds = cache_seconds
        self._fetch = fetch
        self._clock = clock
        self._cached: dict[str, Checklist] | None = None
        self._cached_at = float("-inf")

    def get(self) -> dict[str, Checklist]:
        if self.url is None:
            return self.bundled
        if self._cached is not None and self._clock() - self._cached_at < self.cache_seconds:
            return self._cached
        try:
            text = self._fetch(self.url, self.timeout)
            if len(text) > MAX_BYTES:
                raise ValueError(f"larger than {MAX_BYTES} bytes")
            data = json.loads(text) if text.lstrip().startswith("{") else yaml.safe_load(text)
            self._cached = parse_checklists(data, self.url)
        except (OSError, ValueError, ChecklistError, yaml.YAMLError) as error:
            # ChecklistError and JSON errors are ValueErrors; timeouts and HTTP errors OSErrors.
            logger.warning(
                "Checklists from %s unusable (%s); using the bundled file.", self.url, error
            )
            self._cached = self.bundled
        self._cached_at = self._clock()
        return self._cached
