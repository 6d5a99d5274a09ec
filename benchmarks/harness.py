"""What every benchmark harness shares: a document built in its own knowledge base, read back
from the JSONL export (the code path of ``tessera build`` and ``tessera export``), and the
export's events turned into role fillers."""
from __future__ import annotations

from pathlib import Path


def build_and_export(text: str, name: str, tmp: Path, published: str | None = None) -> list[dict]:
    """Build ``text`` as file ``name`` in a knowledge base of its own; its export records. A document that
    fails to build raises: on these texts (all readable) a failure is a fault of the analysis, and a benchmark
    that scored it as a document with nothing found would hide it (and the quality gate with it)."""
    import tessera

    folder = tmp / name
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.txt"
    path.write_text(text + "\n", encoding="utf-8")
    with tessera.open(folder / "kb.db") as kb:
        report = kb.build([path])
        if report.failed:
            raise RuntimeError(f"{name}: build failed: {report.failed}")
        return list(kb.export_records())


def entity_names(records: list[dict]) -> dict[str, list[str]]:
    """Entity id -> its name then its aliases, from export records."""
    return {r["id"]: list(dict.fromkeys([r["name"], *(r.get("aliases") or [])]))
            for r in records if r.get("kind") == "entity"}
