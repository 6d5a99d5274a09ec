"""Print how long one newline-free article takes to build, at several sizes (issue #8, part 7).

Usage: long_text.py [KB ...]   (default 100 300 1000; sizes in kilobytes)
       long_text.py --profile KB   (the build of one size under cProfile, top 25 by cumulative time)

The article is made of the example corpus's sentences joined by spaces, repeated up to the
size: the layout of a feed item or a JSON export that lost its line breaks. Each size is built
into an empty knowledge base with the model already loaded, so the figure is the build alone.
"""
from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "corpus"


def corpus_lines() -> list[str]:
    """The non-blank lines of the example articles (plain text and JSON Lines records), in order."""
    lines: list[str] = []
    for path in sorted(EXAMPLES.iterdir()):
        if path.suffix == ".txt":
            texts = [path.read_text(encoding="utf-8")]
        elif path.suffix == ".jsonl":
            texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        else:
            continue
        for text in texts:
            lines += [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    return lines


def newline_free_text(size: int) -> str:
    """About ``size`` characters of the example articles' lines joined by spaces, without a line break."""
    lines = corpus_lines()
    parts: list[str] = []
    total = 0
    while total < size:
        for line in lines:
            parts.append(line)
            total += len(line) + 1
            if total >= size:
                break
    return " ".join(parts)[:size].rsplit(" ", 1)[0] + "\n"


def build_seconds(text: str) -> tuple[float, int]:
    """Seconds to build one article into an empty knowledge base, and the sentences stored."""
    import tessera

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "long.txt"
        path.write_text(text, encoding="utf-8")
        with tessera.open(Path(tmp) / "long.db") as kb:
            start = time.perf_counter()
            report = kb.build([path])
            seconds = time.perf_counter() - start
            assert report.added and not report.failed, report.failed
            sentences = kb.store._conn.execute("SELECT count(*) FROM sentences").fetchone()[0]
    return seconds, sentences


def main() -> None:
    args = sys.argv[1:]
    profile = "--profile" in args
    sizes = [int(a) for a in args if a != "--profile"] or ([50] if profile else [100, 300, 1000])
    from tessera.analyze import load_pipeline, load_role_tagger

    load_pipeline()
    load_role_tagger()
    build_seconds(newline_free_text(2_000))  # warm every lazy import
    if profile:
        import cProfile
        import pstats

        text = newline_free_text(sizes[0] * 1000)
        profiler = cProfile.Profile()
        profiler.runcall(build_seconds, text)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        return
    for kb in sizes:
        seconds, sentences = build_seconds(newline_free_text(kb * 1000))
        print(f"{kb:>6} KB without line breaks: {seconds:7.1f} s  ({sentences} sentences)", flush=True)


if __name__ == "__main__":
    main()
