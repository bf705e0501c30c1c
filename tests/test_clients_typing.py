"""User code passing real httpx, aiohttp, urllib and tenacity objects to the generated
helpers type-checks under mypy --strict (the helpers take Protocols, not the clients)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from .conftest import ROOT
from .test_typecheck import _mypy

USER_PROGRAM = """
import asyncio
import urllib.error
from typing import assert_type

import aiohttp
import httpx
import tenacity

from flux_errors import (
    FluxError, afrom_httpx, araise_for_httpx, from_aiohttp, from_httpx, from_urllib,
    raise_for_aiohttp, raise_for_httpx, should_retry, wait_for,
)


def sync(client: httpx.Client) -> FluxError | None:
    hooked = httpx.Client(event_hooks={"response": [raise_for_httpx]})
    hooked.close()
    return from_httpx(client.get("http://127.0.0.1:1/"))


async def run(session: aiohttp.ClientSession, client: httpx.AsyncClient) -> FluxError | None:
    hooked = httpx.AsyncClient(event_hooks={"response": [araise_for_httpx]})
    await hooked.aclose()
    other = aiohttp.ClientSession(raise_for_status=raise_for_aiohttp)
    await other.close()
    async with session.get("http://127.0.0.1:1/") as response:
        error = await from_aiohttp(response)
    assert_type(error, FluxError | None)
    assert_type(await afrom_httpx(await client.get("http://127.0.0.1:1/")), FluxError | None)
    return error or await afrom_httpx(await client.get("http://127.0.0.1:1/"))


def precise(client: httpx.Client, exc: urllib.error.HTTPError) -> None:
    # The runtime's helpers are typed with _spec.APIError: users see the API's own class.
    assert_type(from_httpx(client.get("http://127.0.0.1:1/")), FluxError | None)
    assert_type(from_urllib(exc), FluxError | None)


def legacy(exc: urllib.error.HTTPError) -> FluxError | None:
    return from_urllib(exc, method="GET")


retrying = tenacity.Retrying(retry=should_retry, wait=wait_for, stop=tenacity.stop_after_attempt(3))
"""

WRONG = """
import httpx
from flux_errors import from_aiohttp, from_httpx

from_httpx(httpx.Request("GET", "http://127.0.0.1:1/"))
reveal_type(from_httpx(httpx.Response(500)))
async def f(response: httpx.Response) -> None:
    await from_aiohttp(response)
"""


def test_user_code_with_real_clients_type_checks(tmp_path: Path) -> None:
    (tmp_path / "user.py").write_text(textwrap.dedent(USER_PROGRAM))
    (tmp_path / "wrong.py").write_text(textwrap.dedent(WRONG))
    result = _mypy(["user.py", "wrong.py"], tmp_path, [ROOT / "generated" / "flux_errors"])
    assert "user.py" not in result.stdout, result.stdout  # one run (mypy on aiohttp is slow)
    assert result.returncode == 1, result.stdout
    assert 'Argument 1 to "from_httpx" has incompatible type "Request"' in result.stdout
    assert 'Argument 1 to "from_aiohttp" has incompatible type "Response"' in result.stdout
    # the API's base class by its own name, not the runtime's alias or a wider type
    assert 'Revealed type is "flux_errors._base.FluxError | None"' in result.stdout, result.stdout
