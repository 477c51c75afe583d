"""What a container engine could leave on the machine: network links and firewall rules.

Publishing a port (``podman run -p``) would create a bridge (``cni-podman0``) and iptables
chains; the lesson never does, and checks it by comparing these snapshots before and after.
"""

from __future__ import annotations

import re
import shutil
import subprocess


def network_links() -> list[str]:
    """The names of the machine's network links (``ip -o link``), sorted."""
    if shutil.which("ip") is None:
        return []
    done = subprocess.run(["ip", "-o", "link"], capture_output=True, text=True, check=False)
    return sorted(re.findall(r"^\d+: ([^:@]+)", done.stdout, flags=re.M))


def firewall_rules() -> list[str]:
    """The machine's iptables rules and chains (``iptables-save``, counters and comments left
    out), or [] when iptables is not installed or not readable."""
    program = shutil.which("iptables-save") or shutil.which("iptables-save", path="/usr/sbin")
    if program is None:
        return []
    done = subprocess.run([program], capture_output=True, text=True, check=False)
    return sorted(
        re.sub(r"\[\d+:\d+\]", "", line)
        for line in done.stdout.splitlines()
        if line and not line.startswith(("#", "COMMIT"))
    )


def snapshot() -> dict[str, list[str]]:
    """Links and firewall rules, to compare before and after."""
    return {"links": network_links(), "rules": firewall_rules()}


def leftovers(before: dict[str, list[str]], after: dict[str, list[str]]) -> dict[str, list[str]]:
    """What ``after`` has that ``before`` had not, by kind (empty lists: nothing left)."""
    return {kind: sorted(set(after[kind]) - set(before[kind])) for kind in before}
