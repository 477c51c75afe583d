"""Drive the course's JupyterLab in a real headless Chromium, the way a learner uses it.

The server is started exactly as ``make lab`` starts it (``advpy lab``), on a scratch copy of
the course, so that typing and saving in the browser never touches the committed notebooks.
The browser is Debian's Chromium driven by Playwright. Every step can leave a screenshot, and a
failure names the screenshot and quotes the text the page showed.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advpy.course.paths import CoursePaths

#: Debian's Chromium; ``ADVPY_CHROMIUM`` names another Chromium or Chrome binary.
CHROMIUM = Path(os.environ.get("ADVPY_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",  # containers often give /dev/shm only 64 MB
]
#: Seconds JupyterLab may take to answer after ``advpy lab`` starts (cold start on 2 cores).
SERVER_START_TIMEOUT = 90
#: What the course copy needs for JupyterLab: lessons and exercises, the Jupyter settings,
#: and the nbgrader course (the instructor's formgrader writes its gradebook there).
COPIED = ["notebooks", "jupyter", "grading/nbgrader_config.py", "grading/source"]
IGNORED = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__", "*.log", "gradebook.db")


class BrowserStepError(AssertionError):
    """A step failed; the message names the screenshot and quotes what the page showed."""


def scratch_course(paths: CoursePaths, destination: Path) -> CoursePaths:
    """Copy what JupyterLab needs of the course under ``destination``; return its paths."""
    for relative in COPIED:
        source = paths.root / relative
        target = destination / relative
        if source.is_dir():
            shutil.copytree(source, target, ignore=IGNORED)
        elif source.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return CoursePaths(destination)


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class LabServer:
    """A running ``advpy lab`` (its own process group) and how to reach it."""

    process: subprocess.Popen[bytes]
    port: int
    token: str
    log: Path
    instructor: bool
    stopped: bool = field(default=False)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str, query: str = "") -> str:
        """A JupyterLab URL with the token (``path`` starts with ``/``)."""
        extra = f"&{query}" if query else ""
        return f"{self.base}{path}?token={self.token}{extra}"

    def api(self, path: str, method: str = "GET") -> Any:
        """Call the server's REST API and decode its JSON answer (``None`` when empty)."""
        request = urllib.request.Request(
            f"{self.base}{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            body = answer.read()
        return json.loads(body) if body else None

    def log_tail(self, lines: int = 40) -> str:
        """The last lines the server wrote (for failure messages)."""
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def shutdown_kernels(self) -> None:
        """Shut down every kernel the server runs (quietly, if the server is gone)."""
        try:
            for kernel in self.api("/api/kernels"):
                self.api(f"/api/kernels/{kernel['id']}", method="DELETE")
        except (OSError, ValueError):
            pass  # the server is gone or wedged: stopping its process group still applies

    def stop(self) -> None:
        """Shut down its kernels, then stop the whole process group (escalating to SIGKILL)."""
        if self.stopped:
            return
        self.stopped = True
        if self.process.poll() is None:
            self.shutdown_kernels()
        for sig, grace in ((signal.SIGTERM, 20.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + grace
            while time.monotonic() < deadline and self._group_alive():
                time.sleep(0.2)
            if not self._group_alive():
                break

    def _group_alive(self) -> bool:
        """Whether any process of the server's group still runs (reaping our own child)."""
        self.process.poll()
        try:
            os.killpg(self.process.pid, 0)
        except ProcessLookupError:
            return False
        return True


def lab_command(instructor: bool, port: int, token: str) -> list[str]:
    """``advpy lab --no-browser --port N --token T``: the command ``make lab`` runs, plus flags."""
    script = Path(sys.executable).with_name("advpy")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "advpy.cli"]
    command += ["lab", "--no-browser", "--port", str(port), "--token", token]
    if instructor:
        command.append("--instructor")
    return command


def server_environment(course: CoursePaths, home: Path) -> dict[str, str]:
    """A learner's environment pointed at the course copy, with fresh per-user Jupyter dirs.

    ``MPLBACKEND`` is dropped: the test session sets it to Agg, and a kernel that inherits it
    would draw no inline plots, which a learner's kernel does.
    """
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env["ADVPY_ROOT"] = str(course.root)
    env["ADVPY_FAST"] = "1"
    env["JUPYTER_CONFIG_DIR"] = str(home / "config")  # user settings and workspaces
    env["JUPYTER_RUNTIME_DIR"] = str(home / "runtime")
    env["JUPYTER_DATA_DIR"] = str(home / "data")  # the kernel and extensions live in the venv
    env["JUPYTERLAB_WORKSPACES_DIR"] = str(home / "workspaces")
    return env


@contextmanager
def running_lab(course: CoursePaths, home: Path, instructor: bool = False) -> Iterator[LabServer]:
    """Start ``advpy lab`` on ``course``, wait until it answers, and always stop it after."""
    home.mkdir(parents=True, exist_ok=True)
    port, token = free_port(), secrets.token_hex(16)
    log = home / ("lab-instructor.log" if instructor else "lab-learner.log")
    with log.open("wb") as sink:
        process = subprocess.Popen(
            lab_command(instructor, port, token),
            env=server_environment(course, home),
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # one process group: the teardown stops all of it
        )
    server = LabServer(process, port, token, log, instructor)
    try:
        wait_until_answers(server)
        yield server
    finally:
        server.stop()


def wait_until_answers(server: LabServer, timeout: float = SERVER_START_TIMEOUT) -> None:
    """Poll ``/api/status`` until the server answers; fail early if the process exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"advpy lab exited with {server.process.returncode} before answering:\n"
                + server.log_tail()
            )
        try:
            server.api("/api/status")
            return
        except (OSError, urllib.error.URLError):
            time.sleep(0.5)
    raise RuntimeError(f"advpy lab did not answer within {timeout:.0f} s:\n{server.log_tail()}")


# ---------------------------------------------------------------------------------------------
# The browser side: Playwright driving Debian's Chromium.

#: Text JupyterLab's widget manager shows in place of a widget it cannot render.
LOADING_WIDGET = "Loading widget..."
#: JavaScript: the input prompts of every code cell of the current notebook ("[3]:", "[*]:").
_PROMPTS_JS = """() => [...document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-CodeCell .jp-InputPrompt')]
    .map(e => e.textContent.trim())"""
#: JavaScript: the text of whatever on the page looks like an error, for failure messages.
_VISIBLE_ERRORS_JS = """() => {
  const texts = [];
  for (const d of document.querySelectorAll('.jp-Dialog')) texts.push('dialog: ' + d.innerText);
  for (const t of document.querySelectorAll('.Toastify__toast'))
    texts.push('notification: ' + t.innerText);
  for (const o of document.querySelectorAll(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))
    texts.push('cell output: ' + o.innerText);
  for (const w of document.querySelectorAll('.jupyter-widgets'))
    if (w.innerText.includes('Loading widget')) texts.push('widget: ' + w.innerText);
  return texts.map(t => t.slice(0, 1500));
}"""


def launch_chromium(playwright: Any) -> Any:
    """Debian's headless Chromium (Playwright's own browser download is not used)."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@dataclass
class Screenshots:
    """Numbered screenshots of each step, in one folder."""

    folder: Path
    taken: list[Path] = field(default_factory=list)

    def take(self, page: Any, name: str) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        # Let the page paint what a scroll just brought into view (cells off screen are not
        # rendered until they come near it).
        page.evaluate(
            "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"
        )
        page.wait_for_timeout(200)
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        path = self.folder / f"{len(self.taken) + 1:02d}-{slug}.png"
        page.screenshot(path=str(path))
        self.taken.append(path)
        return path


class LabPage:
    """One browser tab on the course's JupyterLab, with the steps a learner takes."""

    def __init__(self, page: Any, server: LabServer, shots: Screenshots) -> None:
        self.page = page
        self.server = server
        self.shots = shots
        self.console_errors: list[str] = []
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        page.on(
            "console",
            lambda message: (
                self.console_errors.append(message.text) if message.type == "error" else None
            ),
        )

    # -- failure reporting ---------------------------------------------------------------------
    def visible_errors(self) -> list[str]:
        """What the page shows that looks like an error (dialogs, notifications, tracebacks)."""
        try:
            return list(self.page.evaluate(_VISIBLE_ERRORS_JS))
        except Exception as error:  # the page itself may be gone
            return [f"(could not read the page: {error})"]

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Run one step; on failure, add a screenshot and the page's visible error text."""
        try:
            yield
        except Exception as error:
            try:
                shot = str(self.shots.take(self.page, f"FAILED-{name}"))
            except Exception as shot_error:
                shot = f"(no screenshot: {shot_error})"
            shown = "\n".join(self.visible_errors()) or "(no error text on the page)"
            console = "\n".join(self.console_errors[-10:]) or "(none)"
            raise BrowserStepError(
                f"browser step '{name}' failed: {error}\n"
                f"screenshot: {shot}\n"
                f"the page showed:\n{shown}\n"
                f"browser console errors:\n{console}\n"
                f"server log (last lines):\n{self.server.log_tail(15)}"
            ) from error

    def shoot(self, name: str) -> Path:
        return self.shots.take(self.page, name)

    # -- opening and reading a notebook --------------------------------------------------------
    def open_notebook(self, path: str, timeout: float = 90) -> None:
        """Open ``path`` (relative to the server's root) in a fresh workspace; wait for a kernel.

        Waits until every cell of the file is in the page and the kernel is idle.
        """
        cells = len(self.server.api(f"/api/contents/{path}?content=1")["content"]["cells"])
        self.page.goto(self.server.url(f"/lab/tree/{path}", "reset"))
        ms = timeout * 1000
        self.page.wait_for_function(
            "n => document.querySelectorAll('.jp-Notebook .jp-Cell').length >= n",
            arg=cells,
            timeout=ms,
        )
        # The toolbar's indicator says "idle" before any kernel exists; the status bar names
        # the kernel and its state ("Python 3 (ipykernel) | Idle") once it is connected.
        self.page.wait_for_function(
            "() => (document.querySelector('#jp-main-statusbar')?.innerText ?? '')"
            ".includes('| Idle')",
            timeout=ms,
        )

    def cells(self) -> Any:
        return self.page.locator(".jp-Notebook .jp-Cell")

    def cell_index(self, text: str) -> int:
        """The index of the first cell whose text contains ``text``."""
        for index, content in enumerate(self.cells().all_text_contents()):
            if text in content:
                return index
        raise AssertionError(f"no cell contains {text!r}")

    def saved_notebook(self, path: str) -> dict[str, Any]:
        """The notebook as the server has it on disk (what Validate and a grader see)."""
        content: dict[str, Any] = self.server.api(f"/api/contents/{path}?content=1")["content"]
        return content

    # -- what a learner does -------------------------------------------------------------------
    def menu(self, top: str, item: str) -> None:
        """Click ``top`` in the menu bar, then ``item`` in the menu that opens."""
        self.page.locator("#jp-MainMenu").get_by_text(top, exact=True).click()
        self.page.locator(".lm-Menu").last.get_by_text(item, exact=True).click()

    def palette_search(self, text: str) -> list[str]:
        """Open View > Activate Command Palette, type ``text``; return the commands listed.

        The palette stays open (for a screenshot); Escape closes it.
        """
        self.menu("View", "Activate Command Palette")
        palette = self.page.locator(".jp-ModalCommandPalette")
        palette.wait_for(state="visible")
        palette.locator("input").fill(text)
        self.page.wait_for_timeout(300)  # the palette filters on input events
        items = palette.locator(".lm-CommandPalette-item:visible").all_inner_texts()
        return [" ".join(item.split()) for item in items]

    def replace_cell_text(self, index: int, text: str, paste: bool = False) -> None:
        """Select all of a cell's code and type ``text`` over it (or paste it, with ``paste``).

        Typing goes through the editor's auto-indent like a person's typing; pasting inserts
        the text as it is.
        """
        editor = self.cells().nth(index).locator(".cm-content")
        editor.click()
        self.page.keyboard.press("Control+a")
        if paste:
            self.page.keyboard.insert_text(text)
        else:
            self.page.keyboard.type(text)
        self.page.keyboard.press("Escape")

    def save(self, timeout: float = 30) -> None:
        """Click the toolbar's save button; wait until the tab is no longer marked modified."""
        self.page.locator(
            ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-NotebookPanel-toolbar "
            "[data-jp-item-name='save'] jp-button"
        ).click()
        self.page.wait_for_function(
            "() => !document.querySelector('.lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-dirty')",
            timeout=timeout * 1000,
        )

    def validate(self, timeout: float = 120) -> tuple[str, str]:
        """Click nbgrader's Validate button; return the result's kind and the dialog's text.

        The kind is the class nbgrader gives the message: ``validation-success``,
        ``validation-failed``, ``validation-changed`` ... The dialog stays open.
        """
        self.page.locator(".jp-NotebookPanel-toolbar").get_by_text("Validate", exact=True).click()
        message = self.page.locator(".jp-Dialog #validation-message")
        message.wait_for(timeout=timeout * 1000)
        kinds = [c for c in (message.get_attribute("class") or "").split() if c]
        kind = next((c for c in kinds if c.startswith("validation-")), "validation-unknown")
        return kind, self.page.locator(".jp-Dialog").inner_text()

    def close_dialog(self) -> None:
        self.page.locator(".jp-Dialog").get_by_role("button", name="Ok").click()
        self.page.locator(".jp-Dialog").wait_for(state="detached")

    def run_all(self, timeout: float = 300) -> list[str]:
        """Run > Run All Cells, like a learner; wait until nothing runs; return the prompts.

        Done means: the kernel is idle, a cell has run, no cell shows ``[*]``, and that stays so
        for a moment.
        A cell left at ``[ ]`` was not run (Run All stops at the first error).
        """
        self.menu("Run", "Run All Cells")
        deadline = time.monotonic() + timeout
        calm = 0
        prompts: list[str] = []
        while time.monotonic() < deadline:
            prompts = list(self.page.evaluate(_PROMPTS_JS))
            idle = self.page.locator(
                ".jp-NotebookPanel:not(.lm-mod-hidden) "
                ".jp-Notebook-ExecutionIndicator[data-status='idle']"
            ).count()
            running = any("*" in p for p in prompts)
            ran = any(re.fullmatch(r"\[\d+\]:", p) for p in prompts)
            calm = calm + 1 if idle and ran and not running else 0
            if calm >= 3:
                return prompts
            time.sleep(0.5)
        raise TimeoutError(f"Run All Cells still running after {timeout:.0f} s: {prompts}")
