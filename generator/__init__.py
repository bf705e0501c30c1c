"""errorsdk: turn an API's error catalogue (a YAML spec) into a typed Python error SDK.

Installed as the import package ``errorsdk``; in the repository it is the folder
``generator/``. One layer per sub-package, in the order a run goes through them (a
module of a sub-package imports only from its own layer and the ones above it in this
list, except ``spec/example_checks`` and ``spec/reference_dispatch``, which read the
model, and ``rendering/docs`` and ``rendering/templates``, which take ``output/write``'s
file writing and marker names; the top-level modules drive the layers below them);
tests/test_layout.py checks that no modules import each other in a loop, that no
module imports another's private names, and that this map names every module::

    cli         the command line: parse arguments, call the pipeline, print
    pipeline    the one entry: resolve specs, generate (a process pool for many), write, docs
    children    process pools whose workers die with the process that made them
    recording_check  recorded traffic replayed through a spec's dispatch, drift reported (errorsdk check)

    spec/       the spec: load, check
    spec/files          read input files (regular files only, never blocking)
    spec/loader         YAML text -> plain data + source positions (safe, duplicate keys caught)
    spec/diagnostics    Diagnostic, SpecError: ``file:line:col: problem`` + ``fix:``
    spec/format         the spec format (pydantic models; source of spec.schema.json)
    spec/taxonomy       the fixed error categories every package shares
    spec/naming         Python names from spec text (sanitised, collision-checked)
    spec/paths          the envelope path language: parse, compile to Python (EnvelopePath)
    spec/layout         where to_response() writes each field; envelopes that cannot round-trip
    spec/regex_safety   message patterns that could backtrack catastrophically, refused
    spec/detail_schemas the spec's JSON Schemas checked, gathered into one document
    spec/groups         the spec's groups: intermediate classes over listed codes, checked
    spec/round_trip     whether each entry's own response dispatches back to its class
    spec/checking       the Checker base: problems and warnings about one document
    spec/checked        CheckedSpec: a spec that passed every check, as later layers read it
    spec/validation     plain data -> CheckedSpec, every problem reported (load_spec)
    spec/reference_dispatch  from_response() computed in Python from the model
    spec/example_checks the catalogue's examples dispatched and checked (needs the model)

    model/      the intermediate model: plain data the templates render
    model/data          ApiModel and its parts
    model/build         CheckedSpec -> ApiModel
    model/details       which detail model each class checks, and its declared type
    model/retry         the spec's retry section -> RetryModel
    model/redaction     which headers a package redacts
    model/prefilter     literals a message regex needs: a prefilter for rules
    model/docs          the error-reference page as a model (DocsPage)

    rendering/  the model into files
    rendering/templates ApiModel -> {relative path: text} through templates/ (Jinja2)
    rendering/imports   what each generated module imports (from the model, for the templates)
    rendering/literals  spec text as Python literals, docstrings, TOML, Markdown, HTML
    rendering/formatting  black, in-process (or over forked workers for a large package)
    rendering/models    JSON Schemas -> models.py (datamodel-code-generator, in-process)
    rendering/docs      the reference pages (templates/docs/), written to a folder
    rendering/openapi   the catalogue as OpenAPI 3.1 components (errorsdk openapi; the packages' _openapi.py)
    rendering/runtime/  the package modules that do not depend on the spec, copied verbatim:
                        ``_core`` (ErrorCore, the errors' base; headers, URLs), ``_json`` or
                        ``_xml`` (body parsing), ``_clients`` (HTTP client adapters),
                        ``_retry``, ``_observe`` (notes, logs, traces), ``_server`` (the
                        package's ``server``), ``_detail`` / ``_detail_pydantic`` (typed
                        details), ``_events`` (server-sent-event parsing and stream helpers)

    output/     the files on disk and beyond
    output/write        atomic per-package swap into generated/, the lock, --check
    output/cache        the build cache: skip specs whose package is up to date
    output/spec_diff    classify spec changes, semver bump, the breaking-change guard
    output/dist         reproducible wheel + sdist per API (errorsdk build)
    output/publish      upload with twine, all or nothing (errorsdk publish)
    output/vendor       copy a package under another project (errorsdk vendor)

    importing/  bootstrap a spec from what a team has (errorsdk import)
    importing/cli       the import sub-commands
    importing/openapi   an OpenAPI document -> a proposed spec
    importing/examples  recorded error responses -> a proposed spec
    importing/recordings  HAR 1.2 / JSON Lines -> records, secrets redacted (also read by errorsdk check)
    importing/aws       AWS error shapes (Smithy or botocore) -> a proposed spec, the protocol's envelope
    importing/smithy    a Smithy JSON AST model -> AWS error shapes
    importing/botocore  a botocore service-2.json -> AWS error shapes
    importing/proto     protobuf enums of error codes/reasons -> a proposed spec (AIP-193 envelope)
    importing/modelfile reading JSON models with file:line:col / JSON-pointer errors
    importing/detail_schema  OpenAPI schema objects -> the spec's detail schemas
    importing/proposal  the proposed spec both produce, rendered as commented YAML
    importing/yamlwriter  plain data -> commented YAML, deterministically
"""

__version__ = "0.1.0"
