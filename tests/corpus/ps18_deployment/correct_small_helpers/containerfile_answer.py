# Each stage from a helper that takes a list of (instruction, value) pairs; exec forms from
# json.dumps; the ports checked with a chained comparison.
def _stage(base, steps):
    return "\n".join([f"FROM {base}"] + [f"{i} {v}" for i, v in steps])


def containerfile(app, port, uid):
    """Return the text of a two-stage Containerfile for `app`, serving `port` as `uid`."""
    if type(app) is not str or re.fullmatch(r"[A-Za-z_][A-Za-z_0-9]*[.]py", app) is None:
        raise ValueError("app")
    if not (type(port) is int and 0 < port < 65536):
        raise ValueError("port")
    if not (type(uid) is int and uid > 0):
        raise ValueError("uid")
    build = _stage(
        f"{BUILD_BASE} AS build",
        [
            ("COPY", f"{app} /src/{app}"),
            ("RUN", json.dumps(["python3", "/opt/advpy/bundle.py", f"/src/{app}", "/out"])),
        ],
    )
    final = _stage(
        "scratch",
        [
            ("COPY", "--from=build /out/ /"),
            ("USER", str(uid)),
            ("EXPOSE", str(port)),
            ("ENTRYPOINT", json.dumps(["/usr/bin/python3", "/app/" + app])),
            ("CMD", json.dumps([str(port)])),
        ],
    )
    return build + "\n\n" + final + "\n"
