"""stripe-python -> two specs, read from its source with ``ast`` (nothing of stripe is run).

- ``stripe``: the v1 error codes, the ``Literal`` of ``PaymentIntent.LastPaymentError.code``
  in ``stripe/_payment_intent.py`` (the API's error object, the list the docs' error-codes
  page has). The body is ``{"error": {"code", "message", "type", "param", "doc_url"}}``;
  stripe-python reads no status per code (a code comes with 400 or 402), so each entry is
  ``bad_request`` with its doc URL. The error types stripe-python maps by status
  (``specific_v1_api_error``) are the code-less entries.
- ``stripe_v2``: the v2 error types of ``specific_v2_api_error`` in
  ``stripe/_api_requestor.py`` (``elif type == "...":``), read from ``error.type``.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import stripe

SOURCE = Path(stripe.__file__).parent


def _literals(node: ast.AST) -> list[str]:
    return [n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def v1_codes() -> list[str]:
    tree = ast.parse((SOURCE / "_payment_intent.py").read_text("utf-8"))
    for cls in ast.walk(tree):
        if isinstance(cls, ast.ClassDef) and cls.name == "LastPaymentError":
            for stmt in cls.body:
                if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and stmt.target.id == "code":
                    return _literals(stmt.annotation)
    raise LookupError("PaymentIntent.LastPaymentError.code not found")


def v2_types() -> list[str]:
    tree = ast.parse((SOURCE / "_api_requestor.py").read_text("utf-8"))
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef) and fn.name == "specific_v2_api_error":
            found: list[str] = []
            for node in ast.walk(fn):
                if (
                    isinstance(node, ast.Compare)
                    and isinstance(node.left, ast.Name)
                    and node.left.id == "type"
                    and isinstance(node.comparators[0], ast.Constant)
                ):
                    found.append(str(node.comparators[0].value))
            return found
    raise LookupError("specific_v2_api_error not found")


def sentence(code: str) -> str:
    return code.replace("_", " ").capitalize()


def v1_spec() -> dict[str, Any]:
    errors: list[dict[str, Any]] = [
        {
            "code": code,
            "category": "bad_request",
            "message": sentence(code),
            "docs_url": f"https://docs.stripe.com/error-codes/{code.replace('_', '-')}",
        }
        for code in v1_codes()
    ]
    # specific_v1_api_error: what a response without a known code becomes, by status.
    errors += [
        {"name": "invalid_request_error", "status": 400, "message": "Invalid request"},
        {"name": "authentication_error", "status": 401, "message": "Invalid API key"},
        {"name": "card_error", "status": 402, "message": "Card error"},
        {"name": "permission_error", "status": 403, "message": "Permission denied"},
        {"name": "not_found_error", "status": 404, "message": "No such resource"},
        {"name": "too_many_requests", "status": 429, "message": "Too many requests"},
    ]
    return {
        "errorsdk": 1,
        "api": {
            "name": "stripe",
            "version": "1.0.0",
            "title": "Stripe API (v1)",
            "docs_url": "https://docs.stripe.com/error-codes",
        },
        "envelope": {
            "code": "error.code",
            "message": "error.message",
            "detail": "error",
            "request_id": "header:request-id",
        },
        "errors": errors,
    }


def v2_spec() -> dict[str, Any]:
    errors = [{"code": t, "category": "bad_request", "message": sentence(t)} for t in v2_types()]
    return {
        "errorsdk": 1,
        "api": {
            "name": "stripe_v2",
            "version": "1.0.0",
            "title": "Stripe API (v2)",
            "docs_url": "https://docs.stripe.com/api-v2-overview",
        },
        "envelope": {
            "code": "error.type",
            "message": "error.message",
            "detail": "error",
            "request_id": "header:request-id",
        },
        "errors": errors,
    }
