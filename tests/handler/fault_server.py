"""A DynamoDB endpoint on 127.0.0.1 that fails in one chosen way, for fault tests.

It speaks just enough of DynamoDB's JSON protocol for botocore to parse its
answers: an error type and message, or no answer at all.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# mode -> (HTTP status, DynamoDB error type, message)
ERRORS = {
    "throttle": (400, "ThrottlingException", "Rate of requests exceeds the allowed throughput."),
    "capacity": (
        400,
        "ProvisionedThroughputExceededException",
        "The level of configured throughput exceeded.",
    ),
    "internal": (500, "InternalServerError", "Internal server error"),
    "unavailable": (503, "ServiceUnavailable", "Service unavailable"),
    "too-large": (400, "ValidationException", "Item size has exceeded the maximum allowed size"),
    "no-table": (400, "ResourceNotFoundException", "Requested resource not found: Table: items-x not found"),
}
HANG_SECONDS = 8  # longer than the handler's read timeout; bounded so the server always stops


@contextmanager
def fault_server(mode: str) -> Iterator[tuple[str, list[str]]]:
    """Serve ``mode`` ("hang" or a key of ERRORS); yields (endpoint URL, operations received)."""
    received: list[str] = []
    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            received.append(self.headers.get("X-Amz-Target", "").split(".")[-1])
            if mode == "hang":
                stop.wait(HANG_SECONDS)
                return
            status, error_type, message = ERRORS[mode]
            body = json.dumps(
                {"__type": f"com.amazonaws.dynamodb.v20120810#{error_type}", "message": message}
            )
            self.send_response(status)
            self.send_header("Content-Type", "application/x-amz-json-1.0")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
