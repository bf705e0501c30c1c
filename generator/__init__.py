"""errorsdk: turn an API's error catalogue (a YAML spec) into a typed Python error SDK.

Pipeline, one module each::

    loader      YAML text -> plain data + source positions (safe, duplicate keys caught)
    spec        the spec format (pydantic models; source of spec.schema.json)
    validation  plain data -> Spec, every problem reported as a Diagnostic
    detail_schemas   the spec's JSON Schemas checked, gathered into one document
    paths       the envelope path language: parse, compile to Python
    layout      where to_response() writes each field; envelopes that cannot round-trip
    round_trip  whether each entry's own response dispatches back to its class
    modeling    Spec -> ApiModel, the intermediate model templates render
                (``retrying``: the spec's retry section -> RetryModel)
    detail_modeling  which detail model each class checks, and its declared type
    rendering   ApiModel -> {relative path: source text} through templates/
    models_codegen   JSON Schemas -> models.py (datamodel-code-generator, in-process)
    formatting  black, in-process
    writing     atomic per-package swap into generated/, --check

Around the pipeline: ``building`` (reproducible wheel + sdist), ``publishing``
(twine, all or nothing), ``vendoring`` (copy under another package), ``spec_diff``
(classify changes, semver bump, generate's breaking-change guard), ``importing``
(``errorsdk import``: OpenAPI, recordings), ``recording_check`` (``errorsdk check``:
recorded traffic replayed through a spec's dispatch, drift reported), ``openapi_output``
(``errorsdk openapi``: the catalogue as OpenAPI 3.1 components; the packages' ``_openapi.py``).
"""

__version__ = "0.1.0"
