"""AWS service models shipped in botocore (``botocore/data/<service>/<version>/service-2.json.gz``) -> specs.

Each service's newest model goes through ``errorsdk import botocore``
(generator/importing/botocore.py, which documents what each error shape becomes and the
envelope of each protocol); this module only finds the models.
"""

from __future__ import annotations

import re
from pathlib import Path

import botocore

from errorsdk.importing import botocore as importer
from errorsdk.importing.aws import AwsService

DATA = Path(botocore.__file__).parent / "data"


def service_models() -> dict[str, Path]:
    """Each service's newest ``service-2.json.gz`` (some old API versions ship none)."""
    found: dict[str, Path] = {}
    for folder in sorted(p for p in DATA.iterdir() if p.is_dir()):
        for version in sorted((v for v in folder.iterdir() if v.is_dir()), reverse=True):
            model = version / "service-2.json.gz"
            if model.is_file():
                found[folder.name] = model
                break
    return found


def source(path: Path) -> str:
    return f"botocore {path.relative_to(DATA.parent)}"


def read(path: Path) -> AwsService:
    return importer.read(path, source(path))


def kind(service: AwsService) -> str:
    return f"aws-{service.protocol}" + ("-query-compatible" if service.query_compatible else "")


def spec_text(service: str, path: Path) -> str:
    return importer.import_botocore(path, api_name(service), source(path))


def api_name(service: str) -> str:
    return "aws_" + re.sub(r"[^a-z0-9]+", "_", service.lower()).strip("_")
