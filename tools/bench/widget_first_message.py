"""Widget size, and time from page load to the first bot message in a real browser.

Starts the bot on free ports, opens the demo page N times in fresh browser
profiles (a new conversation each time, so the initial payload /greet is sent)
and measures, with performance.now() in the page, DOMContentLoaded -> the
first bot message (the widget's `pathway-chat:message` event). Writes
results/widget_first_message.json.

    .venv/bin/python -m tools.bench.widget_first_message --runs 7
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tools.dev import browser, stack
from tools.dev.train_if_needed import model_path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
window.__timing = {};
document.addEventListener("DOMContentLoaded", () => { __timing.dcl = performance.now(); });
document.addEventListener("pathway-chat:message", () => {
  if (__timing.first === undefined) __timing.first = performance.now();
});
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    built = (ROOT / "widget" / "dist" / "widget.js").read_bytes()
    size = {"bytes": len(built), "gzip_9_bytes": len(gzip.compress(built, 9))}
    print(f"widget.js: {size['bytes']} bytes, {size['gzip_9_bytes']} gzipped (-9)")

    rasa_port = browser.free_port()
    with tempfile.TemporaryDirectory(prefix="imgcma-widget-bench-") as tmp:
        bot = stack.start_isolated(
            model_path(), Path(tmp), rasa_port=rasa_port, log_dir=Path(tmp) / "logs"
        )
        try:
            stack.wait_ready(bot)
            runs = measure(f"http://localhost:{rasa_port}/widget/", args.runs)
        finally:
            bot.stop()
    result = {
        "widget": size,
        "first_message_ms": runs,
        "median_ms": statistics.median(r["dcl_to_first_ms"] for r in runs),
        "median_from_navigation_ms": statistics.median(r["navigation_to_first_ms"] for r in runs),
    }
    print(json.dumps(result, indent=2))
    out = ROOT / "results" / "widget_first_message.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


def measure(url: str, count: int) -> list[dict[str, float]]:
    runs = []
    with sync_playwright() as playwright:
        chromium = browser.launch(playwright)
        for i in range(count + 1):
            context = chromium.new_context(**browser.DESKTOP)
            page = context.new_page()
            page.add_init_script(PROBE)
            page.goto(url)
            page.wait_for_function("window.__timing.first !== undefined", timeout=60000)
            timing = page.evaluate("window.__timing")
            context.close()
            if i == 0:
                continue  # warm-up: the first page load also warms Rasa's caches
            runs.append(
                {
                    "dcl_to_first_ms": round(timing["first"] - timing["dcl"], 1),
                    "navigation_to_first_ms": round(timing["first"], 1),
                }
            )
            print(f"  run {i}: {runs[-1]}")
        chromium.close()
    return runs


if __name__ == "__main__":
    sys.exit(main())
