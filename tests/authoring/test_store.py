"""The store's rules without the web: numbering, ownership, what each person sees, and what
happens to an author's scenarios when their account is exported or deleted."""

from __future__ import annotations

import pytest

from simulator.authoring import store
from simulator.authoring.drafts import starter, with_id
from simulator.models import AuthoredScenario, Cohort, CohortMember
from simulator.privacy import delete_account, export_user_data
from tests.authoring.conftest import copy_text, publish_to, save_draft
from tests.helpers import make_user

NEW = "store-rules"


def test_versions_number_up_per_scenario_and_keep_drafts_with_errors(app, session):
    author = make_user(session, role="supervisor")
    authored, first = save_draft(app, session, author, copy_text(app, NEW))
    _, second = save_draft(app, session, author, copy_text(app, NEW) + "nodes: [\n")
    _, other = save_draft(app, session, author, copy_text(app, "another-one"))
    assert (first.number, first.valid) == (1, True)
    assert (second.number, second.valid) == (2, False)
    assert other.number == 1
    assert [v.number for v in store.versions_of(session, authored)] == [2, 1]


def test_an_admin_may_save_over_anyones_scenario_a_supervisor_may_not(app, session):
    author = make_user(session, role="supervisor")
    other = make_user(session, role="supervisor")
    admin = make_user(session, role="admin")
    save_draft(app, session, author, copy_text(app, NEW))
    with pytest.raises(store.Refused, match="another author"):
        save_draft(app, session, other, copy_text(app, NEW))
    session.rollback()
    _, by_admin = save_draft(app, session, admin, copy_text(app, NEW))
    assert (by_admin.number, by_admin.author_id) == (2, admin.id)


def test_only_valid_versions_publish_and_only_to_a_chosen_cohort(app, session):
    author = make_user(session, role="supervisor")
    inside, outside = make_user(session), make_user(session)
    cohort = Cohort(name="Inside")
    session.add(cohort)
    session.commit()
    session.add(CohortMember(cohort_id=cohort.id, user_id=inside.id))
    session.commit()
    authored, good = save_draft(app, session, author, copy_text(app, NEW))
    _, broken = save_draft(app, session, author, "id: store-rules\n")
    with pytest.raises(store.Refused, match="has errors"):
        publish_to(session, author, authored, broken, cohort)
    session.rollback()
    with pytest.raises(store.Refused, match="at least one cohort"):
        publish_to(session, author, authored, good)
    session.rollback()
    publish_to(session, author, authored, good, cohort)
    seen = {user.id: [row[0] for row in store.published_for(session, user_id=user.id)]
            for user in (inside, outside, author)}
    assert seen == {inside.id: [NEW], outside.id: [], author.id: [NEW]}
    assert [row[0] for row in store.published_to_cohort(session, cohort.id)] == [NEW]
    store.unpublish(session, authored, actor_id=author.id)
    session.commit()
    assert store.published_for(session, user_id=inside.id) == []


def test_an_authors_export_holds_their_versions_and_deletion_keeps_the_scenario(app, session):
    author = make_user(session, role="supervisor")
    save_draft(app, session, author, copy_text(app, NEW), message="first go")
    exported = export_user_data(session=session, user=author)
    assert [(v["scenario"], v["version"], v["message"]) for v in
            exported["scenario_versions_written"]] == [(NEW, 1, "first go")]
    delete_account(session=session, user=author, actor_id=None)
    session.commit()
    authored = store.find(session, NEW)
    assert authored is not None and authored.owner_id is None
    assert store.version(session, authored).author_id is None
    assert session.get(AuthoredScenario, authored.id) is not None


def test_the_starter_is_the_guides_example_and_with_id_keeps_the_rest():
    guide = "# Guide\n\n```yaml\nid: example   # comment\ntitle: T\n```\n"
    assert starter(guide, "mine") == "id: mine\ntitle: T\n"
    assert starter(None, "mine").startswith("id: mine\n")
    assert with_id("title: T\n", "added") == "id: added\ntitle: T\n"
    assert with_id("id: 'quoted'\nnodes:\n  id: inner\n", "new") == "id: new\nnodes:\n  id: inner\n"


def test_newest_versions_are_read_for_a_whole_list_at_once(app, session):
    author = make_user(session, role="supervisor")
    first, _ = save_draft(app, session, author, copy_text(app, NEW))
    save_draft(app, session, author, copy_text(app, NEW) + "# again\n")
    other, _ = save_draft(app, session, author, copy_text(app, "another-one"))
    newest = store.newest_versions(session, [first, other])
    assert {authored_id: v.number for authored_id, v in newest.items()} == {first.id: 2,
                                                                            other.id: 1}
    assert store.newest_versions(session, []) == {}
