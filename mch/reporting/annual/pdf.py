"""HTML to PDF with headless Chromium (Debian's /usr/bin/chromium) through Playwright: the
same page as the preview, printed on A4 with the margins of Nghị định 30. No LibreOffice."""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

CHROMIUM = os.environ.get("MCH_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def _in_own_thread(work: Callable[[], T]) -> T:
    """Playwright's sync API refuses a thread where an event loop already runs (a web server's,
    or another Playwright session's); a thread of its own always starts clean."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="mch-chromium") as pool:
        return pool.submit(work).result()


def html_to_pdf(html: str) -> bytes:
    return _in_own_thread(lambda: _html_to_pdf(html))


def svgs_to_png(svgs: list[str], scale: float = 2.0) -> list[bytes]:
    """Each SVG rasterised to PNG (for the .docx, which takes no SVG) by the same Chromium."""
    if not svgs:
        return []
    return _in_own_thread(lambda: _svgs_to_png(svgs, scale))


def _html_to_pdf(html: str) -> bytes:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            page = browser.new_page()
            page.set_content(html, wait_until="load")
            return page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
        finally:
            browser.close()


def _svgs_to_png(svgs: list[str], scale: float) -> list[bytes]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            page = browser.new_page(device_scale_factor=scale)
            images = []
            for svg in svgs:
                page.set_content(f'<body style="margin:0">{svg}</body>', wait_until="load")
                images.append(page.locator("svg").screenshot(type="png"))
            return images
        finally:
            browser.close()
