"""A real HTTP webhook receiver on 127.0.0.1, for tests and local runs.

It lives in devtools, outside the runtime, so tests of several apps can share
it without one test module importing another. Every request is recorded; each
path answers from a script of (status, headers) pairs, then 200 once the script
is used up.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    """An HTTP server that records every request and answers from a script per path
    (200 once the script is used up)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.answers: dict[str, list[tuple[int, dict]]] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                receiver.requests.append({"path": self.path, "headers": dict(self.headers),
                                          "body": self.rfile.read(length)})
                script = receiver.answers.get(self.path) or []
                status, headers = script.pop(0) if script else (200, {})
                body = b"ok" if status < 300 else b"nope"
                self.send_response(status)
                for name, value in {**headers, "Content-Length": str(len(body))}.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def answer(self, path: str, *answers: tuple[int, dict]) -> None:
        self.answers[path] = list(answers)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
