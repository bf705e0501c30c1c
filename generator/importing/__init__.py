"""Bootstrap a spec from what a team already has: an OpenAPI document, or recorded error responses.

openapi     OpenAPI 3.0 / 3.1 (YAML or JSON) -> a proposed spec
detail_schema  OpenAPI schema objects -> the spec's detail schemas (``detail_schema:``, ``schemas:``)
examples    recorded responses (HAR 1.2 or JSON Lines, read by recordings.py) -> a proposed spec
recordings  HAR 1.2 / JSON Lines -> Records, secrets redacted (also read by `errorsdk check`)
aws         AWS error shapes (Smithy or botocore) -> a proposed spec, the protocol's envelope
smithy      a Smithy JSON AST model -> AWS error shapes
botocore    a botocore service-2.json -> AWS error shapes
proto       protobuf enums of error codes/reasons -> a proposed spec (AIP-193 envelope)
modelfile   reading JSON models with file:line:col / JSON-pointer errors
yamlwriter  the proposed spec as commented YAML, deterministically
cli         ``errorsdk import openapi|examples|smithy|botocore|proto``
"""
