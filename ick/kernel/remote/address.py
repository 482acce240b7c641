"""Where a Jupyter server is and how to authenticate to it, from what the user typed.

Users paste what their browser or ``jupyter server list`` shows, such as
``http://host:8888/lab?token=abc``: the page part (``/lab``, ``/tree`` …) is
dropped so that the server's base URL remains, and the token is taken from
the query unless ``--token`` gives one; ``JUPYTER_TOKEN`` is the fallback
for URLs without one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import parse_qs, quote, urlsplit, urlunsplit

from ick.errors import ExitStatus, IckError

# Path segments that start a page of the web UI rather than the server's base URL.
UI_SEGMENTS = ("lab", "tree", "notebooks", "doc", "edit", "view", "terminals", "api", "login")


@dataclass(frozen=True)
class ServerAddress:
    """A server's base URL (``http[s]://host:port/base/``) and its token, if any."""

    base_url: str
    token: str | None = field(repr=False)

    @classmethod
    def parse(cls, url: str, token: str | None = None) -> ServerAddress:
        """Check ``url``; the token is ``--token``, else ``?token=``, else ``JUPYTER_TOKEN``."""
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise IckError(
                f"--server wants an http:// or https:// URL with a host, not {url!r}",
                ExitStatus.USAGE,
            )
        try:
            parts.port  # noqa: B018  (raises on a port that is not a number)
        except ValueError:
            raise IckError(f"--server URL has a bad port: {url!r}", ExitStatus.USAGE) from None
        segments = [segment for segment in parts.path.split("/") if segment]
        for index, segment in enumerate(segments):
            if segment in UI_SEGMENTS:
                segments = segments[:index]
                break
        path = "/" + "".join(f"{segment}/" for segment in segments)
        from_query = parse_qs(parts.query).get("token", [None])[0]
        chosen = token or from_query or os.environ.get("JUPYTER_TOKEN") or None
        base = urlunsplit((parts.scheme, parts.netloc, path, "", ""))
        return cls(base, chosen)

    def api_url(self, *path: str) -> str:
        """The URL of ``/api/<path…>`` under the base URL, each segment quoted."""
        return self.base_url + "api/" + "/".join(quote(segment, safe="") for segment in path)

    def websocket_url(self, kernel_id: str, session_id: str) -> str:
        http_url = self.api_url("kernels", kernel_id, "channels")
        scheme = "wss" if self.uses_tls else "ws"
        return f"{scheme}:{http_url.split(':', 1)[1]}?session_id={quote(session_id)}"

    @property
    def headers(self) -> dict[str, str]:
        """The token as an ``Authorization`` header: token logins skip XSRF, and no ``Origin``."""
        return {"Authorization": f"token {self.token}"} if self.token else {}

    @property
    def uses_tls(self) -> bool:
        return self.base_url.startswith("https:")

    @property
    def display(self) -> str:
        """The base URL for messages (never the token)."""
        return self.base_url


@dataclass(frozen=True)
class RemoteTarget:
    """A kernel on a server: a new one of ``kernel_name`` (else one for ``script``'s
    extension, else the server's default), or the running ``kernel_id``; ``env`` goes
    with a start request (gateways read ``KERNEL_*`` variables, Enterprise Gateway needs
    ``KERNEL_USERNAME``)."""

    address: ServerAddress
    kernel_name: str | None = None
    kernel_id: str | None = None
    env: tuple[tuple[str, str], ...] = ()
    script: str | None = None
