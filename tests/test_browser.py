"""The learner's path in a real browser: JupyterLab started like ``make lab``, driven by Chromium.

Nothing is simulated: ``advpy lab`` serves a scratch copy of the course (the committed notebooks
are never written), and Debian's headless Chromium, driven by Playwright, opens the notebooks,
runs them, types answers, saves and presses nbgrader's Validate button. Each step leaves a
screenshot in ``test-artifacts/browser/``; a failing step names its screenshot and quotes the
error text the page showed.

Needs ``/usr/bin/chromium`` (``apt-get install chromium``), which ``make test`` installs: without
it each test here fails and says how to install it.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from labharness import (
    CHROMIUM,
    LOADING_WIDGET,
    LabPage,
    LabServer,
    Screenshots,
    launch_chromium,
    running_lab,
    scratch_course,
)
from playwright import sync_api

from advpy.course.masters import read_master
from advpy.course.paths import CoursePaths

pytestmark = pytest.mark.slow

EXERCISE = "ps31_two_sum"
ANSWER_ID = "find_pairs_answer"
WRONG_ANSWER_LINES = ["def find_pairs(transactions, target):", "return []"]
GIL_LESSON = "01_gil.ipynb"
MEMORY_LESSON = "02_memory.ipynb"
SCOPES_LESSON = "07_scopes.ipynb"
CYCLE_HEADING = "objgraph picture of a cycle"
#: Words of nbgrader's instructor commands in the command palette.
INSTRUCTOR_COMMANDS = ("Formgrader", "Create assignment", "Assignment List", "Course List")
VIEWPORT = {"width": 1400, "height": 900}
#: Seconds a lesson's Run All may take in fast mode on a busy 2-core machine.
LESSON_TIMEOUT = 240


# ---------------------------------------------------------------------------------------------
# Fixtures: one scratch course, one browser, a learner's server for the module.


@pytest.fixture(scope="module")
def shots(artifacts: Path) -> Screenshots:
    folder = artifacts / "browser"
    shutil.rmtree(folder, ignore_errors=True)  # no stale screenshots from an earlier run
    return Screenshots(folder)


@pytest.fixture(scope="module")
def course(paths: CoursePaths, tmp_path_factory: pytest.TempPathFactory) -> CoursePaths:
    return scratch_course(paths, tmp_path_factory.mktemp("browser-course"))


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is missing (no {CHROMIUM}): install it with `apt-get install chromium`, "
            "or run `make test`, which installs it when it can (ADVPY_CHROMIUM names another "
            "Chromium or Chrome)",
            pytrace=False,
        )
    with sync_api.sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def learner_lab(
    course: CoursePaths, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LabServer]:
    with running_lab(course, tmp_path_factory.mktemp("learner-home")) as server:
        yield server


@contextmanager
def lab_page(chromium: Any, server: LabServer, shots: Screenshots) -> Iterator[LabPage]:
    """A fresh browser context on ``server``; its kernels are shut down afterwards."""
    context = chromium.new_context(viewport=VIEWPORT)
    try:
        yield LabPage(context.new_page(), server, shots)
    finally:
        context.close()
        server.shutdown_kernels()


def reference_answer(paths: CoursePaths) -> str:
    """The exercise's reference answer cell, without nbgrader's SOLUTION markers."""
    master = read_master(paths.solutions / f"{EXERCISE}.py")
    for cell in master.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == ANSWER_ID:
            lines = [
                line
                for line in cell.source.splitlines()
                if "### BEGIN" not in line and "### END" not in line
            ]
            return "\n".join(lines).rstrip() + "\n"
    raise AssertionError(f"{EXERCISE}: no cell with grade id {ANSWER_ID}")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------------------------------------
# Helpers for lessons.


def run_lesson(lab: LabPage, name: str) -> None:
    """Open a lesson, Run All, and check that every cell ran and none raised an error."""
    with lab.step(f"open {name}"):
        lab.open_notebook(name)
    with lab.step(f"run all cells of {name}"):
        prompts = lab.run_all(timeout=LESSON_TIMEOUT)
        not_run = [i for i, p in enumerate(prompts) if not re.fullmatch(r"\[\d+\]:", p)]
        assert not not_run, (
            f"{len(not_run)} of {len(prompts)} code cells did not run (Run All stops at the "
            f"first error); prompts of the first ones: {[prompts[i] for i in not_run[:3]]}"
        )
        lab.save()
        saved = lab.saved_notebook(name)
        errors = [
            f"cell {index}: {output['ename']}: {output['evalue']}"
            for index, cell in enumerate(saved["cells"])
            if cell["cell_type"] == "code"
            for output in cell["outputs"]
            if output["output_type"] == "error"
        ]
        assert not errors, "cells raised errors:\n" + "\n".join(errors)


def decoded_images(lab: LabPage, selector: str) -> list[dict[str, Any]]:
    """Size and source of each matching ``img`` that the browser decoded (width > 0)."""
    return list(
        lab.page.evaluate(
            """s => [...document.querySelectorAll(s)].map(i => ({
                width: i.naturalWidth, height: i.naturalHeight, src: i.src.slice(0, 64) + '...',
                key: i.src.length + ':' + i.src.slice(-64), complete: i.complete}))
                .filter(i => i.complete && i.width > 0)""",
            selector,
        )
    )


# ---------------------------------------------------------------------------------------------
# 1. A learner's JupyterLab: Validate, and none of the instructor's tools.


def test_learner_lab_offers_validate_and_no_instructor_tools(
    chromium: Any, learner_lab: LabServer, shots: Screenshots
) -> None:
    with lab_page(chromium, learner_lab, shots) as lab:
        with lab.step("open the exercise as a learner"):
            lab.open_notebook(f"exercises/{EXERCISE}.ipynb")
            lab.shoot("learner-exercise-opened")
        with lab.step("no news pop-up"):
            news = lab.page.locator(".Toastify__toast").filter(has_text="Jupyter news")
            assert news.count() == 0, "JupyterLab asks about Jupyter news (run advpy setup-jupyter)"
            setting = learner_lab.api(
                "/lab/api/settings/@jupyterlab/apputils-extension:notification"
            )
            fetch_news = setting["schema"]["properties"]["fetchNews"]["default"]
            assert fetch_news == "false", f"fetchNews is {fetch_news!r} (run advpy setup-jupyter)"
        with lab.step("Validate button in the notebook toolbar"):
            validate = lab.page.locator(".jp-NotebookPanel-toolbar").get_by_text(
                "Validate", exact=True
            )
            assert validate.is_visible(), "no Validate button in the exercise's toolbar"
        with lab.step("no instructor tools for a learner"):
            menus = lab.page.locator("#jp-MainMenu .lm-MenuBar-itemLabel").all_inner_texts()
            assert "Nbgrader" not in menus, f"the learner's menu bar has an Nbgrader menu: {menus}"
            tabs = lab.page.locator(".jp-SideBar .lm-TabBar-tab").all_text_contents()
            tab_titles = " ".join(
                tabs
                + lab.page.locator(".jp-SideBar .lm-TabBar-tab").evaluate_all(
                    "ts => ts.map(t => t.title)"
                )
            )
            assert "Create Assignment" not in tab_titles, f"side bar tabs: {tab_titles}"
            commands = lab.palette_search("nbgrader")
            lab.shoot("learner-palette-nbgrader")
            assert not any(word in c for c in commands for word in INSTRUCTOR_COMMANDS), (
                f"the command palette offers instructor commands: {commands}"
            )
            lab.page.keyboard.press("Escape")
            status = formgrader_status(learner_lab, "/formgrader")
            assert status == 404, f"a learner's server answers /formgrader with HTTP {status}"


def formgrader_status(server: LabServer, path: str) -> int:
    """The HTTP status of a formgrader URL on ``server`` (404: no formgrader there)."""
    try:
        with urllib.request.urlopen(server.url(path), timeout=30) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


# ---------------------------------------------------------------------------------------------
# 2. An exercise: a wrong answer fails Validate, a correct one passes.


def test_exercise_validate_reports_failure_then_success(
    chromium: Any,
    learner_lab: LabServer,
    shots: Screenshots,
    paths: CoursePaths,
    course: CoursePaths,
) -> None:
    path = f"exercises/{EXERCISE}.ipynb"
    committed = paths.exercises / f"{EXERCISE}.ipynb"
    before = digest(committed)
    correct = reference_answer(paths)
    with lab_page(chromium, learner_lab, shots) as lab:
        with lab.step("open the exercise"):
            lab.open_notebook(path)
            answer = lab.cell_index("raise NotImplementedError")
        with lab.step("type a wrong answer and save"):
            # Typed key by key: the editor indents the second line itself.
            lab.replace_cell_text(answer, "\n".join(WRONG_ANSWER_LINES))
            lab.save()
            saved = lab.saved_notebook(path)["cells"][answer]["source"]
            assert "return []" in saved and "NotImplementedError" not in saved, saved
            lab.shoot("exercise-wrong-answer-saved")
        with lab.step("Validate reports the failure"):
            kind, text = lab.validate()
            lab.shoot("exercise-validate-failed")
            assert kind == "validation-failed", f"{kind}: {text}"
            assert "The following cell failed" in text and "AssertionError" in text, text
            assert "returned: []" in text, "the failure does not say what find_pairs returned"
            lab.close_dialog()
        with lab.step("paste the correct answer and save"):
            lab.replace_cell_text(answer, correct, paste=True)
            lab.save()
            saved = lab.saved_notebook(path)["cells"][answer]["source"]
            assert saved.strip() == correct.strip(), f"the saved answer differs:\n{saved}"
            lab.shoot("exercise-correct-answer-saved")
        with lab.step("Validate reports success"):
            kind, text = lab.validate()
            lab.shoot("exercise-validate-success")
            assert kind == "validation-success", f"{kind}: {text}"
            assert "Success! Your notebook passes all the tests." in text, text
            lab.close_dialog()
    assert (course.exercises / f"{EXERCISE}.ipynb").read_text() != committed.read_text()
    assert digest(committed) == before, "the committed exercise notebook was modified"


# ---------------------------------------------------------------------------------------------
# 3. The GIL lesson: runs clean, plots render, the widget panel is live and redraws.


def test_gil_lesson_plots_and_live_widget_panel(
    chromium: Any, learner_lab: LabServer, shots: Screenshots, course: CoursePaths
) -> None:
    if not (course.notebooks / GIL_LESSON).exists():
        pytest.fail(f"notebooks/{GIL_LESSON} does not exist yet (the GIL lesson is not built)")
    with lab_page(chromium, learner_lab, shots) as lab:
        run_lesson(lab, GIL_LESSON)
        with lab.step("plots are rendered as images"):
            plots = decoded_images(lab, ".jp-OutputArea-output[data-mime-type='image/png'] img")
            assert plots, "no plot was rendered as an image"
            lab.page.locator(
                ".jp-OutputArea-output[data-mime-type='image/png'] img"
            ).first.scroll_into_view_if_needed()
            lab.shoot("gil-first-plot")
        panel = lab.page.locator(".advpy-gil-panel")
        with lab.step("the widget panel shows live controls"):
            assert panel.count() == 1, f"{panel.count()} output areas with class advpy-gil-panel"
            show_cell_of(panel)
            panel.locator("img").first.wait_for(timeout=60_000)
            loading = lab.page.get_by_text(LOADING_WIDGET)
            assert loading.count() == 0, "a widget shows 'Loading widget...' instead of controls"
            box = lab.page.locator(".widget-vbox", has=panel).last  # the panel with its controls
            selects = box.locator(".widget-dropdown select")
            assert selects.count() >= 1 and selects.first.is_enabled(), "the panel has no menus"
            before = decoded_images(lab, ".advpy-gil-panel img")
            assert before, "the panel shows no plot"
            show_cell_of(panel)
            lab.shoot("gil-panel-live")
        with lab.step("changing a control redraws the plot"):
            select = selects.first
            options = select.locator("option").all_inner_texts()
            current = select.evaluate("s => s.selectedIndex")
            select.select_option(index=(current + 1) % len(options))
            lab.page.wait_for_function(
                """old => { const i = document.querySelector('.advpy-gil-panel img');
                    return i && i.complete && i.naturalWidth > 0
                        && (i.src.length + ':' + i.src.slice(-64)) !== old; }""",
                arg=before[0]["key"],
                timeout=120_000,
            )
            show_cell_of(panel)
            lab.shoot("gil-panel-redrawn")


def show_cell_of(element: Any) -> None:
    """Scroll the notebook so that the cell holding ``element`` starts at the top."""
    element.evaluate("e => e.closest('.jp-Cell').scrollIntoView({block: 'start'})")


# ---------------------------------------------------------------------------------------------
# 4. The memory lesson: the objgraph picture of a cycle is shown.


def test_memory_lesson_shows_objgraph_picture(
    chromium: Any, learner_lab: LabServer, shots: Screenshots, course: CoursePaths
) -> None:
    if not (course.notebooks / MEMORY_LESSON).exists():
        pytest.fail(
            f"notebooks/{MEMORY_LESSON} does not exist yet (the memory lesson is not built)"
        )
    with lab_page(chromium, learner_lab, shots) as lab:
        run_lesson(lab, MEMORY_LESSON)
        with lab.step("the objgraph picture of a cycle is rendered"):
            found = lab.page.evaluate(
                """heading => {
                const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
                const start = cells.findIndex(c => [...c.querySelectorAll('h1,h2,h3,h4')]
                    .some(h => h.textContent.includes(heading)));
                if (start < 0) return {error: 'no heading ' + heading};
                const seen = [];
                for (const cell of cells.slice(start + 1)) {
                    if (cell.querySelector('.jp-MarkdownOutput h1, .jp-MarkdownOutput h2, '
                                           + '.jp-MarkdownOutput h3')) break;
                    const img = cell.querySelector('.jp-OutputArea-output img');
                    if (img) return {index: cells.indexOf(cell), width: img.naturalWidth,
                                     height: img.naturalHeight, complete: img.complete};
                    seen.push(cell.innerText.slice(0, 300));
                }
                return {error: 'no image after the heading; the cells show: ' + seen.join(' | ')};
            }""",
                CYCLE_HEADING,
            )
            assert "error" not in found, found.get("error")
            assert found["complete"] and found["width"] > 0, f"the picture did not load: {found}"
            image = lab.cells().nth(found["index"]).locator(".jp-OutputArea-output img").first
            image.scroll_into_view_if_needed()
            lab.shoot("memory-objgraph-cycle")


# ---------------------------------------------------------------------------------------------
# 5. A Part 1 lesson past the first three: the scopes lesson runs clean and draws its lookups.


def test_scopes_lesson_runs_and_draws_its_lookup_costs(
    chromium: Any, learner_lab: LabServer, shots: Screenshots, course: CoursePaths
) -> None:
    if not (course.notebooks / SCOPES_LESSON).exists():
        pytest.fail(f"notebooks/{SCOPES_LESSON} does not exist (the scopes lesson is not built)")
    with lab_page(chromium, learner_lab, shots) as lab:
        run_lesson(lab, SCOPES_LESSON)
        with lab.step("the lookup-cost plot is rendered as an image"):
            selector = ".jp-OutputArea-output[data-mime-type='image/png'] img"
            plots = decoded_images(lab, selector)
            assert plots, "no plot was rendered as an image"
            plot = lab.page.locator(selector).first
            for _ in range(3):  # the notebook renders lazily: let it settle where the plot is
                plot.evaluate("e => e.scrollIntoView({block: 'center'})")
                lab.page.wait_for_timeout(300)
            lab.shoot("scopes-lookup-costs")


# ---------------------------------------------------------------------------------------------
# 6. The instructor's JupyterLab: the formgrader and the create-assignment tools are there.


def test_instructor_lab_has_formgrader_and_create_assignment(
    chromium: Any,
    shots: Screenshots,
    course: CoursePaths,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    home = tmp_path_factory.mktemp("instructor-home")
    with running_lab(course, home, instructor=True) as server:
        with lab_page(chromium, server, shots) as lab:
            with lab.step("open the exercise as an instructor"):
                lab.open_notebook(f"notebooks/exercises/{EXERCISE}.ipynb")
            with lab.step("the command palette offers nbgrader's instructor commands"):
                commands = lab.palette_search("nbgrader")
                lab.shoot("instructor-palette-nbgrader")
                missing = [w for w in INSTRUCTOR_COMMANDS if not any(w in c for c in commands)]
                assert not missing, f"not in the palette: {missing}; it lists {commands}"
                lab.page.keyboard.press("Escape")
            with lab.step("the create-assignment panel shows the notebook's graded cells"):
                lab.page.locator(
                    ".jp-SideBar.jp-mod-right .lm-TabBar-tab[title*='Create Assignment']"
                ).click()
                panel = lab.page.locator(".nbgrader-CreateAssignmentWidget")
                panel.wait_for(state="visible", timeout=30_000)
                panel.get_by_text("Total points").wait_for()
                lab.shoot("instructor-create-assignment")
                types = panel.locator("select").evaluate_all(
                    "ss => ss.map(s => s.options[s.selectedIndex].text)"
                )
                assert {"Autograded answer", "Autograded tests"} <= set(types), sorted(set(types))
            with lab.step("the Nbgrader menu offers the formgrader and create assignment"):
                lab.page.locator("#jp-MainMenu").get_by_text("Nbgrader", exact=True).click()
                items = lab.page.locator(".lm-Menu").last.inner_text()
                lab.shoot("instructor-nbgrader-menu")
                assert "Formgrader" in items and "Create assignment" in items, items
            with lab.step("the formgrader lists the course's assignment"):
                lab.page.locator(".lm-Menu").last.get_by_text("Formgrader", exact=True).click()
                frame = lab.page.frame_locator("iframe").last
                frame.get_by_text("Manage Assignments").first.wait_for(timeout=60_000)
                frame.get_by_role("link", name=EXERCISE).wait_for(timeout=60_000)
                lab.shoot("instructor-formgrader")
                page_text = frame.locator("body").inner_text()
                assert "does not exist" not in page_text, page_text[:2000]
        assert formgrader_status(server, "/formgrader") == 200
        # The gradebook behind it works (it needs nbgrader's tools on PATH to be created).
        assert formgrader_status(server, "/formgrader/api/assignments") == 200
