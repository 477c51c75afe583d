"""Copy an app and exactly the Python it needs into one folder (a build stage's output).

    python3 bundle.py APP.py OUT

Imports what the app imports (without running it) in a fresh interpreter, to see which
modules it loads, then writes under OUT: the interpreter as usr/bin/python3, the shared
libraries it and its extension modules link (as the dynamic loader lists them), the
pure-Python modules zipped into usr/lib/python311.zip (Python looks there first), the
extension modules in usr/lib/python3.11/lib-dynload, and the app as app/APP.py.
"""

import ast
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile

LOADER = "/lib64/ld-linux-x86-64.so.2"
LIST_MODULES = """
import importlib, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
for module in list(sys.modules.values()):
    path = getattr(module, "__file__", None)
    if path:
        print(path)
"""


def imported_names(app):
    names = {"encodings.utf_8", "encodings.latin_1", "encodings.idna"}
    for node in ast.walk(ast.parse(open(app).read())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return sorted(names)


def module_files(app):
    command = [sys.executable, "-I", "-S", "-c", LIST_MODULES, *imported_names(app)]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return sorted(set(out.split()))


def linked_libraries(path):
    # What ldd prints, asked of the dynamic loader itself (ldd is a bash script, and the image
    # has no bash).
    out = subprocess.run([LOADER, "--list", path], capture_output=True, text=True).stdout
    return [part for line in out.splitlines() for part in line.split() if part.startswith("/")]


def copy(path, target):
    os.makedirs(os.path.dirname(target), exist_ok=True)
    shutil.copy2(os.path.realpath(path), target)


def main():
    app, out = sys.argv[1], sys.argv[2].rstrip("/")
    stdlib = sysconfig.get_paths()["stdlib"]
    binary = os.path.realpath(sys.executable)
    native = [binary]
    os.makedirs(out + "/usr/lib", exist_ok=True)
    with zipfile.ZipFile(out + "/usr/lib/python311.zip", "w") as archive:
        files = [path for path in module_files(app) if path.startswith(stdlib + "/")]
        for path in files:
            if path.endswith(".py"):
                archive.write(path, os.path.relpath(path, stdlib))
            else:
                native.append(path)
                copy(path, out + path)
    for path in native:
        for library in linked_libraries(path):
            copy(library, out + library)
    copy(binary, out + "/usr/bin/python3")
    copy(app, out + "/app/" + os.path.basename(app))
    print(f"bundled {len(files)} modules ({len(native) - 1} extension modules) into {out}")


if __name__ == "__main__":
    main()
