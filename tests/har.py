"""A HAR 1.2 recorder for httpx, as browser devtools and mitmproxy write them (tests only)."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import httpx


class HarRecorder:
    """``httpx.Client(event_hooks={"response": [recorder]})``; ``save(path)`` writes the HAR."""

    def __init__(self, base64_bodies: bool = False) -> None:
        self.entries: list[dict[str, Any]] = []
        self.base64_bodies = base64_bodies

    def __call__(self, response: httpx.Response) -> None:
        response.read()
        request = response.request
        body = response.content
        content: dict[str, Any] = {"size": len(body), "mimeType": response.headers.get("content-type", "")}
        if self.base64_bodies:
            content.update(text=base64.b64encode(body).decode("ascii"), encoding="base64")
        else:
            content["text"] = body.decode("utf-8", "replace")
        self.entries.append(
            {
                "startedDateTime": "2026-01-01T00:00:00.000Z",
                "time": 1,
                "request": {
                    "method": request.method,
                    "url": str(request.url),
                    "httpVersion": "HTTP/1.1",
                    "headers": [{"name": k, "value": v} for k, v in request.headers.items()],
                    "queryString": [],
                    "cookies": [],
                    "headersSize": -1,
                    "bodySize": 0,
                },
                "response": {
                    "status": response.status_code,
                    "statusText": response.reason_phrase,
                    "httpVersion": "HTTP/1.1",
                    "headers": [{"name": k, "value": v} for k, v in response.headers.items()],
                    "cookies": [],
                    "content": content,
                    "redirectURL": "",
                    "headersSize": -1,
                    "bodySize": len(body),
                },
                "cache": {},
                "timings": {"send": 0, "wait": 1, "receive": 0},
            }
        )

    def save(self, path: Path) -> None:
        har = {
            "log": {"version": "1.2", "creator": {"name": "errorsdk-tests", "version": "1"}, "entries": self.entries}
        }
        path.write_text(json.dumps(har, indent=2), "utf-8")
