"""Benchmark: detail models. Generating them against datamodel-code-generator alone on
the same schemas, and the dispatch cost of an error whose class has one, not accessed.

    python -m bench.detail_models [--number N] [--repeat R]

Generates the Flux seed twice into a temporary folder: as it is (validation errors
have a dataclass detail model) and with its detail schemas removed, then times
``from_response`` on the same 422 validation body with each. The detail is checked
lazily, so the ratio should be ~1.00 (target: within 5%). Also prints the cost of
the first access to ``detail`` (the check and conversion) and of later ones (cached).

``measure()`` returns the numbers; ``run(budget)`` gives them as rows of the main
suite's table (``python -m bench``).
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import sys
import tempfile
import timeit
from pathlib import Path
from typing import Any

import yaml

from errorsdk.output.write import write_package
from errorsdk.pipeline import generate_package

from .synthetic import detail_spec_text
from .timing import Budget, Row, fmt_ratio, fmt_time, verdict

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "specs" / "flux.yaml"
BODY = json.dumps(
    {
        "message": "Validation error",
        "error_code": "validation_error",
        "detail": [{"field": f"where.$.all_of[{i}].status__eq", "message": "Invalid operator"} for i in range(5)],
    }
).encode()


def _packages(out: Path) -> tuple[Any, Any]:
    """(flux with models, flux without), imported from ``out``."""
    data = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    for key in ("schemas", "categories", "detail_schema"):
        data.pop(key, None)
    data["api"].update(name="plainflux", package="plainflux_errors", class_prefix="Flux")
    plain_spec = out / "plainflux.yaml"
    plain_spec.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    for spec in (SPEC, plain_spec):
        output = generate_package(spec)
        write_package(out, output)
        sys.path.insert(0, str(out / output.package))
    return importlib.import_module("flux_errors"), importlib.import_module("plainflux_errors")


def _median(stmt: Any, number: int, repeat: int) -> float:
    """Seconds per call: the median of ``repeat`` runs of ``number`` calls."""
    return statistics.median(timeit.repeat(stmt, number=number, repeat=repeat)) / number


def measure(number: int = 20_000, repeat: int = 7) -> dict[str, float]:
    """Per-call times (seconds) and the with/without-model dispatch ratio."""
    with tempfile.TemporaryDirectory() as tmp:
        typed, plain = _packages(Path(tmp))
        assert type(typed.from_response(422, BODY)).__name__ == "FluxValidationError"
        assert typed.from_response(422, BODY).detail[0].field.startswith("where")

        def with_model() -> object:
            return typed.from_response(422, BODY)

        def without_model() -> object:
            return plain.from_response(422, BODY)

        times_with: list[float] = []
        times_without: list[float] = []
        for _ in range(repeat):  # interleaved, so drift in machine load hits both alike
            times_with.append(_median(with_model, number, 1))
            times_without.append(_median(without_model, number, 1))
        errors = [typed.from_response(422, BODY) for _ in range(number)]
        it = iter(errors)
        first = _median(lambda: next(it).detail, number // repeat, 1)
        cached = errors[0]
        again = _median(lambda: cached.detail, number, repeat)
    return {
        "dispatch_with_model_s": statistics.median(times_with),
        "dispatch_without_model_s": statistics.median(times_without),
        "ratio": statistics.median(w / wo for w, wo in zip(times_with, times_without)),  # per-round pairs
        "first_detail_access_s": first,
        "cached_detail_access_s": again,
    }


def codegen(schemas: int, repeat: int) -> dict[str, float]:
    """Seconds (median of ``repeat``) to turn the same detail schemas into a models module:
    datamodel-code-generator alone, as its users run it (its default formatters: black
    and isort), and errorsdk's models step (the same library, the name and import checks,
    black). Plus generating the whole package with and without those schemas."""
    from datamodel_code_generator import InputFileType, PythonVersion, generate
    from datamodel_code_generator.format import Formatter

    from errorsdk.model.build import build_model
    from errorsdk.rendering.models import STYLES, render_models
    from errorsdk.spec.validation import load_spec

    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "syndetail.yaml"
        spec.write_text(detail_spec_text("syndetail", schemas), "utf-8")
        details = build_model(load_spec(spec)).details
        assert details is not None and len(details.names) > schemas
        data = yaml.safe_load(spec.read_text("utf-8"))
        for error in data["errors"]:
            error.pop("detail_schema")
        data.pop("schemas")
        plain = Path(tmp) / "synplain.yaml"
        plain.write_text(yaml.safe_dump(data, sort_keys=False), "utf-8")

        def alone() -> object:
            return generate(
                details.schema_json,
                input_file_type=InputFileType.JsonSchema,
                output_model_type=STYLES[details.style],
                target_python_version=PythonVersion.PY_311,
                formatters=[Formatter.BLACK, Formatter.ISORT],
            )

        def ours() -> object:
            return render_models(details, str(spec), "# header")

        alone(), ours()  # warm: imports, black's and the library's caches
        return {
            "datamodel_code_generator_s": _median(alone, 1, repeat),
            "errorsdk_models_s": _median(ours, 1, repeat),
            "package_with_s": _median(lambda: generate_package(spec), 1, repeat),
            "package_without_s": _median(lambda: generate_package(plain), 1, repeat),
        }


def run(budget: Budget) -> list[Row]:
    """The numbers as rows of the main suite's table."""
    rows: list[Row] = []
    for schemas in (10,) if budget.quick else (10, 100):
        timed = codegen(schemas, 2 if budget.quick else 5)
        case = f"{schemas} detail schemas"
        floor, ours = timed["datamodel_code_generator_s"], timed["errorsdk_models_s"]
        rows += [
            Row("detail", case, "floor: datamodel-code-generator alone (black + isort)", fmt_time(floor), "1.00x"),
            Row(
                "detail",
                case,
                "errorsdk models.py step (same library + checks + black)",
                fmt_time(ours),
                fmt_ratio(ours / floor),
                verdict(ours / floor <= 1.5, "<= 1.5x datamodel-code-generator"),
            ),
            Row("detail", case, "whole package, schemas removed", fmt_time(timed["package_without_s"]), "1.00x"),
            Row(
                "detail",
                case,
                "whole package, with the schemas",
                fmt_time(timed["package_with_s"]),
                fmt_ratio(timed["package_with_s"] / timed["package_without_s"]),
            ),
        ]
    result = measure(2_000 if budget.quick else 20_000, 3 if budget.quick else 7)
    case = "flux 422, 5 detail entries"
    return rows + [
        Row(
            "detail",
            case,
            "model attached, not accessed",
            f"{result['dispatch_with_model_s'] * 1e6:.2f} us",
            f"{result['ratio']:.3f}x",
            "<= 1.05x",
        ),
        Row("detail", case, "no model", f"{result['dispatch_without_model_s'] * 1e6:.2f} us", "1.00x"),
        Row("detail", case, "first .detail access", f"{result['first_detail_access_s'] * 1e6:.2f} us"),
        Row("detail", case, "cached .detail access", f"{result['cached_detail_access_s'] * 1e6:.2f} us"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--number", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    result = measure(args.number, args.repeat)
    print("detail models: flux 422 validation_error, 5 detail entries")
    print(f"  from_response, model attached, not accessed: {result['dispatch_with_model_s'] * 1e6:8.2f} us")
    print(f"  from_response, no model:                      {result['dispatch_without_model_s'] * 1e6:8.2f} us")
    print(f"  ratio with/without: {result['ratio']:.3f} (target <= 1.05)")
    print(f"  first access to .detail (check + convert):   {result['first_detail_access_s'] * 1e6:8.2f} us")
    print(f"  later access to .detail (cached):            {result['cached_detail_access_s'] * 1e6:8.2f} us")
    return 0


if __name__ == "__main__":
    sys.exit(main())
