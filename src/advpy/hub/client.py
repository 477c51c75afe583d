"""The hub and the users' servers over HTTP: the hub's REST API, a user's Jupyter server (its
contents, nbgrader's assignment list) and code run in a kernel there, all through the proxy."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
import uuid
from typing import Any

import httpx


class HubClientError(Exception):
    """The hub or a user's server answered with an error."""


def _checked(answer: httpx.Response) -> httpx.Response:
    if answer.status_code >= 400:
        raise HubClientError(
            f"{answer.request.method} {answer.request.url.path}: {answer.status_code} "
            f"{answer.text[:500]}"
        )
    return answer


class Hub:
    """The hub's REST API, with the trial's service token."""

    def __init__(self, url: str, token: str, timeout: float = 120) -> None:
        self.url = url
        self.http = httpx.Client(
            base_url=f"{url}/hub/api", headers={"Authorization": f"token {token}"}, timeout=timeout
        )

    def start_server(self, name: str) -> None:
        """Ask the hub to spawn the user's server (it answers before the server is up)."""
        _checked(self.http.post(f"/users/{name}/server"))

    def wait_ready(self, name: str, timeout: float = 120) -> None:
        """Wait until the user's server is up and routed."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            model = _checked(self.http.get(f"/users/{name}")).json()
            server = model.get("servers", {}).get("")
            if server and server.get("ready"):
                return
            if not server or not server.get("pending"):
                if server is None and model.get("server") is None:
                    raise HubClientError(f"the server of {name} stopped while starting")
            time.sleep(0.25)
        raise HubClientError(f"the server of {name} was not ready within {timeout:.0f} s")

    def stop_server(self, name: str) -> None:
        _checked(self.http.delete(f"/users/{name}/server"))

    def user_token(self, name: str) -> str:
        """A token of the user's own, for their server (what logging in gives a browser)."""
        answer = self.http.post(
            f"/users/{name}/tokens", json={"note": "advpy hub trial", "expires_in": 3600}
        )
        return str(_checked(answer).json()["token"])

    def close(self) -> None:
        self.http.close()


def login(url: str, name: str, password: str) -> bool:
    """Log in on the hub's login page as a browser does; whether the hub accepted it."""
    with httpx.Client(base_url=url, timeout=60, follow_redirects=False) as browser:
        page = _checked(browser.get("/hub/login"))
        found = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
        form = {"username": name, "password": password}
        if found:
            form["_xsrf"] = found.group(1)
        answer = browser.post("/hub/login", data=form)
        return answer.status_code == 302 and "jupyterhub-session-id" in browser.cookies


class UserServer:
    """One user's Jupyter server behind the proxy, with a token of that user."""

    def __init__(self, hub_url: str, name: str, token: str, timeout: float = 300) -> None:
        self.name = name
        self.base = f"{hub_url}/user/{name}"
        self.token = token
        self.http = httpx.Client(
            base_url=self.base, headers={"Authorization": f"token {token}"}, timeout=timeout
        )

    def get(self, path: str, **params: str) -> Any:
        return _checked(self.http.get(path, params=params)).json()

    def put_notebook(self, path: str, notebook: dict[str, Any]) -> None:
        """Save a notebook in the user's folder (the contents API, as JupyterLab saves)."""
        body = {"type": "notebook", "format": "json", "content": notebook}
        _checked(self.http.put(f"/api/contents/{path}", json=body))

    def get_notebook(self, path: str) -> dict[str, Any]:
        return dict(self.get(f"/api/contents/{path}")["content"])

    def assignments(self, course_id: str) -> list[dict[str, Any]]:
        """nbgrader's assignment list as the Assignments tab shows it."""
        answer = self.get("/assignments", course_id=course_id)
        if not answer.get("success"):
            raise HubClientError(f"{self.name}: listing assignments failed: {answer}")
        return list(answer["value"])

    def assignment_action(self, action: str, course_id: str, assignment_id: str) -> Any:
        """``fetch``, ``submit`` or ``fetch_feedback``, as the Assignments tab's buttons."""
        form = {"course_id": course_id, "assignment_id": assignment_id}
        answer = _checked(self.http.post(f"/assignments/{action}", data=form)).json()
        if not answer.get("success"):
            raise HubClientError(f"{self.name}: {action} failed: {answer.get('value')}")
        return answer["value"]

    def run(self, code: str, timeout: float = 300) -> str:
        """Run ``code`` in a new kernel on the user's server; its printed output. Raises
        :class:`HubClientError` when the code raises."""
        kernel = _checked(self.http.post("/api/kernels", json={"name": "python3"})).json()
        try:
            return asyncio.run(self._execute(kernel["id"], code, timeout))
        finally:
            self.http.delete(f"/api/kernels/{kernel['id']}")

    async def _execute(self, kernel_id: str, code: str, timeout: float) -> str:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        url = self.base.replace("http://", "ws://") + f"/api/kernels/{kernel_id}/channels"
        request = HTTPRequest(url, headers={"Authorization": f"token {self.token}"})
        socket = await websocket_connect(request)
        msg_id = uuid.uuid4().hex
        message = {
            "header": {
                "msg_id": msg_id,
                "username": self.name,
                "session": uuid.uuid4().hex,
                "msg_type": "execute_request",
                "version": "5.3",
            },
            "parent_header": {},
            "metadata": {},
            "content": {
                "code": code,
                "silent": False,
                "store_history": False,
                "user_expressions": {},
                "allow_stdin": False,
                "stop_on_error": True,
            },
            "channel": "shell",
            "buffers": [],
        }
        await socket.write_message(json.dumps(message))
        output: list[str] = []
        error = ""
        replied = idle = False
        deadline = time.monotonic() + timeout
        try:
            while not (replied and idle):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise HubClientError(f"{self.name}: the code did not finish in {timeout:.0f} s")
                raw = await asyncio.wait_for(socket.read_message(), left)
                if raw is None:
                    raise HubClientError(f"{self.name}: the kernel's connection closed")
                reply = json.loads(raw)
                if reply.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind, content = reply["msg_type"], reply["content"]
                if kind == "stream":
                    output.append(content["text"])
                elif kind == "error":
                    error = f"{content['ename']}: {content['evalue']}"
                elif kind == "execute_reply":
                    replied = True
                elif kind == "status" and content.get("execution_state") == "idle":
                    idle = True
        finally:
            socket.close()
            with contextlib.suppress(Exception):  # wait for the close to finish
                while await asyncio.wait_for(socket.read_message(), 5) is not None:
                    pass
        if error:
            raise HubClientError(f"{self.name}: {error}\n{''.join(output)[-3000:]}")
        return "".join(output)

    def close(self) -> None:
        self.http.close()
