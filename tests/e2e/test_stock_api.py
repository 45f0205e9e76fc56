"""The ERP and warehouse API against the real server: tokens, idempotent pushes, bad rows, limits,
and every answer checked against the server's own OpenAPI document."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from datetime import UTC, date, datetime
from email.message import Message
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from storage import stock_repo
from storage.models import Order, OrderStatus
from storage.stock_models import ProductionOutput, Shipment, StockCount
from tests.conftest import make_config

TOKEN = "erp-secret-token-0123456789"
MATERIALS = [
    {"code": "ALLOY-A", "name": "Alloy A", "unit": "kg", "safety_stock": 1500, "per_unit": {"GBX-100": 2.5}}
]


@pytest.fixture
def config():  # noqa: ANN201
    return make_config(materials=MATERIALS)


@pytest.fixture
def token(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("ORDERLOOP_API_TOKEN", TOKEN)
    return TOKEN


class Answer:
    def __init__(self, status: int, headers: dict, body: bytes) -> None:
        self.status, self.headers, self.body = status, headers, body

    def json(self):  # noqa: ANN201
        return json.loads(self.body)


def call(
    bot,
    path: str,
    body: object = None,
    *,
    token: str | None = TOKEN,
    method: str = "POST",  # noqa: ANN001
    raw: bytes | None = None,
    content_type: str = "application/json",
) -> Answer:
    base = bot.slack.url.removesuffix("/slack/events")
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    headers = {"Content-Type": content_type}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as exc:
        return Answer(exc.code, exc.headers, exc.read())


# -- checking answers against the OpenAPI document -----------------------------------------------


def schema_problems(value: object, schema: dict, where: str = "body") -> list[str]:
    """What in `value` breaks `schema` (the subset of JSON Schema the document uses)."""
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds
    python = {
        "object": dict,
        "array": list,
        "string": str,
        "integer": int,
        "number": (int, float),
        "null": type(None),
        "boolean": bool,
    }
    if kinds and not any(
        isinstance(value, python[k]) and not (k in ("integer", "number") and isinstance(value, bool))
        for k in kinds
    ):
        return [f"{where} is {type(value).__name__}, not {kinds}"]
    problems = []
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where} = {value!r} is not one of {schema['enum']}")
    if isinstance(value, dict):
        problems += [f"{where}.{name} is missing" for name in schema.get("required", []) if name not in value]
        for name, sub in schema.get("properties", {}).items():
            if name in value:
                problems += schema_problems(value[name], sub, f"{where}.{name}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            problems += schema_problems(item, schema["items"], f"{where}[{index}]")
    return problems


def conformance(document: dict, path: str, method: str, answer: Answer) -> list[str]:
    operation = document["paths"].get(path, {}).get(method.lower())
    if operation is None:
        return [f"{method} {path} is not in the document"]
    documented = operation["responses"].get(str(answer.status))
    if documented is None:
        return [f"{method} {path} answered {answer.status}, not among {sorted(operation['responses'])}"]
    content = documented.get("content")
    if content is None:
        return []
    media = answer.headers.get("Content-Type", "").split(";")[0].strip()
    if media not in content:
        return [f"{method} {path} {answer.status} is {media}, not one of {sorted(content)}"]
    body = answer.json() if media == "application/json" else answer.body.decode()
    return schema_problems(body, content[media]["schema"])


@pytest.fixture
def api(bot, token):  # noqa: ANN001, ANN201
    """POST (or GET) to the API; every answer is checked against the server's OpenAPI document."""
    document = call(bot, "/api/v1/openapi.json", method="GET", token=None).json()

    def send(path: str, body: object = None, **kw: object) -> Answer:
        answer = call(bot, path, body, **kw)
        assert conformance(document, path, kw.get("method", "POST"), answer) == [], answer.body
        return answer

    return send


def rows_of(bot, model) -> int:  # noqa: ANN001
    with bot.svc.session() as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


# -- the API off, and tokens ---------------------------------------------------------------------


def test_the_api_is_off_while_no_token_is_set(bot, monkeypatch):  # noqa: ANN001
    monkeypatch.delenv("ORDERLOOP_API_TOKEN", raising=False)
    for path, method in (("/api/v1/stock", "POST"), ("/api/v1/openapi.json", "GET"), ("/api/v1/x", "GET")):
        assert call(bot, path, [], method=method).status == 404
    monkeypatch.setenv("ORDERLOOP_API_TOKEN", "")
    assert call(bot, "/api/v1/stock", [], token="").status == 404


