"""``python -m bench.import_models``: is ``errorsdk import botocore|smithy`` linear in the model's size?

Synthetic models of N and 5N shapes (a quarter of them errors, HTML documentation on
each); the figure is the time per MB of the large one over the small one's (1.0x:
linear), medians of 5 runs, CPU time of this process.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from errorsdk.importing.botocore import import_botocore
from errorsdk.importing.smithy import import_smithy


def botocore_model(n: int) -> dict[str, object]:
    shapes: dict[str, dict[str, object]] = {}
    for i in range(n):
        shape: dict[str, object] = {"type": "structure", "documentation": "<p>The thing " * 20 + "</p>"}
        if i % 4 == 0:
            shape.update(exception=True, error={"code": f"Code{i % 997}", "httpStatusCode": 400 + i % 100})
        shapes[f"Shape{i}"] = shape
    return {"metadata": {"protocol": "json", "serviceFullName": "Big"}, "shapes": shapes}


def smithy_model(n: int) -> dict[str, object]:
    shapes: dict[str, object] = {"a#S": {"type": "service", "traits": {"aws.protocols#restJson1": {}}}}
    for i in range(n):
        traits: dict[str, object] = {"smithy.api#documentation": "<p>The thing " * 20 + "</p>"}
        if i % 4 == 0:
            traits.update({"smithy.api#error": "client", "smithy.api#httpError": 400 + i % 100})
        shapes[f"a#Shape{i}"] = {"type": "structure", "traits": traits}
    return {"smithy": "2.0", "shapes": shapes}


def per_mb(importer: Callable[[Path, str], str], path: Path) -> float:
    runs = []
    for _ in range(5):
        start = time.process_time()
        importer(path, "big")
        runs.append(time.process_time() - start)
    return sorted(runs)[2] / (path.stat().st_size / 1e6)


def main(n: int = 4000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name, make, importer in (
            ("botocore", botocore_model, import_botocore),
            ("smithy", smithy_model, import_smithy),
        ):
            paths = []
            for size in (n, 5 * n):
                path = Path(tmp) / f"{name}{size}.json"
                path.write_text(json.dumps(make(size)), "utf-8")
                paths.append(path)
            small, large = (per_mb(importer, p) for p in paths)
            mb = paths[1].stat().st_size / 1e6
            print(f"import {name}: {mb:.1f} MB at {large:.2f} s/MB; per MB, 5x the shapes vs 1x: {large / small:.2f}x")


if __name__ == "__main__":
    main()
