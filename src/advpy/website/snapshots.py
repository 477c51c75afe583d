"""Widgets on the website: a still picture of each one, drawn from the state the kernel left.

A notebook run with nbclient keeps every widget's last state in its metadata
(``widgets/application/vnd.jupyter.widget-state+json``), and each cell that showed a widget
keeps only a reference to it (``application/vnd.jupyter.widget-view+json``). Rendering that
reference needs the ipywidgets JavaScript, which myst-nb would load from a CDN; the website
loads nothing from outside itself, so each reference is replaced here by plain HTML drawn from
the state: the controls as they were left (shown, not working), and what the widget's output
areas held (plots as images in the page), under a note saying the panel works in JupyterLab.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from nbformat import NotebookNode

VIEW = "application/vnd.jupyter.widget-view+json"
STATE = "application/vnd.jupyter.widget-state+json"
#: CSS class of a snapshot (styled by ``site/_static/advpy.css``).
SNAPSHOT_CLASS = "advpy-widget-snapshot"
NOTE = (
    "A snapshot of an interactive panel, as it was when this page was built: its controls do "
    "nothing here. Run the notebook in JupyterLab to use it."
)
_REFERENCE = "IPY_MODEL_"

Models = Mapping[str, Mapping[str, Any]]


def widget_models(notebook: NotebookNode) -> Models:
    """Every widget's model (``model_name``, ``state``) the notebook's metadata holds, by id."""
    saved = notebook.metadata.get("widgets", {}).get(STATE, {})
    state = saved.get("state", {}) if isinstance(saved, Mapping) else {}
    return state if isinstance(state, Mapping) else {}


def snapshot_widgets(notebook: NotebookNode) -> int:
    """Replace every widget reference in ``notebook``'s outputs by a still HTML snapshot and
    drop the saved widget state; return how many widgets were replaced."""
    models = widget_models(notebook)
    replaced = 0
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            view = data.get(VIEW)
            if not isinstance(view, Mapping):
                continue
            body = render(str(view.get("model_id", "")), models, set())
            text = html.escape(NOTE)
            data["text/html"] = (
                f'<div class="{SNAPSHOT_CLASS}">{body}<p class="advpy-widget-note">{text}</p></div>'
            )
            del data[VIEW]
            replaced += 1
    notebook.metadata.pop("widgets", None)
    return replaced


def _children(state: Mapping[str, Any]) -> list[str]:
    children = state.get("children", [])
    if not isinstance(children, list):
        return []
    return [str(c).removeprefix(_REFERENCE) for c in children]


def _label(state: Mapping[str, Any]) -> str:
    description = html.escape(str(state.get("description", "") or ""))
    return f'<span class="advpy-widget-label">{description}</span>' if description else ""


def render(model_id: str, models: Models, seen: set[str]) -> str:
    """One widget (and, for containers, everything in it) as still HTML."""
    model = models.get(model_id)
    if model is None or model_id in seen:
        return ""
    seen = seen | {model_id}
    name = str(model.get("model_name", ""))
    state = model.get("state", {})
    if not isinstance(state, Mapping):
        state = {}
    if name in ("VBoxModel", "BoxModel", "GridBoxModel", "AccordionModel", "TabModel"):
        inner = "".join(render(c, models, seen) for c in _children(state))
        return f'<div class="advpy-widget-vbox">{inner}</div>'
    if name == "HBoxModel":
        inner = "".join(render(c, models, seen) for c in _children(state))
        return f'<div class="advpy-widget-hbox">{inner}</div>'
    if name == "OutputModel":
        outputs = state.get("outputs", [])
        shown = "".join(output_html(o) for o in outputs if isinstance(o, Mapping))
        return f'<div class="advpy-widget-output">{shown}</div>'
    if name in ("HTMLModel", "HTMLMathModel"):
        # Widgets the course's own packages build: their HTML is the course's, not a reader's.
        return f'<div class="advpy-widget-html">{state.get("value", "")}</div>'
    if name == "LabelModel":
        return f'<span class="advpy-widget-text">{html.escape(str(state.get("value", "")))}</span>'
    if name in ("ButtonModel", "ToggleButtonModel"):
        text = html.escape(str(state.get("description", "")))
        return f'<button class="advpy-widget-button" disabled>{text}</button>'
    if name in ("DropdownModel", "SelectModel", "RadioButtonsModel", "ToggleButtonsModel"):
        labels = state.get("_options_labels", [])
        index = state.get("index")
        options = "".join(
            f"<option{' selected' if i == index else ''}>{html.escape(str(label))}</option>"
            for i, label in enumerate(labels if isinstance(labels, list) else [])
        )
        return f"<label>{_label(state)}<select disabled>{options}</select></label>"
    if name.endswith("SliderModel") and not name.endswith("RangeSliderModel"):
        value, low, high = (state.get(k) for k in ("value", "min", "max"))
        slider = (
            f'<input type="range" disabled min="{html.escape(str(low))}" '
            f'max="{html.escape(str(high))}" value="{html.escape(str(value))}">'
        )
        number = f'<span class="advpy-widget-text">{html.escape(str(value))}</span>'
        return f"<label>{_label(state)}{slider}{number}</label>"
    if "value" in state:  # text boxes, check boxes, progress bars ...: the value they held
        value = html.escape(str(state.get("value")))
        return f'<label>{_label(state)}<span class="advpy-widget-text">{value}</span></label>'
    return ""


def _joined(value: Any) -> str:
    """A notebook string, which JSON may hold as a list of lines."""
    return "".join(map(str, value)) if isinstance(value, list) else str(value)


def output_html(output: Mapping[str, Any]) -> str:
    """One output of a widget's output area as HTML: images inline, text as preformatted."""
    kind = output.get("output_type")
    if kind == "stream":
        return f"<pre>{html.escape(_joined(output.get('text', '')))}</pre>"
    if kind == "error":
        error = f"{output.get('ename', '')}: {output.get('evalue', '')}"
        return f"<pre>{html.escape(error)}</pre>"
    data = output.get("data", {})
    if not isinstance(data, Mapping):
        return ""
    for mime in ("image/png", "image/jpeg"):
        if mime in data:
            encoded = "".join(_joined(data[mime]).split())
            source = f"data:{mime};base64,{encoded}"
            return f'<img class="advpy-widget-image" alt="a plot" src="{source}">'
    if "image/svg+xml" in data:
        return _joined(data["image/svg+xml"])
    if "text/html" in data:
        return _joined(data["text/html"])
    if "text/plain" in data:
        return f"<pre>{html.escape(_joined(data['text/plain']))}</pre>"
    return ""
