"""The context every measurement is read in: the machine, the interpreter, and fast mode.

Lessons print :func:`machine_summary` next to their timings and label their plots with it, so a
reader can tell what the numbers were measured on. Fast mode (``ADVPY_FAST=1``, set by the test
suite) shrinks inputs so that the whole course runs quickly; the code paths stay the same.
"""

from __future__ import annotations

import os
import platform
import sys
import sysconfig
from dataclasses import dataclass
from typing import TypeVar

from advpy.cores import usable_cores

T = TypeVar("T")


def fast_mode() -> bool:
    """True when ``ADVPY_FAST`` asks for small inputs (the test suite sets it)."""
    return os.environ.get("ADVPY_FAST", "").strip().lower() not in ("", "0", "false", "no")


def pick(full: T, fast: T) -> T:
    """``full`` normally, ``fast`` in fast mode: for input sizes, repeat counts and durations."""
    return fast if fast_mode() else full


@dataclass(frozen=True)
class Machine:
    """What a measurement ran on."""

    cores: int  # cores this process may use (see usable_cores), not the machine's total
    python: str
    implementation: str
    free_threaded_build: bool
    gil_enabled: bool

    def label(self) -> str:
        """A short one-line label for plot titles."""
        gil = "GIL on" if self.gil_enabled else "GIL off"
        build = ", free-threaded build" if self.free_threaded_build else ""
        return f"{self.cores} usable cores, {self.implementation} {self.python}, {gil}{build}"


def machine() -> Machine:
    """The machine and interpreter running this code."""
    free_threaded = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
    is_gil_enabled = getattr(sys, "_is_gil_enabled", None)
    return Machine(
        cores=usable_cores(),
        python=platform.python_version(),
        implementation=platform.python_implementation(),
        free_threaded_build=free_threaded,
        gil_enabled=True if is_gil_enabled is None else bool(is_gil_enabled()),
    )


def machine_summary() -> str:
    """A sentence to print above a lesson's measurements."""
    m = machine()
    mode = " Fast mode is on: inputs are small." if fast_mode() else ""
    return f"Measured on {m.label()}.{mode}"
