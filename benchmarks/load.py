"""Load on the real Slack HTTP endpoint: ``python -m benchmarks.load [--concurrency 50,150]``.

A child process runs Kindred as ``kindred run --platform slack`` would (real model, sample catalog, SQLite,
the aiohttp route, bolt, signature checks); this process plays Slack: it fires N signed ``/ask`` commands at
once and serves the Web API and the ``response_url`` endpoints (a local fake). For each request it records
the **ack** (the HTTP answer Slack waits at most 3 s for) and the **answer** (the suggestions arriving at the
``response_url``). The child also times ``/ask`` in-process on the same questions, so the answer time is
reported as a ratio to it — absolute times move between hosts, ratios much less.

Per stage (the child records when each request's core call started and ended, and every model call, on the
same monotonic clock): **wait** for a core thread, **core** (the /ask handler, its batched embedding
included), **deliver** (from the core's end to the suggestions arriving), and the model calls' batch sizes.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import aiohttp
from slack_sdk.signature import SignatureVerifier

from tests.platforms.slack.fake_slack import FakeSlack

SECRET = "bench-signing-secret-0123456789"
QUESTIONS = (
    "How do I teach equivalent fractions hands-on to 4th graders?",
    "Ideas for a photosynthesis lab for 7th grade?",
    "My 10th graders keep failing stoichiometry, any ideas?",
    "How do you run reading conferences with 3rd graders?",
    "Any tips for classroom management during transitions?",
    "What's a good exit ticket for a lesson on ratios?",
)
TARGETS = {"ack_p99_s": 0.5, "ack_max_s": 3.0, "answer_p99_s": 5.0}
STATS_PATH = "/bench/stats"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(  # type: ignore[type-arg]
    port: int,
    stats_port: int,
    workers: tuple[int, int],
    api_url: str,
    folder: str,
    ready: multiprocessing.Queue,
    model: str | None,
    profile: bool,
) -> None:
    """One Kindred worker process: prepare, time /ask in-process (worker 0), then serve HTTP until
    killed: /slack/events on the shared port (SO_REUSEPORT when several), its stats on its own port."""
    from aiohttp import web

    from bot.bootstrap import bootstrap, prepare
    from bot.domain.events import Actor, Command
    from bot.logging_setup import configure_logging
    from bot.platforms.slack.app_factory import build_bolt_app
    from bot.platforms.slack.runner import build_web_app
    from bot.settings import load_settings

    configure_logging("WARNING")
    settings = load_settings(
        KINDRED_DATA_DIR=Path(folder) / "data",
        KINDRED_DATABASE_URL=f"sqlite:///{Path(folder) / 'kindred.db'}",
        SLACK_BOT_TOKEN="xoxb-bench",
        SLACK_SIGNING_SECRET=SECRET,
        KINDRED_WORKER=workers[0],
        KINDRED_WORKERS=workers[1],
        **({"KINDRED_MODEL": model} if model else {}),
    )
    app = prepare(bootstrap(settings), ["slack"])
    stages, model_calls = _instrument(app)
    actor = Actor("slack", "UINPROC01", "In Process", workspace_id="T1")
    timings = [0.0]
    for question in QUESTIONS * 3 if workers[0] == 0 else ():
        started = time.perf_counter()
        app.kindred.handle_command(Command(actor, "ask", question, channel_id="CGENERAL01"))
        timings.append(time.perf_counter() - started)
    stages.clear()
    model_calls.clear()
    cpu = [time.process_time()]
    sampler = _Sampler() if profile else None

    async def stats(_: web.Request) -> web.Response:
        now = time.process_time()
        body = {
            "stages": dict(stages),
            "model_calls": list(model_calls),
            "cpu_s": now - cpu[0],
            "profile": sampler.take() if sampler else [],
        }
        cpu[0] = now
        stages.clear()
        model_calls.clear()
        return web.json_response(body)

    web_app = build_web_app(build_bolt_app(app, base_url=api_url), app)
    stats_app = web.Application()
    stats_app.router.add_get(STATS_PATH, stats)

    async def serve() -> None:
        for one, bind, shared in ((web_app, port, workers[1] > 1), (stats_app, stats_port, False)):
            runner = web.AppRunner(one, access_log=None)
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", bind, reuse_port=shared or None).start()
        ready.put(statistics.median(timings))
        await asyncio.Event().wait()

    asyncio.run(serve())


class _Sampler:
    """A small sampling profiler over every thread of the child (py-spy is not installed here): every
    5 ms, the function on top of each busy thread's stack (self) and every function on it (total)."""

    IDLE = frozenset({"wait", "select", "poll", "_worker", "get", "acquire", "_wait_for_tstate_lock"})

    def __init__(self, interval: float = 0.005) -> None:
        import collections
        import threading

        self.interval = interval
        self.self_counts: collections.Counter[str] = collections.Counter()
        self.total_counts: collections.Counter[str] = collections.Counter()
        self.samples = 0
        self._me = threading.get_ident()
        threading.Thread(target=self._loop, name="sampler", daemon=True).start()

    def _loop(self) -> None:
        while True:
            time.sleep(self.interval)
            for ident, frame in sys._current_frames().items():
                if ident == self._me or frame.f_code.co_name in self.IDLE:
                    continue
                self.samples += 1
                self.self_counts[self._name(frame)] += 1
                seen = set()
                while frame is not None:
                    seen.add(self._name(frame))
                    frame = frame.f_back  # type: ignore[assignment]
                for name in seen:
                    self.total_counts[name] += 1

    @staticmethod
    def _name(frame) -> str:  # type: ignore[no-untyped-def]
        code = frame.f_code
        path = code.co_filename
        for marker in ("site-packages/", "/load/", "lib/python3.11/"):
            if marker in path:
                path = path.split(marker, 1)[1]
        return f"{path}:{code.co_name}"

    def take(self) -> list[tuple[str, int, int]]:
        rows = [(name, self.self_counts[name], total) for name, total in self.total_counts.most_common(60)]
        rows += [(n, c, self.total_counts[n]) for n, c in self.self_counts.most_common(30)]
        self.self_counts.clear()
        self.total_counts.clear()
        return rows


