"""A small web service to run in a container; only the standard library.

    python3 app.py PORT [graceful|naive]

``POST /work`` takes WORK_SECONDS (50 ms by default) and answers 200 with the container's
name; ``GET /healthz`` answers 200 "ok". Each connection serves one request (HTTP/1.0).

- ``graceful`` handles SIGTERM: it stops accepting, serves the connections already waiting,
  lets the requests in progress finish, and exits with status 0;
- ``naive`` installs no handler. In a container it runs as process 1, and the kernel drops
  signals that process 1 does not handle: SIGTERM does nothing, and the engine SIGKILLs it
  after the stop timeout, in the middle of whatever it was doing.
"""

import os
import signal
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

WORK_SECONDS = float(os.environ.get("WORK_SECONDS", "0.05"))
NAME = os.environ.get("REPLICA", socket.gethostname())


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        self._answer(b"ok\n")

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        time.sleep(WORK_SECONDS)
        self._answer(f"done by {NAME}\n".encode())

    def _answer(self, body):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    port = int(sys.argv[1])
    mode = sys.argv[2] if len(sys.argv) > 2 else "graceful"
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = False  # server_close() then waits for requests in progress
    if mode == "graceful":

        def on_term(signum, frame):
            print("SIGTERM: draining", flush=True)
            threading.Thread(target=server.shutdown).start()  # ends serve_forever

        signal.signal(signal.SIGTERM, on_term)
    print(f"serving on 127.0.0.1:{port} ({mode}), pid {os.getpid()}", flush=True)
    server.serve_forever(poll_interval=0.05)
    # Serve the connections the kernel already accepted into the backlog, then close.
    server.socket.setblocking(False)
    while True:
        try:
            request, address = server.socket.accept()
        except (BlockingIOError, InterruptedError):
            break
        request.setblocking(True)
        server.process_request(request, address)
    server.server_close()  # joins the threads of requests in progress
    print("drained, exiting", flush=True)


if __name__ == "__main__":
    main()
