"""Open the report site in a headless Chromium: for the browser test and the screenshot.

Why it matters: a page that looks right in a test's string search can still be blank in a
browser. Selenium drives Debian's Chromium through its own chromedriver (given by path, so
Selenium Manager never runs and nothing is downloaded); the browser starts with its
background networking, updates and sync switched off.

Install the browser once, as root: ``apt-get install -y chromium chromium-driver``.
"""

from __future__ import annotations

import base64
import io
import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image

log = logging.getLogger(__name__)

#: Debian's paths; elsewhere (GitHub's runners ship Google Chrome) set the two variables.
CHROMIUM = Path(os.environ.get("LABS_CHROME", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("LABS_CHROMEDRIVER", "/usr/bin/chromedriver"))
#: A projector-sized window: 1280 CSS pixels wide.
WINDOW = (1280, 900)
FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--hide-scrollbars",
]  # fmt: skip


def missing_browser() -> str | None:
    """Return why the browser cannot start here, or None when it can."""
    absent = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if absent:
        return (f"{' and '.join(absent)} not installed; run as root: apt-get install -y "
                "chromium chromium-driver (or set LABS_CHROME and LABS_CHROMEDRIVER)")  # fmt: skip
    return None


@contextmanager
def open_browser(profile: Path | None = None) -> Iterator[object]:
    """Start headless Chromium with a fresh profile; quit it on exit.

    Args:
        profile: the ``--user-data-dir``; a temporary folder when not given.

    Yields:
        A selenium ``WebDriver``.
    """
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager, if ever run, stays offline
    with tempfile.TemporaryDirectory(prefix="site-browser-") as tmp:
        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for flag in [
            *FLAGS,
            f"--user-data-dir={profile or tmp}",
            f"--window-size={WINDOW[0]},{WINDOW[1]}",
        ]:
            options.add_argument(flag)
        driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
        try:
            yield driver
        finally:
            driver.quit()


def save_full_page(driver: object, png: Path) -> Path:
    """Save a screenshot of the whole page (not only the window) as PNG.

    Why it matters: Chromium's WebDriver only captures the window; the DevTools command
    ``Page.captureScreenshot`` with ``captureBeyondViewport`` captures the full height.
    """
    width, height = driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {"format": "png", "captureBeyondViewport": True,
         "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}},
    )  # fmt: skip
    png = Path(png)
    png.parent.mkdir(parents=True, exist_ok=True)
    image = Image.open(io.BytesIO(base64.b64decode(shot["data"]))).convert("RGB")
    image.quantize(colors=256).save(png, optimize=True)  # a third of the size, same look
    log.info("Saved a %dx%d screenshot to %s", width, height, png)
    return png


def screenshot_site(html: Path, png: Path) -> Path:
    """Open the built site from ``file://`` and save a full-page screenshot."""
    with open_browser() as driver:
        driver.get(Path(html).resolve().as_uri())
        return save_full_page(driver, png)
