"""Browser tests: one real server and one Chromium per session; contexts per test.

When Chromium or npm (for axe-core) is missing, every browser test is skipped and the reason
is printed in pytest's summary; nothing is skipped quietly. Screenshots, the accessibility
report and pictures of failed tests' pages go to test-output/.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from simulator.scenarios.library import Library, load_library
from tests.e2e.axe import AxeReport
from tests.e2e.looking import DESKTOP, SHOT_OPTIONS, Look
from tests.e2e.server import LiveServer, served
from tests.npm_tools import npm_ci

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
OUTPUT = ROOT / "test-output"
CHROMIUM = Path(os.environ.get("SIMULATOR_E2E_CHROMIUM", "/usr/bin/chromium"))
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 15_000
CSP_PREFIX = "CSP violation:"
# Chromium's own console message does not say which element; this listener does. It is added
# through the DevTools protocol, so the page's CSP does not block it.
REPORT_CSP_VIOLATIONS = """document.addEventListener("securitypolicyviolation", (e) => {
  const element = e.target && e.target.outerHTML ? e.target.outerHTML.slice(0, 160) : "";
  console.log(`CSP violation: ${e.violatedDirective} at ${e.sourceFile}:${e.lineNumber}`
              + ` ${element}`);
});"""
_REPORT = pytest.StashKey[AxeReport]()
_CALL = pytest.StashKey[pytest.TestReport]()


def _install_axe() -> str | None:
    """Install the pinned axe-core with npm if it is missing; a reason when that fails."""
    return npm_ci(HERE, AXE_JS, "axe-core", timeout=300)


def _missing_tool() -> str | None:
    if not os.access(CHROMIUM, os.X_OK):
        return (f"Chromium not found at {CHROMIUM} (apt-get install -y chromium, or set "
                "SIMULATOR_E2E_CHROMIUM to its path)")
    return _install_axe()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, or a skip that says what is missing."""
    reason = _missing_tool()
    if reason:
        pytest.skip(f"browser tests skipped: {reason}")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def live_server(axe_source: str, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[LiveServer]:
    """`simulator serve` (gunicorn, one worker) on a free port, over a fresh SQLite database."""
    with served(tmp_path_factory.mktemp("e2e-server")) as server:  # the demo accounts
        yield server


@pytest.fixture(scope="session")
def chromium(axe_source: str) -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright, shared by every test."""
    expect.set_options(timeout=TIMEOUT_MS)  # two busy cores can take more than the default 5 s
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


@pytest.fixture(scope="session")
def axe(axe_source: str, pytestconfig: pytest.Config) -> Iterator[AxeReport]:
    """The accessibility checker; its report is written and summarised at the end."""
    report = AxeReport(axe_source)
    pytestconfig.stash[_REPORT] = report
    yield report
    report.write(OUTPUT / "a11y-report.txt")


@pytest.fixture(scope="session")
def look(axe: AxeReport) -> Look:
    """Check a page with axe; photograph named ones at both widths and check them on a phone."""
    return Look(axe, OUTPUT / "screenshots")


@pytest.fixture(scope="session")
def library() -> Library:
    """The shipped scenarios, for choosing answers (the exemplars) deterministically."""
    return load_library(ROOT / "scenarios")


@pytest.fixture
def open_context(live_server: LiveServer, chromium: Browser, request: pytest.FixtureRequest
                 ) -> Iterator[Callable]:
    """Open browser contexts (desktop size); fails the test on script errors or CSP refusals."""
    contexts, errors = [], []

    def _open(**options):
        context = chromium.new_context(base_url=live_server.url, viewport=DESKTOP, **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        context.on("page", lambda page: _watch(page, errors))
        contexts.append(context)
        return context

    yield _open
    call = request.node.stash.get(_CALL, None)
    for number, context in enumerate(contexts):
        if call is not None and call.failed:
            _save_failure_shots(context, f"{request.node.name}-{number}")
        context.close()
    assert not errors, "the browser reported errors:\n" + "\n".join(errors)


def _watch(page, errors: list[str]) -> None:
    page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
    page.on("console", lambda msg: errors.append(f"{page.url}: {msg.text}")
            if msg.text.startswith(CSP_PREFIX) else None)


def _save_failure_shots(context, name: str) -> None:
    """What each page of a failed test showed, in test-output/failures/."""
    folder = OUTPUT / "failures"
    folder.mkdir(parents=True, exist_ok=True)
    for index, page in enumerate(context.pages):
        with contextlib.suppress(PlaywrightError):  # a crashed page has no picture to give
            page.screenshot(path=folder / f"{name}-{index}.png", **SHOT_OPTIONS)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keep the call's outcome on the test, so a failed test's pages are photographed."""
    report = yield
    if report.when == "call":
        item.stash[_CALL] = report
    return report


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    """Print the accessibility report: pages checked and every non-blocking violation."""
    report = config.stash.get(_REPORT, None)
    if report is not None and report.pages:
        terminalreporter.write_sep("-", "axe-core accessibility report")
        terminalreporter.write(report.text())
        terminalreporter.write_line(f"(also in {OUTPUT / 'a11y-report.txt'}; screenshots in "
                                    f"{OUTPUT / 'screenshots'})")
