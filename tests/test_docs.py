"""The README, the Makefile and CI agree with the code: every command documented, one way to run things."""
from __future__ import annotations

import argparse
import re

import pytest

from tessera.cli import parser

from .conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
MAKEFILE = (REPO / "Makefile").read_text(encoding="utf-8")
CI_RUN = REPO / ".ci" / "run"


def _subcommands() -> list[str]:
    actions = [a for a in parser()._actions if isinstance(a, argparse._SubParsersAction)]
    assert len(actions) == 1
    return sorted(actions[0].choices)


def _fenced_blocks(text: str) -> list[str]:
    return re.findall(r"^```[^\n]*\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)


def test_parser_has_the_known_subcommands():
    assert {"build", "entities", "profile", "timeline", "conflicts", "search", "export", "eval"} <= set(
        _subcommands())


@pytest.mark.parametrize("name", _subcommands())
def test_every_subcommand_is_in_the_readme(name):
    assert re.search(rf"\btessera {re.escape(name)}\b", README), f"`tessera {name}` is not in README.md"


def test_first_code_block_has_make_demo_and_make_test():
    blocks = _fenced_blocks(README)
    assert blocks, "README.md has no fenced code block"
    assert re.search(r"^\s*make demo\b", blocks[0], re.MULTILINE), blocks[0]
    assert re.search(r"^\s*make test\b", blocks[0], re.MULTILINE), blocks[0]


def test_ci_runs_make_test():
    assert CI_RUN.is_file()
    lines = [line.split("#", 1)[0].strip() for line in CI_RUN.read_text(encoding="utf-8").splitlines()]
    assert "make test" in lines


@pytest.mark.parametrize("target", ["demo", "test"])
def test_makefile_has_target(target):
    assert re.search(rf"^{target}\s*:", MAKEFILE, re.MULTILINE), f"no `{target}:` target in the Makefile"
    assert re.search(rf"^\.PHONY:.*\b{target}\b", MAKEFILE, re.MULTILINE)
