"""Help pages at /help/<name>: the docs rendered safely, with ids, contents and working links."""

from __future__ import annotations

import logging
import re
import tomllib
from pathlib import Path

import pytest

from simulator.main.help_render import link_target, render_doc, slug

ROOT = Path(__file__).resolve().parent.parent
LINKS = {"authoring.md": "/help/authoring", "scenario-format.md": "/help/scenario-format",
         "scoring.md": "/help/scoring"}


def test_the_authoring_guide_is_a_page_with_its_title_as_the_one_h1(client, login_as):
    login_as("supervisor")
    page = client.get("/help/authoring").get_data(as_text=True)
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", page) == ["Writing a scenario"]
    assert "<title>Writing a scenario · Holding Space</title>" in page
    assert '<h2 id="the-difficulty-ladder">The difficulty ladder</h2>' in page
    contents = page.split('id="contents-heading"', 1)[1].split("</nav>", 1)[0]
    assert '<a href="#the-difficulty-ladder">The difficulty ladder</a>' in contents
    assert re.search(r'<a href="#a-complete-example">A complete example</a>\s*<ol><li>'
                     r'<a href="#the-parts-top-to-bottom">The parts, top to bottom</a>', contents)
    # "the reference, [scenario-format.md](scenario-format.md)" points to its help page.
    assert '<a href="/help/scenario-format">scenario-format.md</a>' in page


def test_mentions_of_other_help_docs_become_links_and_other_files_stay_text(client, login_as):
    login_as("trainee")
    page = client.get("/help/scoring").get_data(as_text=True)
    assert '<a href="/help/scenario-format"><code>docs/scenario-format.md</code></a>' in page
    assert "<code>docs/performance.md</code>" in page  # not a help page: shown, not linked
    assert 'href="/help/performance"' not in page


def test_every_help_page_renders_and_lists_the_others(client, login_as):
    login_as("trainee")
    for name in ("authoring", "scenario-format", "scoring"):
        response = client.get(f"/help/{name}")
        assert response.status_code == 200, name
        page = response.get_data(as_text=True)
        assert f'<a href="/help/{name}" aria-current="page">' in page
        assert len(re.findall(r'<li><a href="/help/[\w-]+"', page)) == 3


@pytest.mark.parametrize("name", ["deploy", "privacy", "README", "authoring.md", "nothing"])
def test_a_name_outside_the_allow_list_is_not_found(client, login_as, name):
    login_as("admin")
    response = client.get(f"/help/{name}")
    assert response.status_code == 404
    assert "Not found" in response.get_data(as_text=True)


def test_a_path_out_of_the_docs_folder_is_not_found(client, login_as):
    login_as("admin")
    assert client.get("/help/../README.md").status_code == 404
    assert client.get("/help/..%2FREADME").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in_first(client):
    response = client.get("/help/authoring")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_the_supervisor_home_links_to_the_authoring_help(client, login_as):
    login_as("supervisor")
    page = client.get("/supervise/").get_data(as_text=True)
    assert 'href="/help/authoring">How to write a scenario</a>' in page
    assert 'href="/help/scenario-format">format reference</a>' in page


# The renderer, on text made to test it.

def test_raw_html_in_a_doc_is_shown_as_text_never_run():
    doc = render_doc("# T\n\n<script>alert(1)</script>\n\nSee <img src=x onerror=alert(1)>.\n\n"
                     "[click](javascript:alert(1))\n", doc_links=LINKS)
    assert "<script>" not in doc.html and "<img" not in doc.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in doc.html
    assert "&lt;img src=x onerror=alert(1)&gt;" in doc.html
    assert "javascript:" not in re.sub(r"<[^>]*>", "", "".join(re.findall(r"<a [^>]*>",
                                                                          doc.html)))


def test_links_between_docs_go_to_help_pages_and_others_become_text():
    doc = render_doc(
        "# Guide\n\nSee [nodes](scenario-format.md#client-node), [scoring](../docs/scoring.md), "
        "[the code](../simulator/engine/advance.py), [deploying](deploy.md), "
        "[here](#guide-part), [PyPI](https://pypi.org/project/markdown-it-py/), "
        "[a file](file:///etc/passwd) and ![a picture](screenshots/play.png).\n",
        doc_links=LINKS)
    html = doc.html
    assert '<a href="/help/scenario-format#client-node">nodes</a>' in html
    assert '<a href="/help/scoring">scoring</a>' in html
    assert ", the code, deploying, " in html
    assert '<a href="#guide-part">here</a>' in html
    assert '<a href="https://pypi.org/project/markdown-it-py/">PyPI</a>' in html
    assert "[a file](file:///etc/passwd) and a picture." in html  # markdown-it refuses file:
    assert len(re.findall(r"<a ", html)) == 4


