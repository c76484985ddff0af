"""Issue 9, point 7: a backup made as the README says restores to the same database.

The demo data is seeded and committed, persons are read (so the access log has lines), then
`pg_dump --format=custom` writes the backup and `pg_restore` loads it into a new, empty
database. Every table holds as many rows as before, the access log holds the same lines to the
last column, and the restored access log is still append-only (the trigger came along)."""

import os
import subprocess
import uuid
from io import StringIO

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from cases.models import Case
from ipgar.accounts.models import User
from ipgar.audit.models import AccessLogEntry
from tests.personas import signed_in

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _libpq_env() -> dict[str, str]:
    settings = connection.settings_dict
    env = {**os.environ}
    env.update(
        PGHOST=settings["HOST"] or "127.0.0.1",
        PGPORT=str(settings["PORT"] or 5432),
        PGUSER=settings["USER"] or "postgres",
    )
    if settings["PASSWORD"]:
        env["PGPASSWORD"] = settings["PASSWORD"]
    return env


def _connect(dbname: str) -> psycopg.Connection:
    env = _libpq_env()
    return psycopg.connect(
        host=env["PGHOST"],
        port=env["PGPORT"],
        user=env["PGUSER"],
        password=env.get("PGPASSWORD"),
        dbname=dbname,
        autocommit=True,
    )


def _row_counts(dbname: str) -> dict[str, int]:
    with _connect(dbname) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
            )
        ]
        return {
            table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables
        }


def _access_log(dbname: str) -> list[tuple]:
    table = AccessLogEntry._meta.db_table
    with _connect(dbname) as conn:
        return conn.execute(f'SELECT * FROM "{table}" ORDER BY id').fetchall()


@pytest.fixture
def fresh_database():
    name = f"ipgar_restore_{uuid.uuid4().hex[:12]}"
    with _connect("postgres") as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with _connect("postgres") as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_dump_of_the_seeded_database_restores_with_the_same_rows_and_access_log(
    client, tmp_path, fresh_database
):
    call_command("seed_demo", stdout=StringIO())
    regisseur = User.objects.get(username="regisseur")
    signed_in(client, regisseur)
    for case in Case.objects.filter(regisseur=regisseur)[:5]:
        assert client.get(reverse("cases:case_detail", args=[case.pk])).status_code == 200
    source = connection.settings_dict["NAME"]
    before = _row_counts(source)
    log_before = _access_log(source)
    assert log_before, "reading cases must have written access log lines"
    assert sum(before.values()) > 1000

    backup = tmp_path / "ipgar.dump"
    env = _libpq_env()
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", f"--file={backup}", source],
        env=env,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={fresh_database}", backup],
        env=env,
        check=True,
        capture_output=True,
    )

    after = _row_counts(fresh_database)
    assert after == before
    assert _access_log(fresh_database) == log_before
    with _connect(fresh_database) as conn, pytest.raises(psycopg.Error):
        conn.execute(f'DELETE FROM "{AccessLogEntry._meta.db_table}"')
    print(
        f"backup: {len(after)} tables, {sum(after.values())} rows and "
        f"{len(log_before)} access log lines restored identically from a "
        f"{backup.stat().st_size // 1024} KiB pg_dump"
    )
