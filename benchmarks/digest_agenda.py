"""Digest and agenda for 5,000 open orders: built in under 1 s, inside Block Kit limits.

Payloads are produced the way delivery produces them, through `bot.messages.renderers()` by kind,
and posted to the Slack stand-in, which rejects what Slack would reject. A kind whose renderer
is not registered yet is reported as pending (the digest content alone, `workflows.digest.build`,
is still timed then).

Each message is also built in both languages, English and Chinese (`bot.text.language`), and with
the catalogs switched off (gettext.NullTranslations: the same code returns each English msgid and
fills its placeholders, i.e. the words cost what they cost before there were catalogs). The three
are built in turn in every round (the order rotating), in the same run on the same data, and each
language's fastest build is compared with the fastest catalogs-off build (the least disturbed by
other work on the machine; medians are shown too): the catalogs may cost at most 10 % (issue 11).
"""

from __future__ import annotations

import gettext
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from slack_sdk.errors import SlackApiError

from benchmarks.common import PRODUCTION_A, SALES, Outcome, build_services, make_config, ms, start_standin
from benchmarks.seed import Loader
from workflows.review_schedule import review_in_window

NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # 09:00 in Asia/Shanghai: digest time
BAR = 1.0
REPEATS = 5
MAX_BLOCKS, MAX_TEXT = 50, 40_000
LANGUAGE_REPEATS = 11  # rounds of (catalogs off, en, zh_CN) per message
CATALOG_BAR = 1.10  # a language's fastest build at most 10 % over the catalogs-off one
WORDS_REPEATS = 200  # the digest's Block Kit alone takes about a millisecond
BASELINE = "catalogs off"
VARIANTS = (BASELINE, "en", "zh_CN")


@contextmanager
def _variant(name: str) -> Iterator[None]:
    """Build in one language, or (BASELINE) in English with every catalog lookup skipped."""
    import bot.text

    if name != BASELINE:
        with bot.text.language(name):
            yield
        return
    real = bot.text.translations
    bot.text.translations = lambda code: gettext.NullTranslations()  # noqa: ARG005
    try:
        with bot.text.language("en"):
            yield
    finally:
        bot.text.translations = real


def _payloads(config) -> dict[str, dict]:  # noqa: ANN001
    """Renderer kind -> the params delivery would pass (see workflows/digest.py and review.py)."""
    window = {
        "day": NOW.date().isoformat(),
        "since": (NOW - timedelta(days=1)).isoformat(),
        "until": NOW.isoformat(),
    }
    return {
        "digest": window,
        # the person is named "person" (as workflows.digest queues it; "user" in earlier drafts)
        "digest_dm": {**window, "person": PRODUCTION_A, "user": PRODUCTION_A, "teams": ["production"]},
        "digest_dm_sales": {**window, "person": SALES, "user": SALES, "teams": ["sales"]},
        "review_agenda": {"month": review_in_window(config, NOW)},
    }


def _time(fn, repeats: int) -> tuple[list[float], object]:  # noqa: ANN001
    spent, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = fn()
        spent.append(time.perf_counter() - started)
    return spent, result


