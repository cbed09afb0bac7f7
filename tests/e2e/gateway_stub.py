"""A tiny upstream replica for the gateway e2e tests (stdlib only, one process per replica).

``python tests/e2e/gateway_stub.py --service orders --replica 1 --port N`` answers every method
on every path with JSON naming the service, the replica, the method and the path + query it
received; ``/healthz`` is its health check; ``?delay=S`` makes it answer after S seconds.
"""

from __future__ import annotations

import argparse
import json
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


def handler(service: str, replica: str) -> type[BaseHTTPRequestHandler]:
    class Stub(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            query = parse_qs(urlsplit(self.path).query)
            if "delay" in query:
                time.sleep(float(query["delay"][0]))
            body = json.dumps(
                {"service": service, "replica": replica, "method": self.command, "path": self.path}
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            if "cacheable" in query:
                self.send_header("Cache-Control", "max-age=60")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = answer

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Stub


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--service", required=True)
    parser.add_argument("--replica", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), handler(args.service, args.replica))
    server.daemon_threads = True
    print("ready", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
