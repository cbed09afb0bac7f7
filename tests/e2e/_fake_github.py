"""A fake of GitHub's issue-comments API on 127.0.0.1, in a thread: list (paged), create, edit.

It keeps the comments in memory and records every request (method, path, Authorization
header), so tests can check what the client did: nothing more of GitHub is imitated.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PER_PAGE = 2  # small pages, so the client must follow Link: rel="next"


@dataclass
class FakeGithub:
    token: str
    comments: list[dict[str, Any]] = field(default_factory=list)
    requests: list[tuple[str, str, str | None]] = field(default_factory=list)
    url: str = ""
    prefix: str = ""
    next_id: int = 1000
    bot: str = "github-actions[bot]"

    def add(self, body: str, login: str) -> dict[str, Any]:
        self.next_id += 1
        comment = {
            "id": self.next_id,
            "body": body,
            "user": {"login": login, "type": "Bot" if login.endswith("[bot]") else "User"},
            "html_url": f"https://github.example/acme/shop/pull/7#issuecomment-{self.next_id}",
        }
        self.comments.append(comment)
        return comment


def _handler(fake: FakeGithub) -> type[BaseHTTPRequestHandler]:
    list_path = re.compile(r"/repos/acme/shop/issues/(\d+)/comments(?:\?(.*))?\Z")
    edit_path = re.compile(r"/repos/acme/shop/issues/comments/(\d+)\Z")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def _send(self, status: int, body: object, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _authorised(self) -> bool:
            if not self.path.startswith(fake.prefix + "/"):
                self._send(404, {"message": "Not Found"})
                return False
            self.path = self.path[len(fake.prefix) :]
            auth = self.headers.get("Authorization")
            fake.requests.append((self.command, self.path, auth))
            if auth != f"Bearer {fake.token}":
                self._send(401, {"message": "Bad credentials"})
                return False
            return True

        def _body(self) -> dict[str, Any]:
            length = int(self.headers.get("Content-Length", "0"))
            return json.loads(self.rfile.read(length))

        def do_GET(self) -> None:
            if not self._authorised():
                return
            match = list_path.match(self.path)
            if match is None or match[1] != "7":
                self._send(404, {"message": "Not Found"})
                return
            query = dict(part.split("=", 1) for part in (match[2] or "").split("&") if "=" in part)
            page = int(query.get("page", "1"))
            start = (page - 1) * PER_PAGE
            items = fake.comments[start : start + PER_PAGE]
            headers = {}
            if start + PER_PAGE < len(fake.comments):
                headers["Link"] = (
                    f'<{fake.url}/repos/acme/shop/issues/7/comments?per_page={PER_PAGE}&page={page + 1}>; rel="next"'
                )
            self._send(200, items, headers)

        def do_POST(self) -> None:
            if not self._authorised():
                return
            match = list_path.match(self.path)
            if match is None or match[1] != "7":
                self._send(404, {"message": "Not Found"})
                return
            self._send(201, fake.add(self._body()["body"], fake.bot))

        def do_PATCH(self) -> None:
            if not self._authorised():
                return
            match = edit_path.match(self.path)
            found = [c for c in fake.comments if match is not None and c["id"] == int(match[1])]
            if not found:
                self._send(404, {"message": "Not Found"})
                return
            found[0]["body"] = self._body()["body"]
            self._send(200, found[0])

    return Handler


@contextmanager
def fake_github(token: str, prefix: str = "") -> Iterator[FakeGithub]:
    """``prefix``: the path the API lives under (GitHub Enterprise Server: ``/api/v3``)."""
    fake = FakeGithub(token=token, prefix=prefix)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.url = f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
