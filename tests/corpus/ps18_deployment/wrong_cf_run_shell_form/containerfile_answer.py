# The bundler run in shell form, through /bin/sh.
def containerfile(app, port, uid):
    """Return the text of a two-stage Containerfile for `app` (a file name such as "app.py"),
    serving `port` as the user `uid`; ValueError for bad arguments (see the contract)."""
    if type(app) is not str or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*\.py", app):
        raise ValueError("app is a plain Python file name such as 'app.py'")
    if type(port) is not int or not 1 <= port <= 65535:
        raise ValueError("port is an int from 1 to 65535")
    if type(uid) is not int or uid < 1:
        raise ValueError("uid is an int of at least 1 (0 is root)")
    bundle = ["python3", "/opt/advpy/bundle.py", f"/src/{app}", "/out"]
    return (
        f"FROM {BUILD_BASE} AS build\n"
        f"COPY {app} /src/{app}\n"
        f"RUN {' '.join(bundle)}\n"
        "\n"
        "FROM scratch\n"
        "COPY --from=build /out/ /\n"
        f"USER {uid}\n"
        f"EXPOSE {port}\n"
        f"ENTRYPOINT {json.dumps(['/usr/bin/python3', f'/app/{app}'])}\n"
        f"CMD {json.dumps([str(port)])}\n"
    )