def run(open_orders: int = 5_000, closed: int = 5_000, repeats: int = REPEATS) -> Outcome:
    from bot.messages import renderers
    from workflows import digest

    RENDERERS = renderers()  # noqa: N806
    out = Outcome("Digest and agenda")
    out.lines = [
        f"{open_orders:,} open orders (plus {closed:,} closed);"
        f" worst of {repeats} builds (the first is cold).",
        "",
        "| message | worst build | median | blocks | longest text | Slack stand-in |",
        "|---|---:|---:|---:|---:|---|",
    ]
    config = make_config()
    with tempfile.TemporaryDirectory() as tmp:
        standin = start_standin()
        svc = build_services(Path(tmp) / "digest.db", standin, config)
        try:
            loader = Loader()
            loader.closed_orders(closed, start=NOW)
            loader.open_orders(open_orders, now=NOW)
            loader.write(svc.engine)
            with svc.session() as session:
                spent, built = _time(
                    lambda: digest.build(session, config, NOW, window=(NOW - timedelta(days=1), NOW)), repeats
                )
            out.figures["digest.build"] = {"worst_s": max(spent), "median_s": statistics.median(spent)}
            out.lines.append(
                f"| digest content (`workflows.digest.build`) | {ms(max(spent))}"
                f" | {ms(statistics.median(spent))}"
                f" | – | – | {len(built.sections)} sections, {built.waiting:,} waiting |"
            )
            out.bar("digest content < 1 s", max(spent) < BAR, ms(max(spent)))
            for label, params in _payloads(config).items():
                kind = "digest_dm" if label.startswith("digest_dm") else label
                if kind not in RENDERERS:
                    out.lines.append(f"| {label} | pending | | | | renderer `{kind}` not registered yet |")
                    out.notes.append(f"`{kind}`: pending (no renderer registered in bot.messages yet).")
                    out.figures[label] = "pending"
                    continue
                out.figures[label] = _measure(out, svc, label, kind, params, repeats, RENDERERS[kind])
            _languages(out, svc, RENDERERS, max(repeats, LANGUAGE_REPEATS))
            _words_only(out, svc, repeats=WORDS_REPEATS)
        finally:
            standin.stop()
            svc.engine.dispose()
    return out


def _measure(out: Outcome, svc, label: str, kind: str, params: dict, repeats: int, renderer) -> dict:  # noqa: ANN001
    try:
        with svc.session() as session:
            spent, payload = _time(lambda: renderer(session, dict(params), svc.config, NOW), repeats)
    except Exception as exc:  # a renderer still being written may fail: report it, do not stop the run
        out.lines.append(f"| {label} | error | | | | {type(exc).__name__}: {str(exc)[:120]} |")
        out.bar(f"{label} builds", False, f"{type(exc).__name__}: {exc}")
        return {"error": repr(exc)}
    blocks = payload.get("blocks") or []
    text = max(
        [len(payload.get("text") or "")] + [len((b.get("text") or {}).get("text", "")) for b in blocks]
    )
    try:
        svc.client.chat_postMessage(channel="C0123ORDERS", text=payload["text"], blocks=blocks)
        verdict = "accepted"
    except SlackApiError as exc:
        verdict = f"rejected: {exc.response.get('error')} {exc.response.get('errors', '')}"[:200]
    out.lines.append(
        f"| {label} | {ms(max(spent))} | {ms(statistics.median(spent))} | {len(blocks)} | {text:,}"
        f" | {verdict} |"
    )
    out.bar(f"{label} < 1 s", max(spent) < BAR, ms(max(spent)))
    out.bar(f"{label} inside Block Kit limits", verdict == "accepted" and len(blocks) <= MAX_BLOCKS, verdict)
    return {
        "worst_s": max(spent),
        "median_s": statistics.median(spent),
        "blocks": len(blocks),
        "verdict": verdict,
    }