def test_plain_mentions_of_help_docs_are_linked_but_not_inside_code_blocks():
    doc = render_doc("Read docs/scoring.md, \"Broaching\", and `authoring.md#writing-a-drill`; "
                     "not README.md.\n\n```yaml\n# see scoring.md\n```\n", doc_links=LINKS)
    assert '<a href="/help/scoring">docs/scoring.md</a>, &quot;Broaching&quot;' in doc.html
    assert ('<a href="/help/authoring#writing-a-drill"><code>authoring.md#writing-a-drill'
            '</code></a>') in doc.html
    assert "not README.md." in doc.html
    assert "# see scoring.md\n</code></pre>" in doc.html


def test_headings_get_github_ids_unique_on_the_page_and_make_the_contents():
    doc = render_doc("### Before\n\n# Title\n\n## Scenario file: `scenarios/<id>.yaml`\n\n"
                     "### Details\n\n#### Deeper\n\n## Main\n\n## Details\n",
                     doc_links=LINKS, reserved_ids={"main"})
    assert doc.title == "Title"
    assert "<h1" not in doc.html  # the page prints the title as its h1
    assert '<h2 id="scenario-file-scenariosidyaml">' in doc.html
    assert '<h3 id="details">Details</h3>' in doc.html
    assert '<h4 id="deeper">Deeper</h4>' in doc.html
    assert [(s.id, s.title, [(d.id, d.title) for d in s.subsections])
            for s in doc.contents] == [
        ("before", "Before", []),
        ("scenario-file-scenariosidyaml", "Scenario file: scenarios/<id>.yaml",
         [("details", "Details")]),
        ("main-1", "Main", []), ("details-1", "Details", [])]


def test_a_doc_without_a_title_uses_the_registry_title():
    assert render_doc("Just text.\n", doc_links=LINKS, fallback_title="Help").title == "Help"


@pytest.mark.parametrize(("heading", "expected"), [
    ("The difficulty ladder", "the-difficulty-ladder"),
    ("Safety, repair strategy and drill keys of a client node",
     "safety-repair-strategy-and-drill-keys-of-a-client-node"),
    ("Conditions (when)", "conditions-when"),
    ("Ending node", "ending-node"),
    ("???", "section"),
])
def test_slugs_follow_github(heading, expected):
    assert slug(heading) == expected


def test_tables_and_code_scroll_in_named_keyboard_reachable_boxes():
    doc = render_doc("## Levels\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```yaml\nid: x\n```\n\n"
                     "    indented code\n", doc_links=LINKS)
    assert ('<div class="table-scroll" tabindex="0" role="region" aria-label="Table 1: Levels">'
            '\n<table>') in doc.html
    assert ('<pre class="code-scroll" tabindex="0" role="region" aria-label="Example 1: '
            'Levels"><code class="language-yaml">id: x\n</code></pre>') in doc.html
    assert 'aria-label="Example 2: Levels"><code>indented code\n</code></pre>' in doc.html


def test_link_target_refuses_what_is_not_a_page_or_the_web():
    assert link_target("//evil.example/x", LINKS) is None
    assert link_target("data:text/html,x", LINKS) is None
    assert link_target("file:///etc/passwd", LINKS) is None
    assert link_target("https:nohost", LINKS) is None
    assert link_target("mailto:team@example.org", LINKS) == "mailto:team@example.org"
    assert link_target("scoring.md?x=1#broaching", LINKS) == "/help/scoring#broaching"


# Files, the cache, and a missing doc.

@pytest.fixture
def docs(app_config, tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    app_config["HELP_DOCS_DIR"] = str(folder)
    return folder


def test_an_edited_doc_is_served_without_a_restart(docs, client, login_as):
    (docs / "scoring.md").write_text("# Scores\n\nFirst words.\n", encoding="utf-8")
    login_as("trainee")
    assert "First words." in client.get("/help/scoring").get_data(as_text=True)
    (docs / "scoring.md").write_text("# Scores\n\nSecond, longer words.\n", encoding="utf-8")
    page = client.get("/help/scoring").get_data(as_text=True)
    assert "Second, longer words." in page and "First words." not in page


def test_a_missing_doc_is_a_specific_page_and_is_logged(docs, client, login_as, caplog):
    login_as("trainee")
    with caplog.at_level(logging.ERROR, logger="simulator.main.help_views"):
        response = client.get("/help/authoring")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Help page missing" in page
    assert "docs/authoring.md is missing" in page
    assert any("help page authoring cannot be read" in r.getMessage() for r in caplog.records)


def test_the_docs_ship_in_the_wheel_where_resource_dir_looks():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    included = config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert included["docs"] == "simulator/_bundled/docs"
    for name in ("authoring.md", "scenario-format.md", "scoring.md"):
        assert (ROOT / "docs" / name).is_file()
