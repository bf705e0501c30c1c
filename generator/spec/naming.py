"""Python names derived from spec text: deterministic, sanitised, collision-checked."""

from __future__ import annotations

import builtins
import keyword
import re
import sys
import unicodedata

from .taxonomy import CATEGORIES

_WORD = re.compile(r"[A-Za-z0-9]+")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# Module-level names of every generated package (besides the classes themselves).
PACKAGE_NAMES: frozenset[str] = frozenset(
    {
        # typed details (_detail.py, _base.py) and the header cleaning type
        "Callable",
        "CleanHeaders",
        "DetailCheck",
        "MAX_DEPTH",
        "BaseModel",
        "DetailMismatch",
        "DetailParser",
        "TypeAdapter",
        "from_response",
        "raise_for_response",
        "ErrorCode",
        "CODES",
        "ERROR_CLASSES",
        "JSONValue",
        "HeadersLike",
        "Error",
        "SPEC_SHA256",
        "GENERATOR_VERSION",
        "errors",
        # the runtime's _core.py (the base of the base class, to_response()) and the
        # _envelope settings it and _json read
        "BODY_WRITERS",
        "CATEGORY_STATUS",
        "CODE_PREFIX",
        "DEFAULT_STATUS",
        "ErrorCore",
        "HEADER_WRITERS",
        "ITEMS_AT",
        "ITEM_WRITERS",
        "MARKS",
        "ORJSON",
        "SECRET_SQUASHED",
        "Step",
        "CONTENT_TYPE",
        # the runtime's server.py (handlers), _events.py (event streams), and the _spec settings they read
        "ASGIMiddleware",
        "AsyncHttpxStream",
        "AsyncIterable",
        "AsyncIterator",
        "DjangoMiddleware",
        "ERROR_EVENTS",
        "DATA_AT",
        "EVENT_DATA_AT",
        "EVENT_WHEN",
        "is_error_event",
        "WHEN",
        "Event",
        "EventParser",
        "HTTPStatus",
        "Headers",
        "HttpxStream",
        "Iterator",
        "MAX_BYTES",
        "MAX_DATA",
        "MAX_LINE",
        "MutableMapping",
        "PROBLEM_JSON",
        "REQUEST_ID_HEADER",
        "RULE_HEADERS",
        "Receive",
        "Scope",
        "Send",
        "StartResponse",
        "WSGIMiddleware",
        # the runtime's _observe.py (tracebacks, logs, traces)
        "Observed",
        "FieldValue",
        # the runtime's _spec.py / _retry.py names (missed when they moved into the runtime)
        "APIError",
        "UTC",
        "WATCHED_HEADERS",
        # module-level names of the package's modules: an error class must not shadow them
        "Any",
        "BY_CODE",
        "BY_STATUS",
        "BY_STATUS_CODE",
        "BY_SUB_CODE",  # issue 18 sections 2 and 3: sub-codes and types
        "BY_TYPE",
        "CATEGORY_BY_STATUS",
        "ClassVar",
        "Iterable",
        "KNOWN_STATUSES",
        "Literal",
        "Mapping",
        "NO_CODE",
        "NamedTuple",
        "Never",
        "READ_HEADERS",
        "REDACTED",
        "RULES",
        "Rule",
        "SECRET_HEADERS",
        "SECRET_MARKERS",
        "TYPE_CHECKING",
        "TypeAlias",
        "Generic",
        "Self",  # errors.py's group class (packages with `items`), with the two below
        "Sequence",
        "TypeVar",
        "UNKNOWN_CODE",
        "UNKNOWN_STATUS",
        "Union",
        "UrlLike",
        # the retry and client-hook modules
        "AFTER_HEADERS",
        "AiohttpResponse",
        "AsyncHttpxResponse",
        "Awaitable",
        "ERRORS_IN_SUCCESS",
        "HttpxResponse",
        "INITIAL_DELAY",
        "LIMIT_HEADER",
        "MAX_DELAY",
        "MAX_RETRY_AFTER",
        "Protocol",
        "REMAINING_HEADER",
        "RESET_HEADER",
        "RateLimit",
        "RequestsResponse",
        "SHOULD_RETRY_HEADER",
        "UrllibHTTPError",
    }
)
BUILTIN_NAMES: frozenset[str] = frozenset(dir(builtins))
CATEGORY_CLASS_NAMES: frozenset[str] = frozenset(c.class_name for c in CATEGORIES)


# Standard-library modules on any CPython errorsdk supports, so that a spec is valid on
# all or on none: this Python's list, plus those removed since 3.11 and added after it.
_STDLIB_REMOVED = frozenset(
    "aifc asynchat asyncore audioop cgi cgitb chunk crypt distutils imghdr imp lib2to3 mailcap msilib"
    " nis nntplib ossaudiodev pipes smtpd sndhdr spwd sunau telnetlib uu xdrlib".split()
)
_STDLIB_ADDED = frozenset(
    "annotationlib compression _android_support _apple_support _colorize _hmac _interpchannels"
    " _interpqueues _interpreters _ios_support _pydatetime _pylong _pyrepl _remote_debugging"
    " _suggestions _sysconfig _wmi _zstd".split()
)
STDLIB_MODULES: frozenset[str] = frozenset(sys.stdlib_module_names) | _STDLIB_REMOVED | _STDLIB_ADDED | {"test"}
# Imported by name at startup (site) or by a generated package that needs them.
_STARTUP_MODULES = frozenset({"sitecustomize", "usercustomize"})
_DEPENDENCIES = frozenset({"pydantic", "pydantic_core", "orjson", "typing_extensions"})


def package_taken_reason(name: str) -> str | None:
    """Why ``name`` (lower case, digits, underscores) may not name a generated package."""
    if keyword.iskeyword(name):
        return f"is a Python keyword: `import {name}` cannot be written"
    if name.startswith("__"):
        return "is a name Python reserves (__main__, __pycache__, ...)"
    if name in STDLIB_MODULES:
        return f"shadows the standard library's {name!r} for every program that imports the package"
    if name in _STARTUP_MODULES:
        return "is a module Python imports at startup"
    if name in _DEPENDENCIES:
        return "shadows a package a generated package may import"
    return None


def ascii_words(text: str) -> list[str]:
    """The ASCII alphanumeric words of ``text`` (accents folded, other letters dropped)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _WORD.findall(folded)


def pascal(text: str) -> str:
    """``invalid_access_token`` -> ``InvalidAccessToken``; ``NoSuchKey`` stays."""
    parts = []
    for word in ascii_words(text):
        if word.isupper() or word.islower():
            word = word.capitalize()
        parts.append(word[0].upper() + word[1:])
    return "".join(parts)


def error_class_name(text: str) -> str:
    """The class name a code or error name derives: PascalCase + ``Error``."""
    name = pascal(text)
    if not name:
        return ""
    return name if name.endswith("Error") else name + "Error"


def is_identifier(name: str) -> bool:
    return bool(_IDENTIFIER.match(name)) and not keyword.iskeyword(name)


def taken_reason(name: str, prefix: str) -> str | None:
    """Why ``name`` may not name an error class of a package with base ``<prefix>Error``."""
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return "is a Python keyword"
    if name in BUILTIN_NAMES:
        return "shadows a Python builtin"
    if name in CATEGORY_CLASS_NAMES:
        return "is a taxonomy class of every generated package"
    if name in PACKAGE_NAMES or name in (f"{prefix}Error", f"{prefix}ErrorGroup"):
        return "is a name the generated package already defines"
    return None