def _languages(out: Outcome, svc, renderers: dict, repeats: int) -> None:  # noqa: ANN001
    """Each message in every variant, interleaved round by round, and the catalogs' cost."""
    rows: dict[str, dict] = {}
    for label, params in _payloads(svc.config).items():
        kind = "digest_dm" if label.startswith("digest_dm") else label
        if kind in renderers:
            rows[label] = {"kind": kind, "params": params, "spent": {v: [] for v in VARIANTS}, "payload": {}}
    with svc.session() as session:
        for variant in VARIANTS:  # a cold build each (the catalog is read on first use), not timed
            with _variant(variant):
                for row in rows.values():
                    renderers[row["kind"]](session, dict(row["params"]), svc.config, NOW)
        for round_ in range(repeats):
            turn = VARIANTS[round_ % 3 :] + VARIANTS[: round_ % 3]  # no variant always first
            for row in rows.values():
                for variant in turn:
                    with _variant(variant):
                        started = time.perf_counter()
                        payload = renderers[row["kind"]](session, dict(row["params"]), svc.config, NOW)
                        row["spent"][variant].append(time.perf_counter() - started)
                    row["payload"][variant] = payload
    out.lines += [
        "",
        f"Each message in both languages and with the catalogs off (English msgids as written, no lookup),"
        f" built in turn, {repeats} rounds: fastest build (median in brackets).",
        "",
        "| message | catalogs off | en | zh_CN | en / off | zh_CN / off | zh_CN / en"
        " | zh_CN in Slack stand-in |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    figures: dict[str, dict] = {}
    for label, row in rows.items():
        median = {v: statistics.median(row["spent"][v]) for v in VARIANTS}
        best = {v: min(row["spent"][v]) for v in VARIANTS}
        ratio = {v: best[v] / best[BASELINE] for v in ("en", "zh_CN")}
        shown = {v: f"{ms(best[v])} ({ms(median[v])})" for v in VARIANTS}
        verdict = _post(svc, row["payload"]["zh_CN"])
        out.lines.append(
            f"| {label} | {shown[BASELINE]} | {shown['en']} | {shown['zh_CN']}"
            f" | {ratio['en']:.2f}x | {ratio['zh_CN']:.2f}x | {best['zh_CN'] / best['en']:.2f}x"
            f" | {verdict} |"
        )
        for variant in ("en", "zh_CN"):
            out.bar(
                f"{label} in {variant}: catalogs cost <= 10%",
                ratio[variant] <= CATALOG_BAR,
                f"{ms(best[variant])} vs {ms(best[BASELINE])} = {ratio[variant]:.2f}x",
            )
        blocks = len(row["payload"]["zh_CN"].get("blocks") or [])
        out.bar(
            f"{label} in zh_CN inside Block Kit limits",
            verdict == "accepted" and blocks <= MAX_BLOCKS,
            verdict,
        )
        figures[label] = {"best_s": best, "median_s": median, "ratio": ratio, "zh_CN_verdict": verdict}
    out.figures["languages"] = figures


def _post(svc, payload: dict) -> str:  # noqa: ANN001
    try:
        svc.client.chat_postMessage(
            channel="C0123ORDERS", text=payload["text"], blocks=payload.get("blocks") or []
        )
    except SlackApiError as exc:
        return f"rejected: {exc.response.get('error')} {exc.response.get('errors', '')}"[:200]
    return "accepted"


def _words_only(out: Outcome, svc, repeats: int) -> None:  # noqa: ANN001
    """The channel digest's Block Kit alone, from content built once (no database): what the words
    cost on their own, for information (delivery pays the whole renderer, compared above)."""
    from bot.digest import blocks
    from bot.digest.renderers import _links
    from workflows import digest

    with svc.session() as session:
        found = digest.build(session, svc.config, NOW, window=(NOW - timedelta(days=1), NOW))
        links = _links(session, found)
    spent: dict[str, list[float]] = {v: [] for v in VARIANTS}
    for round_ in range(repeats):
        for variant in VARIANTS[round_ % 3 :] + VARIANTS[: round_ % 3]:
            with _variant(variant):
                started = time.perf_counter()
                blocks.digest_message(found, links)
                spent[variant].append(time.perf_counter() - started)
    best = {v: min(spent[v]) for v in VARIANTS}
    out.figures["digest_words_only"] = {"best_s": best}
    out.lines += [
        "",
        f"The digest's Block Kit alone (content built once, {repeats} rounds, fastest): catalogs off"
        f" {ms(best[BASELINE])}, en {ms(best['en'])} ({best['en'] / best[BASELINE]:.2f}x),"
        f" zh_CN {ms(best['zh_CN'])} ({best['zh_CN'] / best[BASELINE]:.2f}x).",
    ]
