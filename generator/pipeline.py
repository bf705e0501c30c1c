"""The one entry of the pipeline: resolve the specs, generate their packages, write them.

``errorsdk generate`` is ``generate(...)``: each spec through ``spec`` (load, check),
``model`` (build the intermediate model), ``rendering`` (templates, black) and
``output`` (the build cache, the breaking-change guard, the atomic writes, removal of
packages whose spec is gone). Many specs are spread over a process pool
(``generate_many``); for a few, each package's files are formatted over the cores
(``rendering.formatting.format_all``). ``validate`` and ``docs`` are the other two
runs over specs. The command line only parses arguments and prints:
what a run has to say goes to the ``out`` and ``err`` callables it passes.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from .children import worker_pool
from .output import spec_diff
from .output.cache import BuildCache
from .output.write import (
    MARKER,
    SPEC_COPY,
    PackageOutput,
    WriteError,
    differences,
    marker_text,
    output_lock,
    recover,
    remove_package,
    stale_packages,
    write_package,
)
from .spec.diagnostics import SpecError, format_all

Say = Callable[[str], None]
"""Where a run's lines go: ``print`` to stdout (``out``) or to stderr (``err``)."""


def find_specs(specs_dir: Path) -> list[Path]:
    """Every spec in a folder (``*.yaml`` / ``*.yml``), sorted."""
    return sorted(p for p in specs_dir.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def spec_paths(specs: list[str], specs_dir: str) -> tuple[list[Path], bool]:
    """The specs to use (those named, else every spec in ``specs_dir``), and whether
    they are the whole specs folder."""
    if specs:
        return [Path(p) for p in specs], False
    folder = Path(specs_dir)
    if not folder.is_dir():
        raise FileNotFoundError(f"no specs folder {folder} (run from the project root or pass --specs-dir)")
    return find_specs(folder), True


def generate_package(spec_path: Path, jobs: int = 1) -> PackageOutput:
    """Load, check, model and render one spec; raises SpecError for a bad spec.

    ``jobs``: processes that may format the package's files (1: this one only).
    """
    # Imported here, not at the top: a run whose specs are all up to date needs none of them.
    from .model.build import build_model
    from .rendering.templates import render
    from .spec.validation import load_spec

    checked = load_spec(spec_path)
    api = build_model(checked)  # the one validation built (kept on the checked spec)
    files = render(api, jobs)
    files[SPEC_COPY] = checked.source
    files[MARKER] = marker_text(api.package, api.spec_file, api.spec_sha256, api.generator_version, list(files))
    return PackageOutput(
        api.package, str(spec_path), files, api.version, api.requirements, format_all(checked.warnings)
    )


Result = PackageOutput | str  # the package, or the spec's problems as text
MIN_PARALLEL = 8  # fewer specs than this are generated in this process


def _generate(path: Path, jobs: int = 1) -> Result:
    try:
        return generate_package(path, jobs)
    except SpecError as exc:
        return str(exc)  # text: a SpecError does not survive pickling between processes


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def generate_many(paths: list[Path], jobs: int | None = None) -> list[Result]:
    """``generate_package`` of each path, in order; a bad spec comes back as its problems' text."""
    cores = jobs or default_jobs()
    workers = min(cores, len(paths))
    if workers <= 1 or len(paths) < MIN_PARALLEL:
        return [_generate(path, cores) for path in paths]
    chunk = max(1, len(paths) // (workers * 4))
    with worker_pool(workers) as pool:  # workers die with this process
        return list(pool.map(_generate, paths, chunksize=chunk))


def generate_all(
    paths: list[Path], err: Say, cache: BuildCache | None = None, jobs: int | None = None, strict: bool = False
) -> tuple[list[PackageOutput], int, list[str]]:
    """Outputs of the specs to render, failures, and packages the cache found up to date.

    Each spec's warnings are printed; with ``strict`` a spec with warnings fails."""
    outputs: list[PackageOutput] = []
    up_to_date: list[str] = []
    failed = 0
    packages: dict[str, Path] = {}
    fresh = {path: package for path in paths if cache and (package := cache.fresh(path))}
    todo = [path for path in paths if path not in fresh]
    results = dict(zip(todo, generate_many(todo, jobs), strict=True))
    for path in paths:
        result = fresh.get(path) or results[path]
        if isinstance(result, str) and path not in fresh:
            failed += 1
            err(result)
            continue
        package = result if isinstance(result, str) else result.package
        warnings = result.warnings if isinstance(result, PackageOutput) else cache.warnings(path) if cache else ""
        if warnings:
            err(warnings)
            if strict:
                failed += 1
                err(f"{path}: warnings fail the spec (--strict); not generated")
                continue
        if package in packages:
            failed += 1
            err(f"{path}: package {package!r} is also generated by {packages[package]}; set api.package")
            continue
        packages[package] = path
        if isinstance(result, PackageOutput):
            outputs.append(result)
        else:
            up_to_date.append(package)
    return outputs, failed, up_to_date


def generate(
    paths: list[Path],
    whole: bool,
    out_dir: Path,
    out: Say,
    err: Say,
    *,
    check: bool = False,
    jobs: int | None = None,
    strict: bool = False,
    cache: bool = True,
    allow_breaking: bool = False,
    wait: float = 0,
) -> int:
    """``errorsdk generate``: the exit status. ``whole``: ``paths`` are the whole specs
    folder, so packages of specs no longer in it are removed (or, with ``check``, reported)."""
    if os.path.lexists(out_dir) and not out_dir.is_dir():
        raise WriteError(
            f"--out {out_dir} is not a folder\n    fix: name a folder (it is made if missing), or move the file away"
        )
    if check:
        outputs, failed, _ = generate_all(paths, err, None, jobs, strict)
        lines = differences(out_dir, outputs, stale=whole)
        for line in lines:
            err(line)
        if lines:
            err(f"{out_dir} is stale: run `errorsdk generate` and commit the result")
        return 1 if lines or failed else 0
    # One run at a time per output folder, from reading the cache to the last removal:
    # a second run (an editor's on-save hook beside a terminal) waits, then finds the
    # first run's packages up to date.
    with output_lock(out_dir, wait, err):
        for warning in recover(out_dir):
            err(warning)
        return _write_run(
            paths, whole, out_dir, out, err, BuildCache(out_dir, enabled=cache), jobs, strict, allow_breaking
        )


def _write_run(
    paths: list[Path],
    whole: bool,
    out_dir: Path,
    out: Say,
    err: Say,
    cache: BuildCache,
    jobs: int | None,
    strict: bool,
    allow_breaking: bool,
) -> int:
    outputs, failed, cached = generate_all(paths, err, cache, jobs, strict)
    refused = [] if allow_breaking else spec_diff.refusals(out_dir, outputs, err)
    if refused:
        err("\n".join(refused) + "\nnothing written")
        return 1
    for output in outputs:
        warnings: list[str] = []
        try:
            changed = write_package(out_dir, output, warnings)
        except WriteError as exc:
            failed += 1
            cache.forget(Path(output.spec_file))
            err(f"error: {exc}")
            continue
        finally:
            for warning in warnings:
                err(warning)
        cache.record(Path(output.spec_file), output)
        out(f"{'wrote' if changed else 'unchanged'} {out_dir / output.package} ({len(output.files)} files)")
    for package in cached:
        out(f"unchanged {out_dir / package} (inputs unchanged since the last run)")
    cache.save()
    if whole and not failed:
        for folder in stale_packages(out_dir, {o.package for o in outputs} | set(cached)):
            for warning in remove_package(folder):
                err(warning)
            out(f"removed {folder} (its spec is gone)")
    if failed:
        err(f"{failed} spec(s) failed; the others were generated")
    return 1 if failed else 0


def validate(paths: list[Path], out: Say, err: Say, *, strict: bool = False) -> int:
    """``errorsdk validate``: check each spec, report every problem; with ``strict`` warnings fail."""
    from .spec.validation import load_spec  # pydantic: imported only by the commands that need it

    failed = 0
    for path in paths:
        try:
            checked = load_spec(path)
        except SpecError as exc:
            failed += 1
            err(str(exc))
            continue
        warned = len(checked.warnings)
        if warned:
            err(format_all(checked.warnings))
        if warned and strict:
            failed += 1
            err(f"{path}: {warned} warning(s); --strict makes them fail")
            continue
        note = f", {warned} warning(s)" if warned else ""
        out(f"{path}: ok ({len(checked.spec.errors)} errors, package {checked.package}{note})")
    return 1 if failed else 0


def openapi(spec: Path, target: Path | None, out: Say, err: Say, write: Say) -> int:
    """``errorsdk openapi``: the catalogue as OpenAPI 3.1 components, as JSON to ``write``
    (stdout) or into ``target`` (YAML if it ends .yaml/.yml); the same bytes for the same spec."""
    from .model.build import build_model
    from .rendering.openapi import document, document_text
    from .spec.validation import load_spec

    try:
        api = build_model(load_spec(spec))
    except SpecError as exc:
        err(str(exc))
        return 1
    if target is None:
        write(document_text(document(api), yaml_out=False))
        return 0
    target.write_text(document_text(document(api), yaml_out=target.suffix in (".yaml", ".yml")), "utf-8")
    out(f"wrote {target}")
    return 0


def docs(paths: list[Path], out_dir: Path, out: Say, err: Say, *, html: bool = False, check: bool = False) -> int:
    """``errorsdk docs``: an error-reference page per API (Markdown, with ``html`` also HTML)."""
    from .model.build import build_model
    from .rendering.docs import render_docs, write_docs
    from .spec.validation import load_spec

    formats = ("md", "html") if html else ("md",)
    failed = stale = 0
    for path in paths:
        try:
            files = render_docs(build_model(load_spec(path)), formats)
        except SpecError as exc:
            failed += 1
            err(str(exc))
            continue
        if check:
            for name, text in sorted(files.items()):
                target = out_dir / name
                if not target.is_file() or target.read_bytes() != text.encode("utf-8"):
                    stale += 1
                    err(f"differs: {target}")
            continue
        try:
            changed = write_docs(out_dir, files)
        except WriteError as exc:
            failed += 1
            err(f"error: {exc}")
            continue
        for name in sorted(files):
            out(f"{'wrote' if name in changed else 'unchanged'} {out_dir / name}")
    if failed:
        err(f"{failed} spec(s) failed")
    return 1 if failed or stale else 0
