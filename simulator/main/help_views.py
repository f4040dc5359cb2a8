"""Help pages: the authoring guide and its references, read from docs/*.md at request time.

Only the docs in HELP_PAGES are served, so a name in the URL can never reach another file.
Each is rendered once per process and again when its file changes (editing a doc needs no
restart); the cache lives on the app.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from flask import abort, current_app, render_template, url_for
from flask_login import login_required

from simulator.main import bp
from simulator.main.help_render import RenderedDoc, render_doc
from simulator.resources import resource_dir

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HelpPage:
    """One served doc: its file in docs/ and its name in lists of help pages."""

    file: str
    title: str


# name in the URL -> the doc. A doc linked from these that is not here shows as plain text.
HELP_PAGES = {
    "authoring": HelpPage("authoring.md", "Writing a scenario"),
    "scenario-format": HelpPage("scenario-format.md", "Scenario format reference"),
    "scoring": HelpPage("scoring.md", "How the scorer works"),
}
# Ids templates/base.html and templates/main/help.html already use; no heading may take one.
PAGE_IDS = ("main", "announcer", "messages", "help-title", "help-pages-heading",
            "contents-heading")
_CACHE = "simulator.help_pages"


def docs_dir() -> Path:
    """The docs folder shipped with this installation (HELP_DOCS_DIR overrides it)."""
    configured = current_app.config.get("HELP_DOCS_DIR")
    return Path(configured) if configured else resource_dir("docs")


def rendered(name: str) -> RenderedDoc | None:
    """The help page `name` rendered from its file, or None when the file is missing."""
    page = HELP_PAGES[name]
    path = docs_dir() / page.file
    try:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        cache = current_app.extensions.setdefault(_CACHE, {})
        if cache.get(name, (None,))[0] != stamp:
            text = path.read_text(encoding="utf-8")
            cache[name] = (stamp, render_doc(text, doc_links=_doc_links(),
                                             fallback_title=page.title, reserved_ids=PAGE_IDS))
    except (OSError, UnicodeDecodeError) as error:
        log.error("help page %s cannot be read from %s: %s", name, path, type(error).__name__)
        return None
    return cache[name][1]


def _doc_links() -> dict[str, str]:
    return {page.file: url_for("main.help_page", name=name) for name, page in HELP_PAGES.items()}


@bp.get("/help/<name>")
@login_required
def help_page(name: str):
    """A help page; any name outside HELP_PAGES is a 404."""
    if name not in HELP_PAGES:
        abort(404)
    doc = rendered(name)
    if doc is None:
        message = (f"The help page “{HELP_PAGES[name].title}” is not installed on this server "
                   f"(docs/{HELP_PAGES[name].file} is missing). The error has been logged.")
        return render_template("error.html", title="Help page missing", message=message), 404
    return render_template("main/help.html", doc=doc, name=name, pages=HELP_PAGES)
