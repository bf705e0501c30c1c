"""Publishing end to end against a real package index (pypiserver on 127.0.0.1)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from passlib.apache import HtpasswdFile

from errorsdk.cli import main
from errorsdk.output.publish import PublishError, check_url, existing_versions

from .conftest import SPECS
from .distributions import make_venv, model, pip_install, run

USER, PASSWORD = "uploader", "s3cret-token-never-printed"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def index(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A pypiserver that needs a password to upload; its URL and its packages folder."""
    packages = tmp_path / "packages"
    packages.mkdir()
    htpasswd = HtpasswdFile(str(tmp_path / "htpasswd"), new=True, default_scheme="apr_md5_crypt")
    htpasswd.set_password(USER, PASSWORD)
    htpasswd.save()
    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pypiserver",
            "run",
            "-i",
            "127.0.0.1",
            "-p",
            str(port),
            "-a",
            "update",
            "-P",
            str(tmp_path / "htpasswd"),
            "--disable-fallback",
            "--log-stream",
            "none",
            str(packages),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(url + "simple/", timeout=2).close()
                break
            except (urllib.error.URLError, OSError):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        f"pypiserver did not start: {server.stderr.read() if server.stderr else ''!r}"
                    ) from None
                time.sleep(0.1)
        yield url, packages
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_publish_every_api_install_back_and_refuse_a_republish(
    index: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url, packages = index
    monkeypatch.setenv("TWINE_USERNAME", USER)
    monkeypatch.setenv("TWINE_PASSWORD", PASSWORD)
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.pypirc of the machine
    args = ["publish", *map(str, SPECS), "--repository-url", url]
    assert main(args) == 0, capsys.readouterr()
    out = capsys.readouterr()
    assert PASSWORD not in out.out + out.err
    assert len(listing(packages)) == 2 * len(SPECS)

    # Each one installs back from the index into a fresh venv, and is the one we published.
    python = make_venv(tmp_path / "venv")
    apis = [model(s) for s in SPECS]
    pip_install(python, "--index-url", url + "simple/", *(f"{a.distribution}=={a.version}" for a in apis))
    check = "import importlib, sys; print(*(importlib.import_module(n).SPEC_SHA256 for n in sys.argv[1:]))"
    assert run(python, "-I", "-c", check, *(a.package for a in apis)).stdout.split() == [a.spec_sha256 for a in apis]

    # A new version of one API beside an existing version of another: refused whole.
    before = listing(packages)
    bumped = tmp_path / SPECS[0].name
    bumped.write_text(SPECS[0].read_text().replace(f"version: {apis[0].version}", "version: 9.9.9", 1))
    assert main(["publish", str(bumped), str(SPECS[1]), "--repository-url", url]) == 1
    err = capsys.readouterr().err
    assert f"{apis[1].distribution} {apis[1].version} already exists" in err and "nothing uploaded" in err
    assert listing(packages) == before
    assert main(["publish", *map(str, SPECS[1:3]), "--repository-url", url]) == 1
    assert "already exists" in capsys.readouterr().err
    assert listing(packages) == before


def test_wrong_credentials_upload_nothing_and_are_not_shown(
    index: tuple[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url, packages = index
    monkeypatch.setenv("TWINE_USERNAME", USER)
    monkeypatch.setenv("TWINE_PASSWORD", "wrong-" + PASSWORD)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert main(["publish", str(SPECS[0]), "--repository-url", url]) == 1
    out = capsys.readouterr()
    assert "twine upload failed" in out.err
    assert "wrong-" + PASSWORD not in out.out + out.err
    assert listing(packages) == []


def test_credentials_in_the_url_are_refused() -> None:
    with pytest.raises(PublishError, match="TWINE_USERNAME"):
        check_url("https://user:secret@example.invalid/legacy/")
    with pytest.raises(PublishError, match="http"):
        check_url("ftp://example.invalid/")


def test_an_unreachable_index_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    url = f"http://127.0.0.1:{_free_port()}/"
    with pytest.raises(PublishError, match="cannot check"):
        existing_versions(url + "simple/", "flux-errors", timeout=5)
    assert main(["publish", str(SPECS[0]), "--repository-url", url]) == 1
    assert "cannot check" in capsys.readouterr().err