def test_without_a_valid_token_it_answers_401_and_says_nothing_about_items(bot, api):  # noqa: ANN001
    known = [{"item": "ALLOY-A", "date": "2026-11-20", "quantity": 1}]
    unknown = [{"item": "NO-SUCH", "date": "2026-11-20", "quantity": -1}]
    answers = [
        api(path, rows, token=token)
        for path in ("/api/v1/stock", "/api/v1/output")
        for rows in (known, unknown)
        for token in (None, "wrong", TOKEN + "x", TOKEN[:-1], "")
    ]
    assert {a.status for a in answers} == {401}
    assert {a.body for a in answers} == {answers[0].body}  # the same words whatever the rows
    assert answers[0].headers["WWW-Authenticate"] == "Bearer"
    basic = call(bot, "/api/v1/stock", known, token=None)
    assert basic.status == 401
    assert rows_of(bot, StockCount) == 0


def test_the_scheme_must_be_bearer(bot, token):  # noqa: ANN001
    base = bot.slack.url.removesuffix("/slack/events")
    request = urllib.request.Request(
        base + "/api/v1/stock",
        data=b"[]",
        method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Basic {TOKEN}"},
    )
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=30)
    assert caught.value.code == 401


# -- saving --------------------------------------------------------------------------------------


def test_stock_counts_are_saved_and_the_same_push_twice_changes_nothing(bot, api):  # noqa: ANN001
    rows = [
        {"item": "ALLOY-A", "date": "2026-11-24", "quantity": 2050, "unit_cost": 31.5, "unit": "kg"},
        {"item": "GBX-100", "date": "2026-11-24", "quantity": 320},
    ]
    first = api("/api/v1/stock", rows)
    assert first.status == 200 and first.json() == {"received": 2, "saved": 2, "unchanged": 0}
    again = api("/api/v1/stock", rows)
    assert again.json() == {"received": 2, "saved": 0, "unchanged": 2}
    assert rows_of(bot, StockCount) == 2
    with bot.svc.session() as session:
        counts = stock_repo.counts(session)
        (count,) = stock_repo.count_history(session, "ALLOY-A", date(2026, 11, 24))
    assert counts == {
        "ALLOY-A": {date(2026, 11, 24): (2050, 31.5)},
        "GBX-100": {date(2026, 11, 24): (320, None)},
    }
    assert (count.source, count.recorded_by, count.recorded_at) == ("api", "api", bot.clock.now)


def test_a_later_count_for_the_same_day_replaces_it_and_the_history_keeps_both(bot, api):  # noqa: ANN001
    api("/api/v1/stock", [{"item": "ALLOY-A", "date": "2026-11-24", "quantity": 2050}])
    bot.clock.advance(hours=2)
    assert (
        api("/api/v1/stock", [{"item": "ALLOY-A", "date": "2026-11-24", "quantity": 1990}]).json()["saved"]
        == 1
    )
    with bot.svc.session() as session:
        assert stock_repo.counts(session)["ALLOY-A"] == {date(2026, 11, 24): (1990, None)}
        history = stock_repo.count_history(session, "ALLOY-A", date(2026, 11, 24))
        # a count typed in Slack later reads as the day's count; the API's is still in the history
        stock_repo.save_counts(
            session,
            [stock_repo_row("ALLOY-A", date(2026, 11, 24), 2000)],
            source="slack",
            who="U03",
            now=bot.clock.advance(hours=1),
        )
    assert [c.quantity for c in history] == [2050, 1990]
    assert history[1].recorded_at > history[0].recorded_at
    # the ERP pushing its last figure again changes nothing: the Slack count stays current
    assert (
        api("/api/v1/stock", [{"item": "ALLOY-A", "date": "2026-11-24", "quantity": 1990}]).json()["saved"]
        == 0
    )
    with bot.svc.session() as session:
        assert stock_repo.counts(session)["ALLOY-A"][date(2026, 11, 24)] == (2000, None)
        assert len(stock_repo.count_history(session, "ALLOY-A", date(2026, 11, 24))) == 3


def stock_repo_row(item: str, day: date, quantity: float):  # noqa: ANN201
    from workflows.stock_inputs import CountRow

    return CountRow(item, day, quantity)


