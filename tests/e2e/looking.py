"""Looking at a page as a reviewer would: axe at two widths, reflow, and screenshots."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page

from tests.e2e.axe import AxeReport

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Playwright hides the caret with an inline style on every input; htmx's settle step then
# copies that style attribute into swapped content, and the CSP refuses it. Leave the caret.
SHOT_OPTIONS = {"caret": "initial", "full_page": True}

# The outermost elements that stick out past the right edge when the page scrolls sideways.
OVERFLOWING = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const sticksOut = (el) => el && el.getBoundingClientRect().right > width + 1;
  return [...document.querySelectorAll("body *")]
    .filter((el) => sticksOut(el) && !sticksOut(el.parentElement))
    .slice(0, 5)
    .map((el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
         (el.className && typeof el.className === "string" ? "." + el.className.trim()
           .replace(/\\s+/g, ".") : "") + ` (${Math.round(el.getBoundingClientRect().width)}px)`);
}"""


@contextmanager
def phone_width(page: Page) -> Iterator[None]:
    """The page at a phone's width for a while, then back at desktop width."""
    page.set_viewport_size(PHONE)
    try:
        yield
    finally:
        page.set_viewport_size(DESKTOP)


def assert_reflows(page: Page, state: str) -> None:
    """Nothing makes the page scroll sideways (WCAG 1.4.10); wide tables scroll in a box."""
    wide = page.evaluate(OVERFLOWING)
    assert not wide, (f"'{state}' scrolls sideways at {page.viewport_size['width']}px wide "
                      f"(WCAG 1.4.10 reflow); too wide: {', '.join(wide)}")


@dataclass(frozen=True)
class Look:
    """axe on every page state; for photographed pages also phone width, reflow and PNGs."""

    axe: AxeReport
    folder: Path

    def __call__(self, page: Page, state: str, shot: str | None = None,
                 crop_from: str | None = None) -> None:
        self.axe.check(page, state)
        if not shot:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=self.folder / f"{shot}-desktop.png", **SHOT_OPTIONS)
        if crop_from:
            self._crop(page, shot, crop_from)
        with phone_width(page):
            page.screenshot(path=self.folder / f"{shot}-phone.png", **SHOT_OPTIONS)
            self.axe.check(page, f"{state}, phone width")
            assert_reflows(page, state)

    def _crop(self, page: Page, shot: str, crop_from: str) -> None:
        """One desktop screen starting just above an element (the README's pictures)."""
        box = page.locator(crop_from).first.bounding_box()
        top = box["y"] + page.evaluate("() => window.scrollY") if box else 0
        clip = {"x": 0, "y": max(0, top - 24), **DESKTOP}
        page.screenshot(path=self.folder / f"{shot}-desktop-crop.png", clip=clip,
                        **SHOT_OPTIONS)
