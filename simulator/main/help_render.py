"""Markdown docs as help pages: safe HTML, heading ids, links between docs kept working.

Pure: text in, a RenderedDoc out, no Flask. The docs are written for the repository (GitHub
renders them), so this keeps what a reader in the app can use and drops what points into a
checkout they do not have:
- raw HTML in a doc is shown as text, never run (markdown-it's `html` option stays off);
- each heading gets the GitHub-style id, so `authoring.md#the-difficulty-ladder` works here too;
- a link or a mention of another help doc (`scenario-format.md#nodes`, `docs/scoring.md`)
  points to its help page; a link to any other repository file becomes plain text;
- tables and code blocks scroll in a box of their own on a phone, reachable by keyboard.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token
from markupsafe import Markup

EXTERNAL_SCHEMES = ("http", "https", "mailto")
# A doc named in running text or a code span: `docs/scoring.md`, scenario-format.md#nodes.
_MENTION = re.compile(r"(?<![\w/.-])(?:docs/)?([\w-]+\.md)(#[\w-]+)?(?![\w/-])")
_NOT_IN_SLUG = re.compile(r"[^\w\- ]")


@dataclass(frozen=True)
class Section:
    """A heading in the contents list: an h2, with the h3s under it as its subsections."""

    id: str
    title: str
    subsections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class RenderedDoc:
    """A doc ready for the page: its `#` title, the HTML after it, and its sections."""

    title: str
    html: Markup
    contents: tuple[Section, ...]


def _code_block(tokens: Sequence[Token], idx: int, options, env) -> str:
    token = tokens[idx]
    language = token.info.strip().split(" ")[0]
    lang_class = f' class="language-{escapeHtml(language)}"' if language else ""
    return (f'<pre class="code-scroll" tabindex="0" role="region" '
            f'aria-label="{escapeHtml(token.meta["label"])}"><code{lang_class}>'
            f'{escapeHtml(token.content)}</code></pre>\n')


def _table_open(tokens: Sequence[Token], idx: int, options, env) -> str:
    label = escapeHtml(tokens[idx].meta["label"])
    return (f'<div class="table-scroll" tabindex="0" role="region" aria-label="{label}">\n'
            f"<table>\n")


def _table_close(tokens: Sequence[Token], idx: int, options, env) -> str:
    return "</table>\n</div>\n"


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    for rule, render in (("fence", _code_block), ("code_block", _code_block),
                         ("table_open", _table_open), ("table_close", _table_close)):
        md.add_render_rule(rule, lambda _self, tokens, idx, options, env, render=render:
                           render(tokens, idx, options, env))
    return md


_MD = _markdown()


def render_doc(text: str, *, doc_links: Mapping[str, str], fallback_title: str = "",
               reserved_ids: Collection[str] = ()) -> RenderedDoc:
    """The doc as HTML. doc_links: file name (`scoring.md`) -> its page's URL; reserved_ids
    are ids the surrounding page already uses, so no heading takes one of them."""
    tokens = _MD.parse(text)
    title = _take_title(tokens) or fallback_title
    contents = _contents(_name_headings(tokens, set(reserved_ids)))
    _label_scroll_boxes(tokens)
    for token in tokens:
        if token.type == "inline" and token.children:
            token.children = list(_rewrite_links(token.children, doc_links))
    # Safe to mark: raw HTML is off, so markdown-it escapes every character the doc holds, and
    # link_target lets through only http(s), mailto, in-page and help-page addresses.
    html = Markup(_MD.renderer.render(tokens, _MD.options, {}))  # noqa: S704
    return RenderedDoc(title, html, contents)


def plain_text(children: Sequence[Token] | None) -> str:
    """What inline tokens read as, without markup."""
    parts = []
    for child in children or ():
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(plain_text(child.children))
    return "".join(parts).strip()


def slug(text: str) -> str:
    """GitHub's heading id: lower case, punctuation dropped, spaces as hyphens."""
    return _NOT_IN_SLUG.sub("", text.lower()).replace(" ", "-") or "section"


