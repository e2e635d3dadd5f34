"""The reserve report rendered in headless Chromium: every section and figure loads."""

import shutil

import pytest

SECTIONS = ("summary", "data", "models", "loss-distribution", "pricing", "capital",
            "sensitivity", "assumptions")


def _browser():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def test_report_renders_in_chromium(demo_report):
    path = _browser()
    if path is None:
        pytest.skip("no Chromium found (install Debian's chromium to run this test)")
    sync_api = pytest.importorskip("playwright.sync_api")
    failed: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=path,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        page = browser.new_page()
        page.on("requestfailed", lambda r: failed.append(r.url[:80]))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(demo_report.as_uri())
        found = page.evaluate(
            "Array.from(document.querySelectorAll('section')).map(s => s.dataset.section)"
        )
        images = page.evaluate(
            "Array.from(document.images).map(i => i.complete && i.naturalWidth > 0)"
        )
        n_tables = page.evaluate("document.querySelectorAll('table').length")
        browser.close()
    assert tuple(found) == SECTIONS
    assert len(images) >= 6 and all(images)
    assert n_tables >= 15
    assert not failed and not errors
