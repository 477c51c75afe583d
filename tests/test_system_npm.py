"""npm packages in the system packages' list: configurable-http-proxy, JupyterHub's proxy,
is installed with ``npm install -g`` at its pinned version, after Debian's npm if need be."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "system_deps.py"
FAKE_NPM = """#!/bin/sh
here="${0%/*}"
echo "$@" >> "$here/npm.log"
printf '#!/bin/sh\\necho 5.3.0\\n' > "$here/configurable-http-proxy"
/bin/chmod +x "$here/configurable-http-proxy"
"""


def system_deps() -> ModuleType:
    spec = importlib.util.spec_from_file_location("advpy_system_deps_npm", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_proxy_is_listed_as_a_pinned_npm_package() -> None:
    deps = system_deps()
    (proxy,) = [p for p in deps.read_list() if p.name == "configurable-http-proxy"]
    assert proxy.debian == "npm" and proxy.needs == "test"
    assert proxy.npm_spec == "configurable-http-proxy@5.3.0"
    hints = deps.install_hints([proxy])
    assert hints[0].endswith("apt-get install npm")
    assert hints[-1].endswith("npm install -g configurable-http-proxy@5.3.0")


@pytest.mark.skipif(sys.platform != "linux" or os.geteuid() != 0, reason="root's apt path")
def test_with_npm_present_only_npm_runs_and_the_proxy_is_then_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deps = system_deps()
    (proxy,) = [p for p in deps.read_list() if p.name == "configurable-http-proxy"]
    npm = tmp_path / "npm"
    npm.write_text(FAKE_NPM)
    npm.chmod(0o755)
    (tmp_path / "apt-get").write_text("#!/bin/sh\nexit 1\n")  # must not be called
    (tmp_path / "apt-get").chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv(deps.INSTALL_SWITCH, raising=False)
    assert not proxy.is_present()
    commands, reason = deps.install_plan([proxy])
    assert reason == ""
    assert commands == [["npm", "install", "-g", "--no-fund", "--no-audit", proxy.npm_spec]]
    assert deps.run_plan(commands) == ""
    assert proxy.is_present()
    assert (tmp_path / "npm.log").read_text().split()[-1] == "configurable-http-proxy@5.3.0"


def test_an_npm_entry_without_a_pin_is_refused(tmp_path: Path) -> None:
    listed = tmp_path / "system-packages.txt"
    listed.write_text("left-pad left-pad npm node test pads strings\n")
    with pytest.raises(ValueError, match="no pin in NPM_PINS"):
        system_deps().read_list(listed)
