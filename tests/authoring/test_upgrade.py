"""Upgrading a database with uploads made before versions existed (migration 0011): each
upload becomes a version of an authored scenario owned by its first uploader and published
to everyone, so trainees keep what they had; the downgrade leaves the snapshots as they were."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import MetaData, select

from simulator import migrate
from simulator.db import make_engine


def _at(day: int) -> datetime:
    return datetime(2026, 6, day, tzinfo=UTC)


def test_earlier_uploads_become_published_versions_and_the_downgrade_keeps_them(database_url):
    engine = make_engine(database_url)
    try:
        migrate.upgrade(engine, "0010")
        tables = MetaData()
        tables.reflect(engine)
        users = [dict(id=i, email=f"u{i}@example.org", name=f"U{i}", role="supervisor",
                      active=True, session_token=f"t{i}", created_at=_at(1)) for i in (1, 2)]
        snapshots = [
            dict(content_hash="b" * 64, scenario_id="ours", title="Ours, later",
                 source_text="id: ours\n# later\n", origin="upload", uploaded_by=2,
                 created_at=_at(5)),
            dict(content_hash="a" * 64, scenario_id="ours", title="Ours", source_text="id: ours\n",
                 origin="upload", uploaded_by=1, created_at=_at(3)),
            dict(content_hash="c" * 64, scenario_id="shipped-one", title="Shipped",
                 source_text="id: shipped-one\n", origin="library", created_at=_at(2)),
        ]
        with engine.begin() as connection:
            for row in users:
                connection.execute(tables.tables["user"].insert(), row)
            for row in snapshots:
                connection.execute(tables.tables["scenario_snapshot"].insert(), row)
        migrate.upgrade(engine)
        tables = MetaData()
        tables.reflect(engine)
        authored, versions = tables.tables["authored_scenario"], tables.tables["scenario_version"]
        with engine.connect() as connection:
            rows = connection.execute(select(authored.c.scenario_id, authored.c.owner_id,
                                             authored.c.published_version,
                                             authored.c.everyone)).all()
            saved = connection.execute(select(versions.c.number, versions.c.content_hash,
                                              versions.c.author_id, versions.c.valid)
                                       .order_by(versions.c.number)).all()
        assert [tuple(r) for r in rows] == [("ours", 1, 2, True)]
        assert [tuple(r) for r in saved] == [(1, "a" * 64, 1, True), (2, "b" * 64, 2, True)]
        config = migrate.alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0010")
        tables = MetaData()
        tables.reflect(engine)
        assert "authored_scenario" not in tables.tables
        with engine.connect() as connection:
            left = connection.execute(select(tables.tables["scenario_snapshot"].c.content_hash)
                                      ).all()
        assert len(left) == 3
    finally:
        engine.dispose()