def test_output_and_shipments_are_idempotent_and_a_new_figure_replaces_the_old(bot, api):  # noqa: ANN001
    rows = [
        {"line": "GBX-100", "date": "2026-11-12", "quantity": 500},
        {"line": "MTR-7", "date": "2026-11-12", "quantity": 80},
    ]
    for path, model in (("/api/v1/output", ProductionOutput), ("/api/v1/shipments", Shipment)):
        assert api(path, rows).json() == {"received": 2, "saved": 2, "unchanged": 0}
        assert api(path, rows).json() == {"received": 2, "saved": 0, "unchanged": 2}
        assert api(path, [{"line": "GBX-100", "date": "2026-11-12", "quantity": 450}]).json()["saved"] == 1
        assert rows_of(bot, model) == 2
    with bot.svc.session() as session:
        produced = stock_repo.output(session, date(2026, 11, 1), date(2026, 11, 30))
    assert produced == {"GBX-100": {date(2026, 11, 12): 450}, "MTR-7": {date(2026, 11, 12): 80}}


def test_delivered_custom_orders_count_as_shipments(bot, api):  # noqa: ANN001
    now = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    with bot.svc.session() as session:
        for status, delivered in ((OrderStatus.DELIVERED, date(2026, 11, 12)), (OrderStatus.COMMITTED, None)):
            session.add(
                Order(
                    customer="ACME",
                    product="GBX-100",
                    quantity=250,
                    requested_date=date(2026, 11, 10),
                    salesperson="U01",
                    status=status,
                    created_at=now,
                    updated_at=now,
                    delivered_date=delivered,
                )
            )
    api("/api/v1/shipments", [{"line": "GBX-100", "date": "2026-11-12", "quantity": 100}])
    with bot.svc.session() as session:
        shipped = stock_repo.shipments(session, date(2026, 11, 1), date(2026, 11, 30))
        assert stock_repo.shipments(session, date(2026, 11, 13), date(2026, 11, 30)) == {}
    assert shipped == {"GBX-100": {date(2026, 11, 12): 350}}  # 100 recorded + the delivered order's 250


# -- bad input -----------------------------------------------------------------------------------


def test_bad_rows_answer_422_with_every_error_and_save_nothing(bot, api):  # noqa: ANN001
    rows = [
        {"item": "ALLOY-A", "date": "2026-11-24", "quantity": 2050},  # good, but not saved either
        {"item": "ALLOY-A", "date": "2026-11-23", "quantity": -5},
        {"item": "NO-SUCH", "date": "2026-11-23", "quantity": 5},
        {"item": "ALLOY-A", "date": "2026-11-26", "quantity": 5},
        {"item": "ALLOY-A", "date": "1999-12-31", "quantity": 5},
        {"item": "ALLOY-A", "date": "2026-11-22", "quantity": "lots"},
        {"item": "ALLOY-A", "date": "2026-11-21", "quantity": 5, "unit": "pcs"},
    ]
    answer = api("/api/v1/stock", rows)
    assert answer.status == 422
    body = answer.json()
    assert body["error"] == "invalid_rows"
    assert [(e["index"], e["field"], e["code"]) for e in body["errors"]] == [
        (1, "quantity", "negative"),
        (2, "item", "unknown_item"),
        (3, "date", "future_date"),
        (4, "date", "before_2000"),
        (5, "quantity", "not_a_number"),
        (6, "unit", "unit_mismatch"),
    ]
    assert body["errors"][5]["message"] == "unit does not match the item's unit (kg)"
    assert body["errors"][5]["data"] == {"value": "pcs", "expected": "kg"}
    assert rows_of(bot, StockCount) == 0
    lines = api("/api/v1/output", [{"line": "ALLOY-A", "date": "2026-11-24", "quantity": 1.5}])
    assert [(e["index"], e["code"]) for e in lines.json()["errors"]] == [
        (0, "unknown_line"),
        (0, "not_whole"),
    ]
    assert rows_of(bot, ProductionOutput) == 0


def test_the_future_is_judged_in_the_factorys_time_zone(bot, api):  # noqa: ANN001
    bot.clock.now = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)  # already 01:00 on the 25th in Shanghai
    assert api("/api/v1/stock", [{"item": "ALLOY-A", "date": "2026-11-25", "quantity": 1}]).status == 200
    late = api("/api/v1/stock", [{"item": "ALLOY-A", "date": "2026-11-26", "quantity": 1}])
    assert late.json()["errors"][0]["data"] == {"value": "2026-11-26", "today": "2026-11-25"}


def test_a_body_that_is_not_an_array_of_json_is_400_and_not_json_415(bot, api):  # noqa: ANN001
    assert api("/api/v1/stock", raw=b"{not json").status == 400
    assert api("/api/v1/stock", raw=b"NaN").status == 400
    assert api("/api/v1/stock", {"item": "ALLOY-A"}).json()["error"] == "not_an_array"
    assert api("/api/v1/stock", raw=b"[]", content_type="text/csv").status == 415
    assert api("/api/v1/stock", []).json() == {"received": 0, "saved": 0, "unchanged": 0}


