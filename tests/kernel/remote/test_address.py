"""What ``--server URL`` accepts: pasted browser URLs, base paths, where the token comes from."""

from __future__ import annotations

import pytest

from ick.errors import IckError
from ick.kernel.remote.address import ServerAddress


@pytest.mark.parametrize(
    ("url", "base"),
    [
        ("http://host:8888", "http://host:8888/"),
        ("http://host:8888/lab?token=abc", "http://host:8888/"),
        ("https://hub.example/user/ada/lab/tree/work/x.ipynb", "https://hub.example/user/ada/"),
        ("http://[::1]:8888/tree", "http://[::1]:8888/"),
        ("http://host/base/api/kernels", "http://host/base/"),
    ],
)
def test_the_page_part_of_a_pasted_url_is_dropped(url, base, monkeypatch):
    monkeypatch.delenv("JUPYTER_TOKEN", raising=False)
    assert ServerAddress.parse(url).base_url == base


def test_token_precedence_option_then_url_then_environment(monkeypatch):
    monkeypatch.setenv("JUPYTER_TOKEN", "from-env")
    assert ServerAddress.parse("http://h/?token=from-url", "from-option").token == "from-option"
    assert ServerAddress.parse("http://h/?token=from-url").token == "from-url"
    assert ServerAddress.parse("http://h/").token == "from-env"
    monkeypatch.delenv("JUPYTER_TOKEN")
    assert ServerAddress.parse("http://h/").token is None


def test_the_token_travels_in_a_header_and_never_in_messages(monkeypatch):
    monkeypatch.delenv("JUPYTER_TOKEN", raising=False)
    address = ServerAddress.parse("https://h:1/lab?token=secret")
    assert address.headers == {"Authorization": "token secret"}
    assert "secret" not in address.display + repr(address)
    websocket = address.websocket_url("k/1", "s 1")
    assert websocket == "wss://h:1/api/kernels/k%2F1/channels?session_id=s%201"
    assert "secret" not in websocket


@pytest.mark.parametrize("url", ["ftp://h/", "h:8888", "http://", "http://h:port/"])
def test_urls_that_cannot_be_servers_are_usage_errors(url):
    with pytest.raises(IckError) as caught:
        ServerAddress.parse(url)
    assert caught.value.status == 2