def _instrument(app) -> tuple[dict[str, tuple[float, float]], list[tuple[float, float, int]]]:  # type: ignore[no-untyped-def]
    """Record each /ask's core call (by asker) and each model call (start, end, texts) in the child."""
    stages: dict[str, tuple[float, float]] = {}
    model_calls: list[tuple[float, float, int]] = []
    handle = app.kindred.handle_command

    def timed_command(command):  # type: ignore[no-untyped-def]
        started = time.monotonic()
        try:
            return handle(command)
        finally:
            stages[command.actor.user_id] = (started, time.monotonic())

    app.kindred.handle_command = timed_command
    model = getattr(app.embedder, "inner", app.embedder)  # the model behind the batching embedder
    encode = model.embed

    def timed_embed(texts):  # type: ignore[no-untyped-def]
        started = time.monotonic()
        try:
            return encode(texts)
        finally:
            model_calls.append((started, time.monotonic(), len(texts)))

    model.embed = timed_embed
    return stages, model_calls


def _signed(body: str) -> dict[str, str]:
    timestamp = str(int(time.time()))
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": SignatureVerifier(SECRET).generate_signature(timestamp=timestamp, body=body),
    }


async def _one(
    session: aiohttp.ClientSession, url: str, fake: FakeSlack, n: int
) -> tuple[str, float, float, float]:
    """(asker, sent at, ack seconds, answer seconds)."""
    token = f"load{n}"
    body = urlencode(
        {
            "team_id": "T1",
            "channel_id": "CGENERAL01",
            "user_id": _user(n),
            "command": "/ask",
            "text": QUESTIONS[n % len(QUESTIONS)],
            "response_url": fake.response_url(token),
            "trigger_id": f"{n}.1",
        }
    )
    started = time.monotonic()
    async with session.post(url, data=body.encode(), headers=_signed(body)) as response:
        await response.read()
        if response.status != 200:
            raise RuntimeError(f"/ask answered {response.status}")
    ack = time.monotonic() - started
    try:
        answered_at = await asyncio.wait_for(fake.answer(token), started + 60 - time.monotonic())
    except TimeoutError:
        raise RuntimeError(f"no answer for request {n} within 60 s") from None
    return _user(n), started, ack, answered_at - started


def _user(n: int) -> str:
    return f"ULOAD{n:05d}"


