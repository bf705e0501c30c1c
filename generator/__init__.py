"""errorsdk: turn an API's error catalogue (a YAML spec) into a typed Python error SDK.

Pipeline, one module each::

    loader      YAML text -> plain data + source positions (safe, duplicate keys caught)
    spec        the spec format (pydantic models; source of spec.schema.json)
    validation  plain data -> Spec, every problem reported as a Diagnostic
    paths       the envelope path language: parse, compile to Python
    modeling    Spec -> ApiModel, the intermediate model templates render
                (``retrying``: the spec's retry section -> RetryModel)
    rendering   ApiModel -> {relative path: source text} through templates/
    formatting  black, in-process
    writing     atomic per-package swap into generated/, --check

Around the pipeline: ``building`` (reproducible wheel + sdist), ``publishing``
(twine, all or nothing), ``vendoring`` (copy under another package), ``spec_diff``
(classify changes, semver bump, generate's breaking-change guard).
"""

__version__ = "0.1.0"
