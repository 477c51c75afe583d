# An f-string template with textwrap.dedent; integers checked with type() and a range.
import textwrap


def containerfile(app, port, uid):
    """Return the text of a two-stage Containerfile for `app`, serving `port` as `uid`."""
    if not (type(app) is str and re.match(r"[A-Za-z_][A-Za-z0-9_]*\.py\Z", app)):
        raise ValueError(f"{app!r} is not a plain .py file name")
    if type(port) is not int or port not in range(1, 65536):
        raise ValueError("port out of range")
    if type(uid) is not int or uid <= 0:
        raise ValueError("uid must be a non-root user id")
    return textwrap.dedent(f"""\
        FROM {BUILD_BASE} AS build
        COPY {app} /src/{app}
        RUN ["python3", "/opt/advpy/bundle.py", "/src/{app}", "/out"]

        FROM scratch
        COPY --from=build /out/ /
        USER {uid}
        EXPOSE {port}
        ENTRYPOINT ["/usr/bin/python3", "/app/{app}"]
        CMD ["{port}"]
        """)