class _TokenFake(FakeSlack):
    """The fake Web API, telling each waiting request when suggestions reached its response_url token
    (waiters on futures: a poll over every call recorded so far would cost this process the CPU the
    measured one needs)."""

    def __init__(self) -> None:
        super().__init__()
        self._answers: dict[str, asyncio.Future[float]] = {}

    def answer(self, token: str) -> asyncio.Future[float]:
        """When suggestions (blocks) first reached ``token``'s response_url (monotonic seconds)."""
        return self._answers.setdefault(token, asyncio.get_running_loop().create_future())

    async def _response_url(self, request):  # type: ignore[no-untyped-def]
        from aiohttp import web

        from tests.platforms.slack.fake_slack import Call

        call = Call(f"response_url:{request.match_info['token']}", await self._params(request))
        self.calls.append(call)
        waiter = self.answer(request.match_info["token"])
        if "blocks" in call.params and not waiter.done():
            waiter.set_result(call.at)
        return web.Response(text="ok")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _round(
    url: str, stats_urls: list[str], fake: FakeSlack, concurrency: int, offset: int
) -> dict[str, float]:
    connector = aiohttp.TCPConnector(limit=concurrency)
    client_cpu = time.process_time()
    async with aiohttp.ClientSession(connector=connector) as session:
        results = await asyncio.gather(*(_one(session, url, fake, offset + i) for i in range(concurrency)))
        stats: dict = {"stages": {}, "model_calls": [], "cpu_s": 0.0, "profile": []}  # type: ignore[type-arg]
        for stats_url in stats_urls:  # every worker's, merged
            async with session.get(stats_url) as response:
                one = await response.json()
            stats["stages"].update(one["stages"])
            stats["model_calls"] += one["model_calls"]
            stats["cpu_s"] += one["cpu_s"]
            stats["profile"] += one["profile"]
    acks = [ack for _, _, ack, _ in results]
    answers = [answer for _, _, _, answer in results]
    waits, cores, delivers = [], [], []
    for user, sent, _, answer in results:
        core_start, core_end = stats["stages"][user]
        waits.append(core_start - sent)
        cores.append(core_end - core_start)
        delivers.append(sent + answer - core_end)
    calls = stats["model_calls"]
    for name, own, total in stats["profile"]:
        print(f"  profile {concurrency:>4}: total {total:>6} self {own:>6}  {name}")
    sizes = [n for _, _, n in calls]
    return {
        "ack_p50_s": _pct(acks, 0.5),
        "ack_p99_s": _pct(acks, 0.99),
        "ack_max_s": max(acks),
        "answer_p50_s": _pct(answers, 0.5),
        "answer_p99_s": _pct(answers, 0.99),
        "wait_p50_s": _pct(waits, 0.5),
        "wait_p99_s": _pct(waits, 0.99),
        "core_p50_s": _pct(cores, 0.5),
        "core_p99_s": _pct(cores, 0.99),
        "deliver_p50_s": _pct(delivers, 0.5),
        "deliver_p99_s": _pct(delivers, 0.99),
        "model_calls": len(calls),
        "batch_mean": statistics.mean(sizes) if sizes else 0.0,
        "batch_max": max(sizes, default=0),
        "model_call_p50_s": _pct([end - start for start, end, _ in calls], 0.5) if calls else 0.0,
        "model_busy_s": sum(end - start for start, end, _ in calls),
        "cpu_per_answer_s": stats["cpu_s"] / concurrency,
        "client_cpu_per_answer_s": (time.process_time() - client_cpu) / concurrency,
        "answers_per_s": concurrency / max(answers),
    }


def _stage_line(workers: int, level: int, r: dict[str, float]) -> str:
    return (
        f"{workers:>7} {level:>10}  wait for core p50/p99 {r['wait_p50_s']:.2f}/{r['wait_p99_s']:.2f} s · "
        f"core {r['core_p50_s']:.2f}/{r['core_p99_s']:.2f} s · "
        f"deliver {r['deliver_p50_s']:.3f}/{r['deliver_p99_s']:.3f} s · "
        f"model: {r['model_calls']:.0f} calls for {level} questions (batch mean {r['batch_mean']:.1f}, "
        f"max {r['batch_max']:.0f}, p50 {r['model_call_p50_s'] * 1000:.0f} ms, "
        f"busy {r['model_busy_s']:.1f} s) · {r['answers_per_s']:.1f} answers/s, "
        f"{r['cpu_per_answer_s'] * 1000:.0f} ms CPU per answer (this Slack-playing process: "
        f"{r['client_cpu_per_answer_s'] * 1000:.0f} ms)"
    )


