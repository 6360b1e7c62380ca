"""Run the dashboard: bind the socket first (so a busy port is a one-line error), say where it
listens and whether that is loopback only, then hand the socket to uvicorn."""

from __future__ import annotations

import ipaddress
import socket
import sys
from pathlib import Path

import uvicorn

from tracker.errors import TrackerError
from tracker.serve.app import create_app
from tracker.store.redact import redact

LOOPBACK_NAMES = ["127.0.0.1", "localhost", "::1", "[::1]"]


def serve(db: str | Path, host: str, port: int) -> None:
    sock, address = _bind(host, port)
    loopback = ipaddress.ip_address(address[0]).is_loopback
    # A loopback server answers only requests addressed to it by name (no DNS rebinding).
    app = create_app(db, allowed_hosts=[*LOOPBACK_NAMES, host] if loopback else None)
    shown_db = redact(db) if isinstance(db, str) else db
    shown = f"[{address[0]}]" if ":" in address[0] else address[0]
    url = f"http://{shown}:{address[1]}/"
    reach = (
        "loopback only: other machines cannot reach it"
        if loopback
        else "WARNING: not loopback, other machines can reach it"
    )
    print(
        f"serving {shown_db} read-only at {url} ({reach}); Ctrl-C stops",
        file=sys.stderr,
        flush=True,
    )
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()


def _bind(host: str, port: int) -> tuple[socket.socket, tuple[str, int]]:
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise TrackerError(f"cannot listen on {host}:{port}: {exc}") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        raise TrackerError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    bound = sock.getsockname()
    return sock, (str(bound[0]), int(bound[1]))
