"""The Validate button of the course's JupyterLab, recording its result in your progress store.

nbgrader's Validate button asks its server extension (``/assignments/validate``) to run the
saved notebook. The learners' settings (``jupyter/learner/jupyter_server_config.json``) load
this extension in place of nbgrader's ``validate_assignment``: it answers the same URLs with
nbgrader's own handlers, so Validate runs and reports exactly as before, and afterwards scores
the notebook's test cells the way ``advpy check`` does and records the result
(:mod:`advpy.progress`) as ``via = "Validate"``.

nbgrader returns only the failing cells, not the executed notebook; the notebook is kept
through nbclient's ``on_notebook_start`` hook, set in this request's configuration: it hands
over the notebook that is then executed in place. Recording never changes what Validate
answers: when it fails (a damaged or locked store), the server's log says why.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jupyter_server.utils import url_path_join
from nbformat import NotebookNode
from nbgrader.server_extensions.validate_assignment.handlers import (
    NbGraderVersionHandler,
    ValidateAssignmentHandler,
)

from advpy.course.scoring import is_test_cell, score_test_cell
from advpy.progress import VIA_VALIDATE, ProgressError, record
from advpy.selfcheck import check_record


class RecordingValidateHandler(ValidateAssignmentHandler):
    """nbgrader's Validate, which also records the result in the progress store."""

    _executed: list[NotebookNode]

    def load_config(self) -> Any:
        """nbgrader's configuration for this Validate, plus the hook that keeps the notebook."""
        config = super().load_config()
        executed = self._executed

        def keep(notebook: NotebookNode, **_: Any) -> None:
            executed.append(notebook)  # a retry starts again: the last one counts

        config.Execute.on_notebook_start = keep
        return config

    def validate_notebook(self, path: str) -> dict[str, Any]:
        """Validate as nbgrader does; when it ran the notebook, record the result too."""
        self._executed = []
        answer: dict[str, Any] = super().validate_notebook(path)
        if answer.get("success") and self._executed:
            self._record(Path(self.root_dir).resolve() / path, self._executed[-1])
        return answer

    def _record(self, notebook_path: Path, executed: NotebookNode) -> None:
        results = [score_test_cell(c) for c in executed.cells if is_test_cell(c)]
        if not results:
            return  # not an exercise notebook: nothing to record
        try:
            store = record(check_record(notebook_path, results, via=VIA_VALIDATE))
        except (ProgressError, ValueError) as error:
            self.log.warning("advpy: this Validate was not recorded in your progress: %s", error)
        else:
            self.log.info("advpy: recorded this Validate of %s in %s", notebook_path.name, store)


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "advpy.lab_validate"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    """Serve Validate (and nbgrader's version check, which its button calls first)."""
    webapp = serverapp.web_app
    webapp.settings["root_dir"] = serverapp.root_dir
    base_url = webapp.settings["base_url"]
    webapp.add_handlers(
        ".*$",
        [
            (url_path_join(base_url, "/assignments/validate"), RecordingValidateHandler),
            (url_path_join(base_url, "/nbgrader_version"), NbGraderVersionHandler),
        ],
    )
    serverapp.log.info("advpy: Validate records its results in your progress store")
