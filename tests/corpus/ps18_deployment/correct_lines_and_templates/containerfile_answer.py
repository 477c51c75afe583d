# Builds the file line by line, writes `as build` in lower case, and puts the final stage's
# instructions in another order, with comments.
def containerfile(app, port, uid):
    """Return the text of a two-stage Containerfile for `app`, serving `port` as `uid`."""
    name_ok = isinstance(app, str) and re.fullmatch(r"[A-Za-z_]\w*\.py", app, re.ASCII)
    if not name_ok:
        raise ValueError("bad app file name")
    for value, low, high in ((port, 1, 65535), (uid, 1, None)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("not an int")
        if value < low or (high is not None and value > high):
            raise ValueError("out of range")
    lines = [
        "# build: the whole toolbox",
        f"FROM {BUILD_BASE} as build",
        f"COPY {app} /src/{app}",
        f'RUN ["python3", "/opt/advpy/bundle.py", "/src/{app}", "/out"]',
        "",
        "# run: only what the app needs",
        "FROM scratch",
        f"EXPOSE {port}",
        "COPY --from=build /out/ /",
        f'CMD ["{port}"]',
        f'ENTRYPOINT ["/usr/bin/python3", "/app/{app}"]',
        f"USER {uid}",
    ]
    return "\n".join(lines) + "\n"
