"""Bootstrap a spec from what a team already has: an OpenAPI document, or recorded error responses.

openapi     OpenAPI 3.0 / 3.1 (YAML or JSON) -> a proposed spec
detail_schema  OpenAPI schema objects -> the spec's detail schemas (``detail_schema:``, ``schemas:``)
examples    JSON Lines of recorded responses (status, headers, body) -> a proposed spec
yamlwriter  the proposed spec as commented YAML, deterministically
cli         ``errorsdk import openapi|examples``
"""
