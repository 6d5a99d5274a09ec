"""Time every page of the workbench and its JSON twin over real HTTP, as a user's browser sees them.

Usage: python benchmarks/web_pages.py [CORPUS] [--repeat N] [--profile]

Builds a knowledge base from CORPUS (default ``../shared/corpus/seeds``, else ``examples/corpus``,
saying so) in a temporary folder, serves it with uvicorn (``tessera.web.serve``) in a child process
on a free loopback port, and requests every page with httpx: the home page, the entities list, the
page of each of the top organizations and people, the network, the timeline, the conflicts, each
document, a search for a few words and a relation. Each URL is requested once untimed (warm), then
``--repeat`` times; the figure is the median, in milliseconds, client round trip included. The last
lines are the slowest pages and ``max_ms``. ``--profile`` runs the slowest page once in this process
under cProfile and prints where the time goes.
"""
from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "corpus" / "seeds"
EXAMPLES = REPO / "examples" / "corpus"
BUDGET_MS = 300.0
SEARCH_WORDS = ("attack", "killed", "leader", "army")
TOP = 3  # entity pages timed per type


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _urls(db: Path) -> list[str]:
    """Every page to time (the HTML path; its JSON twin is added by the caller)."""
    from tessera.kb import KnowledgeBase

    with KnowledgeBase.open(db, readonly=True) as kb:
        top = [e.id for t in ("organization", "person") for e in kb.entities_page(t, 0, TOP)[0]]
        documents = [d.id for d in kb.documents()]
        relations = sorted(kb.relations(), key=lambda r: -len({e.document for e in r.evidence}))
    urls = ["/", "/entities", *(f"/entity/{i}" for i in top), "/network", "/timeline", "/conflicts",
            *(f"/document/{d}" for d in documents), *(f"/search?q={w}" for w in SEARCH_WORDS)]
    if relations:
        urls.append(f"/relation/{relations[0].id}")
    return urls


def _twin(url: str) -> str:
    if url == "/":
        return "/index.json"
    path, _, query = url.partition("?")
    return path + ".json" + (f"?{query}" if query else "")


def _serve(db: Path, port: int) -> subprocess.Popen:
    code = f"from tessera.web.app import serve; serve({str(db)!r}, port={port})"
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL)
    import httpx

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/static/style.css", timeout=1)
            return proc
        except httpx.TransportError:
            if proc.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start in 30 s")


def _profile(db: Path, url: str) -> None:
    """Run the page's handler in this thread under cProfile (a test client would run it on another)."""
    import cProfile
    import pstats

    from starlette.requests import Request
    from starlette.routing import Match

    from tessera.web import create_app

    app = create_app(db)
    path, _, query = url.partition("?")
    scope = {"type": "http", "method": "GET", "path": path, "raw_path": path.encode(), "root_path": "",
             "query_string": query.encode(), "headers": [], "app": app, "scheme": "http",
             "server": ("127.0.0.1", 80), "client": ("127.0.0.1", 1)}
    for route in app.routes:
        match, child = route.matches(scope)
        if match == Match.FULL:
            request = Request({**scope, **child})
            route.endpoint(request)  # warm
            prof = cProfile.Profile()
            prof.runcall(route.endpoint, request)
            print(f"\nprofile of {url} (cumulative, top 25):")
            pstats.Stats(prof, stream=sys.stdout).sort_stats("cumulative").print_stats(25)
            return
    print(f"no route for {url}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", nargs="?", type=Path)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--profile", action="store_true", help="profile the slowest page with cProfile")
    args = ap.parse_args(argv)
    corpus = args.corpus or SEEDS
    if not corpus.exists():
        print(f"corpus: {corpus} is absent; using {EXAMPLES} instead")
        corpus = EXAMPLES
    import httpx

    from tessera.kb import KnowledgeBase

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "web.db"
        t0 = time.perf_counter()
        with KnowledgeBase.open(db) as kb:
            report = kb.build([corpus])
            overview = kb.overview()
        print(f"corpus: {corpus} ({len(report.added)} documents, built in {time.perf_counter() - t0:.1f} s): "
              f"{overview['entities']} entities, {overview['relations']} relations, {overview['events']} events, "
              f"{overview['conflicts']} conflicts")
        urls = [u for url in _urls(db) for u in (url, _twin(url))]
        port = _free_port()
        server = _serve(db, port)
        results: list[tuple[float, str]] = []
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
                for url in urls:
                    r = client.get(url)  # warm, untimed
                    if r.status_code != 200:
                        raise SystemExit(f"{url}: HTTP {r.status_code}")
                    times = []
                    for _ in range(args.repeat):
                        t = time.perf_counter()
                        client.get(url).raise_for_status()
                        times.append((time.perf_counter() - t) * 1000)
                    ms = statistics.median(times)
                    results.append((ms, url))
                    print(f"{ms:8.1f} ms  {len(r.content):>8} B  {url}")
        finally:
            server.terminate()
            server.wait(10)
        slowest = sorted(results)[-3:]
        print(f"pages {len(results)}, over {BUDGET_MS:.0f} ms: {sum(ms > BUDGET_MS for ms, _ in results)}")
        for ms, url in slowest:
            print(f"slowest {ms:.1f} ms {url}")
        print(f"max_ms {slowest[-1][0]:.1f}")
        if args.profile:
            _profile(db, slowest[-1][1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
