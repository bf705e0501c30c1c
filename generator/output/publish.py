"""``errorsdk publish``: build every API, then upload all of it with twine, or nothing.

Order: build everything (reproducibly, see ``building``), ``twine check`` every
file, ask the index whether any of these versions already exists, and only when all
of that passed run one ``twine upload``. Credentials come from twine's own sources
(``TWINE_USERNAME`` / ``TWINE_PASSWORD``, or keyring), never from the command line;
a repository URL carrying credentials is refused, and twine's output is printed with
the password redacted. Left open: a version another uploader creates between the
check and the upload makes twine fail part-way.
"""

from __future__ import annotations

import base64
import importlib.util
import os
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import Version

from .dist import Built, build_all


class PublishError(Exception):
    """Nothing was uploaded, for this reason."""


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PublishError(f"--repository-url must be an http(s) URL, not {url!r}")
    if parts.username is not None or parts.password is not None:
        raise PublishError(
            "the repository URL carries credentials: remove them and set TWINE_USERNAME and "
            "TWINE_PASSWORD (or use keyring) instead"
        )


def default_index_url(repository_url: str) -> str:
    """pypiserver-style: uploads to ``URL``, serves the simple index at ``URL/simple/``."""
    return repository_url.rstrip("/") + "/simple/"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.files: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href") if tag == "a" else None
        if href:
            self.files.append(unquote(urlsplit(href).path).rsplit("/", 1)[-1])


def _version_of(filename: str) -> tuple[str, Version] | None:
    try:
        if filename.endswith(".whl"):
            name, version, _, _ = parse_wheel_filename(filename)
        else:
            name, version = parse_sdist_filename(filename)
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None
    return str(name), version


def _auth_header() -> dict[str, str]:
    user, password = os.environ.get("TWINE_USERNAME"), os.environ.get("TWINE_PASSWORD")
    if not (user and password):
        return {}
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return {"Authorization": f"Basic {token}"}


def existing_versions(index_url: str, distribution: str, timeout: float = 30) -> set[Version]:
    """The versions of ``distribution`` the simple index lists (none when it is unknown)."""
    url = urljoin(index_url.rstrip("/") + "/", canonicalize_name(distribution) + "/")
    request = urllib.request.Request(url, headers={"Accept": "text/html", **_auth_header()})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) checked)
            page = response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return set()
        raise PublishError(f"cannot check {url}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise PublishError(f"cannot check {url}: {getattr(exc, 'reason', exc)}") from None
    parser = _Links()
    parser.feed(page)
    wanted = canonicalize_name(distribution)
    return {nv[1] for nv in map(_version_of, parser.files) if nv is not None and nv[0] == wanted}


def _redact(text: str) -> str:
    secret = os.environ.get("TWINE_PASSWORD")
    return text.replace(secret, "********") if secret else text


def _twine(args: list[str]) -> tuple[int, str]:
    if importlib.util.find_spec("twine") is None:
        raise PublishError("publishing needs twine: pip install 'errorsdk[dist]'")
    done = subprocess.run(
        [sys.executable, "-m", "twine", *args], capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL
    )
    return done.returncode, _redact(done.stdout + done.stderr).strip()


def _quiet(line: str) -> None:
    """Reports nothing (the default of ``say``: the CLI passes one that prints)."""


def publish(builds: list[Built], repository_url: str, index_url: str, say: Callable[[str], None] = _quiet) -> None:
    """Upload every file of ``builds``, or raise PublishError having uploaded nothing;
    twine's report (credentials redacted) goes to ``say``."""
    check_url(repository_url)
    files = [str(f) for b in builds for f in b.files]
    if not files:
        raise PublishError("nothing to publish")
    code, out = _twine(["check", "--strict", *files])
    if code != 0:
        raise PublishError(f"twine check failed, nothing uploaded:\n{out}")
    taken = [
        f"{b.distribution} {b.version} already exists on {index_url}"
        for b in builds
        if Version(b.version) in existing_versions(index_url, b.distribution)
    ]
    if taken:
        raise PublishError("\n".join(taken) + "\nnothing uploaded: bump api.version in the spec(s) and publish again")
    say(f"uploading {len(files)} files to {repository_url}")
    code, out = _twine(
        ["upload", "--non-interactive", "--disable-progress-bar", "--repository-url", repository_url, *files]
    )
    if out:
        say(out)
    if code != 0:
        raise PublishError(f"twine upload failed (exit {code})")


def build_and_publish(
    specs: list[Path],
    repository_url: str,
    index_url: str | None,
    dist: Path | None,
    say: Callable[[str], None] = _quiet,
) -> list[Built]:
    """``errorsdk publish``: build every spec (into ``dist``, or a temporary folder) and
    upload them all; returns the builds, or raises PublishError or BuildError having
    uploaded nothing. Progress and twine's report go to ``say``."""
    index = index_url or default_index_url(repository_url)
    check_url(repository_url)
    with tempfile.TemporaryDirectory(prefix="errorsdk-dist-") as tmp:
        builds, failures = build_all(specs, dist or Path(tmp), progress=say)
        if failures:
            raise PublishError("\n".join(failures) + "\nnothing uploaded: fix the spec(s) first")
        publish(builds, repository_url, index, say)
    return builds
