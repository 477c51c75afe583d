"""PostgreSQL starts under a user id that has no name in the password database (as code does
inside the grader's sandbox), through nss_wrapper, with pg_stat_statements preloaded; and it
says what to install when nss_wrapper is missing."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from advpy.services import ServiceError, postgres
from advpy.services.postgres import identity_env, nss_wrapper_library

#: A user id no system gives a name (the grader's sandbox uses ids from 0x10000000 up).
NAMELESS_UID = 0x0FEDCBA9


def test_a_named_user_needs_no_wrapper(tmp_path: Path) -> None:
    assert identity_env(None, tmp_path) is None
    assert not list(tmp_path.iterdir()), "nothing written for a user with a name"


def test_a_nameless_user_gets_a_password_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postgres, "_has_name", lambda uid: False)
    monkeypatch.setattr(postgres, "nss_wrapper_library", lambda: "/opt/libnss_wrapper.so")
    env = identity_env(None, tmp_path)
    assert env is not None and env["LD_PRELOAD"] == "/opt/libnss_wrapper.so"
    line = Path(env["NSS_WRAPPER_PASSWD"]).read_text()
    assert line.startswith(f"postgres:x:{os.geteuid()}:{os.getegid()}:")
    assert Path(env["NSS_WRAPPER_GROUP"]).read_text() == f"postgres:x:{os.getegid()}:\n"


def test_without_nss_wrapper_the_error_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(postgres, "_has_name", lambda uid: False)
    monkeypatch.setattr(postgres, "nss_wrapper_library", lambda: None)
    with pytest.raises(ServiceError, match="apt-get install libnss-wrapper"):
        identity_env(None, tmp_path)


@pytest.mark.skipif(os.geteuid() != 0, reason="switching to a nameless user id needs root")
def test_postgres_runs_as_a_nameless_user_with_pg_stat_statements() -> None:
    assert nss_wrapper_library() is not None, "apt-get install libnss-wrapper"
    script = textwrap.dedent(
        """
        import os, pwd
        from advpy.services import postgres_server, running_services
        try:
            pwd.getpwuid(os.geteuid())
            raise SystemExit("this user id has a name")
        except KeyError:
            pass
        with postgres_server(settings={"shared_preload_libraries": "pg_stat_statements"}) as db:
            db.client.execute("CREATE EXTENSION pg_stat_statements")
            db.client.execute("SELECT 41 + 1")
            calls = db.client.execute(
                "SELECT calls FROM pg_stat_statements WHERE query LIKE 'SELECT $1 + $2'"
            ).fetchone()
            print("calls", calls[0], "account", db.account)
        print("left running", len(running_services()))
        """
    )
    done = subprocess.run(
        ["setpriv", f"--reuid={NAMELESS_UID}", f"--regid={NAMELESS_UID}", "--clear-groups"]
        + [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        cwd="/tmp",
        env={**os.environ, "TMPDIR": "/tmp"},
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "calls 1 account None" in done.stdout
    assert "left running 0" in done.stdout
