"""Limits enforced under httpx, at the socket: an overall deadline for a whole exchange, and
which addresses a fetch may reach.

httpx's timeout applies to each read, so a server that sends a byte every few seconds never
trips it. The deadline here is checked on every connect, read and write. The address check
runs after DNS resolution, on every connection (so on every redirect hop), and the socket is
opened to the vetted address itself, so a second lookup cannot swap in another one."""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import httpcore
from httpcore._backends.sync import SyncBackend


class BlockedAddress(Exception):
    """A link resolved to a loopback, private, link-local or otherwise non-public address."""


@dataclass(frozen=True)
class Limits:
    deadline: float  # time.monotonic() by which the whole exchange must be over
    public_only: bool  # refuse non-public addresses (links that came from a feed)

    def remaining(self, timeout: float | None, phase: str) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            error = httpcore.ConnectTimeout if phase == "connect" else httpcore.ReadTimeout
            raise error(f"overall deadline passed during {phase}")
        return left if timeout is None else min(timeout, left)


_current: ContextVar[Limits | None] = ContextVar("tracker_fetch_limits", default=None)


@contextmanager
def limits(seconds: float, *, public_only: bool) -> Iterator[Limits]:
    """Apply a deadline (and the address rule) to every fetch made in this block, this thread."""
    current = Limits(time.monotonic() + seconds, public_only)
    token = _current.set(current)
    try:
        yield current
    finally:
        _current.reset(token)


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def vetted_address(host: str, port: int) -> str:
    """The first address `host` resolves to, when every address it resolves to is public."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from None
    addresses = [str(info[4][0]) for info in infos]
    for address in addresses:
        if not is_public(address):
            raise BlockedAddress(f"{host} resolves to {address}, a non-public address")
    return addresses[0]


class _Stream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _cap(timeout, "read"))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _cap(timeout, "write"))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        # The handshake counts against the fetch's one deadline, as connect and reads do.
        capped = _cap(timeout, "connect")
        return _Stream(self._inner.start_tls(ssl_context, server_hostname, capped))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class GuardedBackend(SyncBackend):
    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        current = _current.get()
        if current is not None and current.public_only:
            host = vetted_address(host, port)
        stream = super().connect_tcp(
            host, port, _cap(timeout, "connect"), local_address, socket_options
        )
        return _Stream(stream)


def _cap(timeout: float | None, phase: str) -> float | None:
    current = _current.get()
    return timeout if current is None else current.remaining(timeout, phase)