def raw_post(bot, path: str, head: bytes, body: bytes) -> Answer:  # noqa: ANN001
    """Send headers and a (perhaps partial) body on a socket; read the whole answer."""
    parts = urlsplit(bot.slack.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as conn:
        conn.sendall(
            b"POST "
            + path.encode()
            + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
            + head
            + b"\r\n"
            + body
        )
        received = b""
        while chunk := conn.recv(65536):
            received += chunk
    status_line, _, rest = received.partition(b"\r\n")
    header_text, _, content = rest.partition(b"\r\n\r\n")
    headers = Message()
    for line in header_text.decode().split("\r\n"):
        name, _, value = line.partition(":")
        headers[name.strip()] = value.strip()
    return Answer(int(status_line.split(b" ")[1]), headers, content)


def test_a_body_over_1_mb_is_413_and_saves_nothing(bot, api):  # noqa: ANN001
    document = call(bot, "/api/v1/openapi.json", method="GET", token=None).json()
    head = f"Authorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\n".encode()
    head += b"Content-Length: 1000001\r\n"
    answer = raw_post(bot, "/api/v1/stock", head, b"[" + b" " * 1000)  # refused before it is all sent
    assert answer.status == 413
    assert conformance(document, "/api/v1/stock", "POST", answer) == []
    assert rows_of(bot, StockCount) == 0
    # just under 1 MB is taken (the HTTP server refuses 1,000,000 bytes and more)
    rows = json.dumps([{"item": "ALLOY-A", "date": "2026-11-24", "quantity": 1}]).encode()
    assert api("/api/v1/stock", raw=rows + b" " * (999_999 - len(rows))).json()["saved"] == 1


def test_wrong_methods_and_unknown_paths(bot, api):  # noqa: ANN001
    answer = call(bot, "/api/v1/stock", method="GET")
    assert answer.status == 405 and answer.headers["Allow"] == "POST"
    assert call(bot, "/api/v1/stocks", []).status == 404
    assert call(bot, "/api/v1/openapi.json", [], method="POST").status == 405


# -- the document --------------------------------------------------------------------------------


def test_the_openapi_document_describes_the_three_endpoints(bot, token):  # noqa: ANN001
    answer = call(bot, "/api/v1/openapi.json", method="GET", token=None)
    document = answer.json()
    assert answer.status == 200 and document["openapi"].startswith("3.")
    for name in ("stock", "output", "shipments"):
        operation = document["paths"][f"/api/v1/{name}"]["post"]
        assert {"200", "401", "413", "422"} <= set(operation["responses"])
        row = operation["requestBody"]["content"]["application/json"]["schema"]["items"]
        assert set(row["required"]) == (
            {"item", "date", "quantity"} if name == "stock" else {"line", "date", "quantity"}
        )


def test_the_conformance_check_catches_an_answer_off_the_document(bot, token):  # noqa: ANN001
    document = call(bot, "/api/v1/openapi.json", method="GET", token=None).json()
    json_type = {"Content-Type": "application/json"}
    missing = Answer(200, json_type, b'{"received": 1, "saved": 1}')
    assert conformance(document, "/api/v1/stock", "POST", missing) == ["body.unchanged is missing"]
    assert conformance(document, "/api/v1/stock", "POST", Answer(418, json_type, b"{}")) != []
    wrong = Answer(422, json_type, b'{"error": "invalid_rows", "message": "", "errors": [{"index": "0"}]}')
    assert "body.errors[0] " not in " ".join(conformance(document, "/api/v1/stock", "POST", wrong))
    assert len(conformance(document, "/api/v1/stock", "POST", wrong)) == 5  # index a string, 4 fields missing


def test_the_same_push_at_the_same_moment_is_saved_once(bot, api):  # noqa: ANN001
    from concurrent.futures import ThreadPoolExecutor

    rows = [{"item": "ALLOY-A", "date": "2026-11-24", "quantity": n} for n in (2050,)] + [
        {"item": "GBX-100", "date": f"2026-11-{day:02d}", "quantity": day} for day in range(1, 21)
    ]
    lines = [{"line": "GBX-100", "date": f"2026-11-{day:02d}", "quantity": day} for day in range(1, 21)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        stock = list(pool.map(lambda _: api("/api/v1/stock", rows), range(4)))
        output = list(pool.map(lambda _: api("/api/v1/output", lines), range(4)))
    assert sorted(a.json()["saved"] for a in stock) == [0, 0, 0, 21]
    assert sorted(a.json()["saved"] for a in output) == [0, 0, 0, 20]
    assert rows_of(bot, StockCount) == 21 and rows_of(bot, ProductionOutput) == 20
