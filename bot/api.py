"""The ERP and warehouse API: POST /api/v1/stock, /api/v1/output, /api/v1/shipments.

Each takes a JSON array of rows and saves all of them or none. Authenticated with
`Authorization: Bearer <ORDERLOOP_API_TOKEN>` (compared in constant time); while that variable
is unset the API is off and every path under /api/v1/ answers 404. A caller without a valid
token gets 401 before anything is read, so it learns nothing about items. Answers are JSON in
English with stable codes (machines read them); GET /api/v1/openapi.json describes them all.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import logging
import os
from collections.abc import Callable, Iterable

from bot.services import Services
from storage import stock_repo
from storage.db import UNWRITABLE
from workflows.inventory import stock_items
from workflows.materials_config import line_codes
from workflows.stock_inputs import RowError, check_counts, check_lines

log = logging.getLogger(__name__)

PREFIX = "/api/v1/"
TOKEN_VARIABLE = "ORDERLOOP_API_TOKEN"
MAX_BODY_BYTES = 1_000_000
WHO = "api"  # recorded_by of what the API saves
ENDPOINTS = ("stock", "output", "shipments")


# The API answers machines in English; Slack words the same codes from the catalogs
# (bot/stock/refusals.py).
ENGLISH = {
    "not_an_object": "each row must be a JSON object",
    "unknown_field": "is not a known field",
    "required": "is required",
    "not_a_number": "must be a number",
    "not_whole": "must be a whole number of units",
    "negative": "must not be negative",
    "too_large": "is larger than {limit}",
    "not_a_date": 'must be a date like "2026-11-30"',
    "before_2000": "must not be before 2000-01-01",
    "future_date": "must not be after today ({today})",
    "unknown_item": "is not a known item code",
    "unknown_line": "is not a known line",
    "unit_mismatch": "does not match the item's unit ({expected})",
    "duplicate": "repeats the item or line and date of row {first}",
}


def english(error: RowError) -> str:
    text = ENGLISH.get(error.code, error.code)
    with contextlib.suppress(KeyError, IndexError):
        text = text.format(**error.data)
    return f"{error.field} {text}" if error.field else text


def handle(svc: Services, environ: dict, start_response: Callable) -> Iterable[bytes]:
    status, body, extra = _answer(svc, environ)
    headers = [("Content-Type", "application/json; charset=utf-8"), *extra]
    start_response(status, headers)
    return [json.dumps(body, ensure_ascii=False).encode()]


STATUS = {
    200: "200 OK",
    400: "400 Bad Request",
    401: "401 Unauthorized",
    404: "404 Not Found",
    405: "405 Method Not Allowed",
    413: "413 Payload Too Large",
    415: "415 Unsupported Media Type",
    422: "422 Unprocessable Content",
    503: "503 Service Unavailable",
}


def _problem(status: int, code: str, message: str, extra: list | None = None, **more: object):  # noqa: ANN202
    return STATUS[status], {"error": code, "message": message, **more}, extra or []


def _answer(svc: Services, environ: dict):  # noqa: ANN202
    token = os.environ.get(TOKEN_VARIABLE, "")
    path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
    name = path.removeprefix(PREFIX)
    if not token:
        return _problem(404, "not_found", "Not found.")
    if name == "openapi.json":
        if method != "GET":
            return _problem(405, "method_not_allowed", "Use GET.", [("Allow", "GET")])
        return STATUS[200], openapi(), []
    if name not in ENDPOINTS:
        return _problem(404, "not_found", "Not found.")
    if method != "POST":
        return _problem(405, "method_not_allowed", "Use POST.", [("Allow", "POST")])
    if not _authorised(environ.get("HTTP_AUTHORIZATION", ""), token):
        return _problem(
            401, "unauthorized", "A valid bearer token is required.", [("WWW-Authenticate", "Bearer")]
        )
    content_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        return _problem(415, "unsupported_media_type", "Send the rows as application/json.")
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return _problem(400, "bad_request", "Invalid Content-Length.")
    if length > MAX_BODY_BYTES:
        return _problem(413, "too_large", f"The body is larger than {MAX_BODY_BYTES} bytes.")
    raw = environ["wsgi.input"].read(length) if length else b""
    try:
        rows = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except (ValueError, RecursionError):
        return _problem(400, "invalid_json", "The body is not JSON.")
    if not isinstance(rows, list):
        return _problem(400, "not_an_array", "The body must be a JSON array of rows.")
    return _save(svc, name, rows)


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number")


def _authorised(header: str, token: str) -> bool:
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


def _save(svc: Services, name: str, rows: list):  # noqa: ANN202
    now = svc.clock()
    today = now.astimezone(svc.config.tz).date()
    items = stock_items(svc.config)
    if name == "stock":
        clean, errors = check_counts(rows, items, today=today)
        save = stock_repo.save_counts
    else:
        lines = set(line_codes(svc.config))
        clean, errors = check_lines(rows, [i for i in items if i.code in lines], today=today)
        save = stock_repo.save_output if name == "output" else stock_repo.save_shipments
    if errors:
        listed = [
            {"index": e.index, "field": e.field, "code": e.code, "data": e.data, "message": english(e)}
            for e in errors
        ]
        return _problem(422, "invalid_rows", "Some rows are invalid; nothing was saved.", errors=listed)
    try:
        with svc.session(settle_groups=False) as session:
            saved = save(session, clean, source=stock_repo.API, who=WHO, now=now)
    except UNWRITABLE as exc:
        log.error("the API could not save %s rows: %s", name, exc)
        return _problem(503, "unavailable", "The database cannot take the rows now; nothing was saved.")
    return STATUS[200], {"received": len(rows), "saved": saved, "unchanged": len(rows) - saved}, []


# -- the OpenAPI document ------------------------------------------------------------------------

_PROBLEM = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
}
_ROW_ERRORS = {
    "type": "object",
    "required": ["error", "message", "errors"],
    "properties": {
        "error": {"type": "string", "enum": ["invalid_rows"]},
        "message": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["index", "field", "code", "data", "message"],
                "properties": {
                    "index": {"type": "integer", "description": "the row's place in the array, from 0"},
                    "field": {"type": ["string", "null"]},
                    "code": {
                        "type": "string",
                        "enum": [
                            "not_an_object",
                            "unknown_field",
                            "required",
                            "not_a_number",
                            "not_whole",
                            "negative",
                            "too_large",
                            "not_a_date",
                            "before_2000",
                            "future_date",
                            "unknown_item",
                            "unknown_line",
                            "unit_mismatch",
                            "duplicate",
                        ],
                    },
                    "data": {"type": "object"},
                    "message": {"type": "string"},
                },
            },
        },
    },
}
_SAVED = {
    "type": "object",
    "required": ["received", "saved", "unchanged"],
    "properties": {
        "received": {"type": "integer"},
        "saved": {"type": "integer", "description": "rows that changed the record"},
        "unchanged": {"type": "integer", "description": "rows the record already held (a repeated push)"},
    },
}
_DATE = {"type": "string", "format": "date", "example": "2026-11-30"}
_STOCK_ROW = {
    "type": "object",
    "additionalProperties": False,
    "required": ["item", "date", "quantity"],
    "properties": {
        "item": {"type": "string", "example": "ALLOY-A"},
        "date": _DATE,
        "quantity": {"type": "number", "minimum": 0, "example": 2050},
        "unit": {"type": "string", "description": "checked against the item's unit when given"},
        "unit_cost": {"type": "number", "minimum": 0},
    },
}
_LINE_ROW = {
    "type": "object",
    "additionalProperties": False,
    "required": ["line", "date", "quantity"],
    "properties": {
        "line": {"type": "string", "example": "GBX-100"},
        "date": _DATE,
        "quantity": {"type": "integer", "minimum": 0, "example": 500},
        "unit": {"type": "string"},
    },
}


def _operation(summary: str, row: dict) -> dict:
    def problem(text: str) -> dict:
        return {"description": text, "content": {"application/json": {"schema": _PROBLEM}}}

    return {
        "post": {
            "summary": summary,
            "security": [{"bearer": []}],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"type": "array", "items": row}}},
            },
            "responses": {
                "200": {
                    "description": "Every row saved (idempotent by item or line, date and source)",
                    "content": {"application/json": {"schema": _SAVED}},
                },
                "400": problem("The body is not a JSON array"),
                "401": problem("No valid bearer token"),
                # the HTTP server refuses a body over the limit before the API reads it, in plain text
                "413": {
                    "description": f"The body is over {MAX_BODY_BYTES} bytes",
                    "content": {
                        "text/plain": {"schema": {"type": "string"}},
                        "application/json": {"schema": _PROBLEM},
                    },
                },
                "415": problem("The body is not application/json"),
                "422": {
                    "description": "Some rows are invalid; nothing was saved",
                    "content": {"application/json": {"schema": _ROW_ERRORS}},
                },
                "503": problem("The database cannot take the rows now; nothing was saved"),
            },
        }
    }


def openapi() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "OrderLoop stock API", "version": "1"},
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "paths": {
            "/api/v1/stock": _operation(
                "Stock counts: an item's quantity on hand as of a date (a later count replaces it)",
                _STOCK_ROW,
            ),
            "/api/v1/output": _operation("Production output: units of a line produced on a date", _LINE_ROW),
            "/api/v1/shipments": _operation(
                "Shipments (standard orders): units of a line shipped on a date", _LINE_ROW
            ),
            "/api/v1/openapi.json": {
                "get": {
                    "summary": "This document",
                    "responses": {"200": {"description": "The OpenAPI document"}},
                }
            },
        },
    }