async def _main(
    levels: list[int], worker_counts: list[int], model: str | None = None, profile: bool = False
) -> int:
    fake = _TokenFake()
    await fake.start()
    failed = False
    stages: list[tuple[int, int, dict[str, float]]] = []
    try:
        for workers in worker_counts:
            failed |= await _with_workers(fake, workers, levels, model, profile, stages)
        print("per stage (request sent -> core thread starts -> core ends -> suggestions arrive):")
        for workers, level, r in stages:
            print(_stage_line(workers, level, r))
        print("targets: " + ", ".join(f"{k} ≤ {v}" for k, v in TARGETS.items()))
    finally:
        await fake.stop()
    return 1 if failed else 0


async def _with_workers(
    fake: FakeSlack,
    workers: int,
    levels: list[int],
    model: str | None,
    profile: bool,
    stages: list[tuple[int, int, dict[str, float]]],
) -> bool:
    """Start ``workers`` processes on one port (worker 0 first: it seeds the catalog), run each level."""
    port = _free_port()
    stats_ports = [_free_port() for _ in range(workers)]
    context = multiprocessing.get_context("spawn")
    ready = context.Queue()
    loop = asyncio.get_running_loop()
    servers = []
    failed = False
    in_process = 0.0
    base = 100_000 * workers  # one fake for every run: its response_url tokens never repeat
    with tempfile.TemporaryDirectory() as folder:
        try:
            for n in range(workers):
                args = (port, stats_ports[n], (n, workers), fake.base_url, folder, ready, model, profile)
                servers.append(context.Process(target=_serve, args=args, daemon=True))
                servers[-1].start()
                timed = await loop.run_in_executor(None, ready.get, True, 300)
                in_process = timed if n == 0 else in_process  # only worker 0 times it
            url = f"http://127.0.0.1:{port}/slack/events"
            stats_urls = [f"http://127.0.0.1:{p}{STATS_PATH}" for p in stats_ports]
            await _round(url, stats_urls, fake, 5 * workers, base)  # warm-up: caches, first-request costs
            print(f"{workers} worker(s): in-process /ask p50: {in_process * 1000:.1f} ms")
            columns = ("ack p50", "ack p99", "ack max", "ans p50", "ans p99")
            print(
                f"{'workers':>7} {'concurrent':>10} "
                + " ".join(f"{c:>8}" for c in columns)
                + f" {'p99/in-proc':>11} {'answers/s':>9} {'CPU/answer':>10}"
            )
            for i, level in enumerate(levels):
                r = await _round(url, stats_urls, fake, level, base + 1000 * (i + 1))
                ratio = r["answer_p99_s"] / in_process
                misses = [k for k, limit in TARGETS.items() if r[k] > limit]
                failed |= bool(misses)
                print(
                    f"{workers:>7} {level:>10} {r['ack_p50_s']:>7.3f}s {r['ack_p99_s']:>7.3f}s "
                    f"{r['ack_max_s']:>7.3f}s {r['answer_p50_s']:>7.2f}s {r['answer_p99_s']:>7.2f}s "
                    f"{ratio:>10.1f}× {r['answers_per_s']:>9.1f} {r['cpu_per_answer_s'] * 1000:>8.0f}ms"
                    + (f"  over target: {', '.join(misses)}" if misses else "")
                )
                stages.append((workers, level, r))
        finally:
            for server in servers:
                server.kill()
                server.join()
    return failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--concurrency", default="50,150", help="comma-separated concurrency levels")
    parser.add_argument("--model", help="KINDRED_MODEL for the child (default: the bundled model)")
    parser.add_argument(
        "--workers", default=f"1,{default_workers()}", help="comma-separated worker-process counts"
    )
    parser.add_argument("--profile", action="store_true", help="sample the child's threads, print the top")
    args = parser.parse_args()
    levels = [int(x) for x in args.concurrency.split(",")]
    counts = list(dict.fromkeys(int(x) for x in args.workers.split(",")))
    sys.exit(asyncio.run(_main(levels, counts, args.model, args.profile)))


def default_workers() -> int:
    """The configured KINDRED_WORKERS, else one per core."""
    return int(os.environ.get("KINDRED_WORKERS") or os.cpu_count() or 1)


if __name__ == "__main__":
    main()
