"""An Alembic project in a folder of its own, driven through Alembic's command API.

The lesson writes each revision file itself (:meth:`AlembicProject.write_revision`), so a
reader sees every line Alembic runs; ``alembic revision`` would write the same file from its
template. Commands print what Alembic prints, captured so that the notebook can show it.
"""

from __future__ import annotations

import contextlib
import io
import textwrap
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

#: The ``env.py`` of every project here: run the migrations online, on the configured URL,
#: with no metadata (the revisions say what they do; autogenerate is shown apart).
ENV_PY = """\
from alembic import context
from sqlalchemy import create_engine

url = context.config.get_main_option("sqlalchemy.url")
if context.is_offline_mode():
    context.configure(url=url, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = create_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=None)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()
"""

#: The template ``alembic revision`` and ``alembic merge`` fill in.
SCRIPT_MAKO = '''\
"""${message}"""
import sqlalchemy as sa
from alembic import op

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade():
    ${upgrades if upgrades else "pass"}


def downgrade():
    ${downgrades if downgrades else "pass"}
'''

REVISION = '''\
"""{message}"""
import sqlalchemy as sa
from alembic import op

revision = {revision!r}
down_revision = {down_revision!r}
branch_labels = None
depends_on = None


def upgrade():
{upgrade}


def downgrade():
{downgrade}
'''


class AlembicProject:
    """A migration environment in ``folder`` for the database at ``url``."""

    def __init__(self, folder: Path, url: str) -> None:
        self.folder = Path(folder)
        self.versions = self.folder / "versions"
        self.versions.mkdir(parents=True, exist_ok=True)
        (self.folder / "env.py").write_text(ENV_PY)
        (self.folder / "script.py.mako").write_text(SCRIPT_MAKO)
        self.url = url
        self._output = io.StringIO()
        self.config = Config(stdout=self._output, output_buffer=self._output)
        self.config.set_main_option("script_location", str(self.folder))
        self.config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))

    def write_revision(
        self,
        revision: str,
        down_revision: str | tuple[str, ...] | None,
        upgrade: str,
        downgrade: str,
        message: str = "",
    ) -> Path:
        """Write ``versions/<revision>.py``; ``upgrade`` and ``downgrade`` are function bodies."""
        path = self.versions / f"{revision}.py"
        path.write_text(
            REVISION.format(
                message=message or revision,
                revision=revision,
                down_revision=down_revision,
                upgrade=textwrap.indent(textwrap.dedent(upgrade).strip(), "    "),
                downgrade=textwrap.indent(textwrap.dedent(downgrade).strip(), "    "),
            )
        )
        return path

    def _run(self, action: str, *args: str, **kwargs: object) -> str:
        self._output.seek(0)
        self._output.truncate()
        getattr(command, action)(self.config, *args, **kwargs)
        return self._output.getvalue().strip()

    def upgrade(self, target: str = "head") -> None:
        """``alembic upgrade target``."""
        self._run("upgrade", target)

    def downgrade(self, target: str) -> None:
        """``alembic downgrade target``."""
        self._run("downgrade", target)

    def upgrade_sql(self, target: str) -> str:
        """``alembic upgrade --sql target``: the SQL the upgrade would run, without a database
        (offline mode; ``start:target`` as Alembic writes it)."""
        return self._run("upgrade", target, sql=True)

    def current(self) -> str:
        """``alembic current``: the revision(s) the database is at."""
        return self._run("current")

    def heads(self) -> list[str]:
        """The revisions nothing comes after, in the order Alembic lists them."""
        return sorted(ScriptDirectory.from_config(self.config).get_heads())

    def history(self) -> list[str]:
        """``alembic history``, one line per revision, newest first."""
        return self._run("history").splitlines()

    def merge(self, revision: str, message: str) -> str:
        """``alembic merge heads``: a revision whose ``down_revision`` names every head."""
        with contextlib.redirect_stdout(io.StringIO()):  # "Generating <path> ... done"
            script = command.merge(self.config, "heads", message=message, rev_id=revision)
        assert script is not None
        return str(script.path)
