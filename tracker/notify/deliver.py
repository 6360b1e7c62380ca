"""Where an alert goes: a webhook (POST of the JSON) or a command (the JSON on its stdin).
One attempt each; the notifier retries. An attempt raises DeliveryError with a one-line
reason, never anything else."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from tracker.errors import UsageError
from tracker.http import USER_AGENT

SEND_TIMEOUT_S = 10.0


class DeliveryError(Exception):
    """One attempt failed: the reason in a line."""


@dataclass(frozen=True)
class Target:
    kind: str  # webhook | command
    text: str  # the URL or the command line as given
    argv: tuple[str, ...] = ()

    def send(self, body: bytes, client: httpx.Client, timeout: float = SEND_TIMEOUT_S) -> str:
        """Deliver once; the receiver's answer in a few words."""
        if self.kind == "webhook":
            return _post(client, self.text, body, timeout)
        return _run(self.argv, body, timeout)


def parse_target(text: str) -> Target:
    """An http(s) URL is a webhook; anything else is a command line (shell words, no shell)."""
    try:
        parts = urlsplit(text)
    except ValueError as exc:  # "http://[::1/x"
        raise UsageError(f"--notify: not a valid URL: {text} ({exc})") from None
    if parts.scheme.lower() in ("http", "https"):
        if not parts.netloc:
            raise UsageError(f"--notify: not a valid URL: {text}")
        return Target("webhook", text)
    try:
        argv = tuple(shlex.split(text))
    except ValueError as exc:
        raise UsageError(f"--notify: cannot read the command {text!r}: {exc}") from None
    if not argv:
        raise UsageError("--notify needs a URL or a command")
    if shutil.which(argv[0]) is None:
        raise UsageError(f"--notify: no such command {argv[0]!r} (nor an http(s) URL)")
    return Target("command", text, argv)


def _post(client: httpx.Client, url: str, body: bytes, timeout: float) -> str:
    try:
        response = client.post(
            url,
            content=body,
            headers={"Content-Type": "application/json", "User-Agent": USER_AGENT},
            timeout=timeout,
        )
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise DeliveryError(f"{type(exc).__name__}: {exc}".rstrip(": ")) from None
    if not 200 <= response.status_code < 300:
        raise DeliveryError(f"HTTP {response.status_code} {response.reason_phrase}".strip())
    return f"HTTP {response.status_code}"


def _run(argv: tuple[str, ...], body: bytes, timeout: float) -> str:
    try:
        done = subprocess.run(argv, input=body, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise DeliveryError(f"the command did not finish within {timeout:g} s") from None
    except OSError as exc:
        raise DeliveryError(f"cannot run {argv[0]}: {exc.strerror or exc}") from None
    if done.returncode != 0:
        said = done.stderr.decode(errors="replace").strip().splitlines()
        tail = f": {said[-1][:200]}" if said else ""
        raise DeliveryError(f"exit {done.returncode}{tail}")
    return "exit 0"