def _take_title(tokens: list[Token]) -> str:
    """Remove the first `#` heading (the page prints it as its h1) and return its text."""
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1":
            title = plain_text(tokens[index + 1].children)
            del tokens[index:index + 3]
            return title
    return ""


def _name_headings(tokens: list[Token], taken: set[str]) -> Iterator[tuple[str, Section]]:
    """Give every heading a unique id (a repeat gets -1, -2 as on GitHub); yield each one."""
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        text = plain_text(tokens[index + 1].children)
        base = candidate = slug(text)
        number = 0
        while candidate in taken:
            number += 1
            candidate = f"{base}-{number}"
        taken.add(candidate)
        token.attrSet("id", candidate)
        yield token.tag, Section(candidate, text)


def _contents(headings: Iterator[tuple[str, Section]]) -> tuple[Section, ...]:
    """The h2s, each with the h3s that follow it (an h3 before any h2 stands on its own)."""
    tops: list[tuple[Section, list[Section]]] = []
    for tag, section in headings:
        if tag == "h2" or (tag == "h3" and not tops):
            tops.append((section, []))
        elif tag == "h3":
            tops[-1][1].append(section)
    return tuple(Section(top.id, top.title, tuple(subs)) for top, subs in tops)


def _label_scroll_boxes(tokens: list[Token]) -> None:
    """Name each table and code block by its number and section, for screen readers."""
    section, counts = "", {"Table": 0, "Example": 0}
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            section = plain_text(tokens[index + 1].children)
        kind = {"table_open": "Table", "fence": "Example", "code_block": "Example"}.get(
            token.type)
        if kind:
            counts[kind] += 1
            token.meta["label"] = f"{kind} {counts[kind]}" + (f": {section}" if section else "")


def link_target(href: str, doc_links: Mapping[str, str]) -> str | None:
    """Where a doc's link should go in the app, or None to show its text only."""
    parts = urlsplit(href)
    if parts.scheme in EXTERNAL_SCHEMES and (parts.netloc or parts.scheme == "mailto"):
        return href
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return href if parts.fragment else None
    page = doc_links.get(PurePosixPath(parts.path).name)
    if page is None:
        return None
    return f"{page}#{parts.fragment}" if parts.fragment else page


def _rewrite_links(children: list[Token], doc_links: Mapping[str, str]) -> Iterator[Token]:
    dropping = in_link = False
    for child in children:
        if child.type == "link_open":
            target = link_target(str(child.attrGet("href") or ""), doc_links)
            dropping, in_link = target is None, True
            if target is not None:
                child.attrSet("href", target)
                yield child
        elif child.type == "link_close":
            if not dropping:
                yield child
            dropping = in_link = False
        elif child.type == "image":  # pictures live in the repository, not in the app
            yield Token("text", "", 0, content=plain_text(child.children) or child.content)
        elif child.type in ("text", "code_inline") and not in_link:
            yield from _linked_mentions(child, doc_links)
        else:
            yield child


def _linked_mentions(child: Token, doc_links: Mapping[str, str]) -> Iterator[Token]:
    """A text or code span with each mention of a help doc made a link to its page."""
    if child.type == "code_inline":
        whole = _MENTION.fullmatch(child.content)
        if whole and whole.group(1) in doc_links:
            yield from _link(child, doc_links[whole.group(1)] + (whole.group(2) or ""))
        else:
            yield child
        return
    start = 0
    for mention in _MENTION.finditer(child.content):
        if mention.group(1) not in doc_links:
            continue
        if mention.start() > start:
            yield Token("text", "", 0, content=child.content[start:mention.start()])
        yield from _link(Token("text", "", 0, content=mention.group(0)),
                         doc_links[mention.group(1)] + (mention.group(2) or ""))
        start = mention.end()
    if start == 0:
        yield child
    elif start < len(child.content):
        yield Token("text", "", 0, content=child.content[start:])


def _link(inner: Token, href: str) -> Iterator[Token]:
    yield Token("link_open", "a", 1, attrs={"href": href})
    yield inner
    yield Token("link_close", "a", -1)
