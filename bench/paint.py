"""Time from a click on an answer to the first optimistic paint, with the network slowed.

Serves the app with gunicorn, opens a mock-exam question in headless Chromium as a
benchmark candidate, holds every answer save for 1.5 s (page.route), clicks an option
from inside the page and waits two animation frames: the second frame callback runs
after the frame that shows the click has been painted, so the figure is an upper bound
of the click-to-paint time. It also checks that the pending mark really is on screen.
"""

import asyncio
import json
import os
import statistics

import django

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

MEASURE = """async (index) => {
  const inputs = document.querySelectorAll('#answer-form input[name=choice]');
  const target = inputs[index % inputs.length].closest('label') || inputs[index % inputs.length];
  const form = document.querySelector('#answer-form');
  const start = performance.now();
  target.click();
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  return {ms: performance.now() - start, pending: form.classList.contains('is-pending')};
}"""


async def measure(url: str, cookie: str, runs: int) -> list[float]:
    from playwright.async_api import async_playwright

    async def slow(route):
        await asyncio.sleep(1.5)
        await route.continue_()

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"), args=CHROMIUM_ARGS
        )
        context = await browser.new_context()
        name, value = cookie.split("; ")[0].split("=", 1)
        await context.add_cookies([{"name": name, "value": value, "url": url}])
        page = await context.new_page()
        await page.route("**/answer/", slow)
        times = []
        for run in range(runs):
            await page.goto(url)
            result = await page.evaluate(MEASURE, run)
            if not result["pending"]:
                raise SystemExit("the click did not paint a pending mark")
            times.append(result["ms"])
        await browser.close()
    return times


def main() -> None:
    django.setup()
    from django.core.management import call_command

    from bench.fixtures import make
    from bench.run import Server, base_env

    call_command("load_bank", verbosity=0)
    session = make(1)["sessions"][0]
    with Server(base_env(os.environ["DATABASE_URL"])) as server:
        times = asyncio.run(measure(server.url + session["question_path"], session["cookie"], runs=12))
    value = statistics.median(times)
    print(
        json.dumps(
            {
                "name": "click → optimistic paint, answer save delayed 1.5 s (Chromium)",
                "value": f"{value:.1f} ms (median of {len(times)}, worst {max(times):.1f})",
                "ms": value,
                "target": "< 50 ms",
            }
        )
    )


if __name__ == "__main__":
    main()
