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

# What sticks out past the right edge when the page scrolls sideways: the outermost elements,
# then text that runs out of its element (a long word), and if neither, the page's width, so a
# page that scrolls sideways never passes. Whatever a scroll box clips is left out (a wide table
# inside `.table-scroll` is fine), except an absolutely positioned element whose containing
# block lies outside the box: it escapes the clipping and widens the page (a visually hidden
# label in a table's last column, say).
OVERFLOWING = """() => {
  const width = window.innerWidth;
  const pageWidth = document.documentElement.scrollWidth;
  if (pageWidth <= width) return [];
  const sticksOut = (rect) => rect.right > width + 1;
  const outOfFlow = (style) => style.position === "absolute" || style.position === "fixed";
  const clipped = (el) => {
    let looking = outOfFlow(getComputedStyle(el));  // for its containing block
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      const style = getComputedStyle(box);
      if (looking && style.position === "static") continue;
      if (style.overflowX !== "visible") return true;
      looking = outOfFlow(style);
    }
    return false;
  };
  const widens = (el) => !!el && sticksOut(el.getBoundingClientRect()) && !clipped(el);
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (el.className && typeof el.className === "string" ? "." + el.className.trim()
      .replace(/\\s+/g, ".") : "");
  const found = [...document.querySelectorAll("body *")]
    .filter((el) => widens(el) && !widens(el.parentElement))
    .slice(0, 5)
    .map((el) => `${name(el)} (${Math.round(el.getBoundingClientRect().width)}px)`);
  const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let text = texts.nextNode(); text && found.length < 5; text = texts.nextNode()) {
    const parent = text.parentElement;
    if (!parent || widens(parent) || clipped(parent) ||
        getComputedStyle(parent).overflowX !== "visible") continue;
    range.selectNodeContents(text);
    if (sticksOut(range.getBoundingClientRect())) {
      found.push(`text in ${name(parent)}: "${text.textContent.trim().slice(0, 40)}"`);
    }
  }
  return found.length ? found : [`the page (${pageWidth}px), though no element or text shows why`];
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
