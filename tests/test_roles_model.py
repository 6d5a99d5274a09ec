"""The role tagger itself (analyze.roles): span decoding on hand-made probabilities, and the shipped
model on sentences written for these tests."""
from __future__ import annotations

import pytest

from tessera.analyze import roles as R

O = [1.0] + [0.0] * (len(R.LABELS) - 1)


def _p(label: str, p: float = 0.9) -> list[float]:
    row = [0.0] * len(R.LABELS)
    row[R.LABELS.index(label)] = p
    row[0] = 1.0 - p
    return row


def _pieces(text: str, labels: list[str]):
    """Word offsets of ``text`` (one piece per word) with the given labels ("O" or "B-Role" / "I-Role")."""
    import re

    offsets = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    assert len(offsets) == len(labels)
    return offsets, [O if l == "O" else _p(l) for l in labels]


def test_two_beginnings_side_by_side_are_one_filler():
    text = "detonated by urban guerrilla commandos yesterday"
    offsets, probs = _pieces(text, ["O", "O", "B-PerpInd", "B-PerpInd", "I-PerpInd", "O"])
    assert [text[s.start:s.end] for s in R.decode(text, offsets, probs, 0.5)] == ["urban guerrilla commandos"]


def test_fillers_apart_stay_apart():
    text = "killed mario flores , hugo martinez and raul ramirez"
    offsets, probs = _pieces(text, ["O", "B-Victim", "I-Victim", "O", "B-Victim", "I-Victim", "O", "B-Victim", "I-Victim"])
    assert [text[s.start:s.end] for s in R.decode(text, offsets, probs, 0.5)] == ["mario flores", "hugo martinez", "raul ramirez"]


def test_function_words_at_the_edges_are_cut():
    text = "taken by the members of the national police ."
    offsets, probs = _pieces(text, ["O", "B-PerpInd", "I-PerpInd", "I-PerpInd", "I-PerpInd", "I-PerpInd", "O", "O", "O"])
    assert [text[s.start:s.end] for s in R.decode(text, offsets, probs, 0.5)] == ["the members"]  # a leading article stays: "a car bomb"


def test_a_filler_of_function_words_only_is_none():
    text = "a group of the men"
    offsets, probs = _pieces(text, ["O", "O", "B-PerpInd", "I-PerpInd", "O"])
    assert R.decode(text, offsets, probs, 0.5) == []


@pytest.fixture(scope="module")
def tagger():
    t = R.load_role_tagger()
    if t is None:
        pytest.skip("the role tagger's weights or libraries are not installed")
    return t


def test_the_shipped_model_tags_every_role(tagger):
    text = ("Urban guerrillas detonated a car bomb outside the police headquarters in Medellin yesterday, "
            "killing judge Carlos Ramirez.")
    found = {(s.role, text[s.start:s.end]) for s in tagger.tag(text)}
    roles = {r for r, _ in found}
    assert {"PerpInd", "Weapon", "Target", "Victim"} <= roles, found
    assert ("Weapon", "car bomb") in found or ("Weapon", "a car bomb") in found, found


def test_int8_linear_layers_stay_close_to_the_float_ones():
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(64, 32), torch.nn.GELU(), torch.nn.Linear(32, 8, bias=False))
    x = torch.randn(3, 5, 64)
    x[0, 0] *= 50  # an outlying row coarsens only its own scale
    expected = model(x)
    if not R.int8_linears(model):
        pytest.skip("this torch multiplies no 8-bit matrices on the CPU")
    assert not any(isinstance(m, torch.nn.Linear) for m in model.modules())
    got = model(x)
    assert got.shape == expected.shape
    assert ((got - expected).abs().amax(-1) <= 0.02 * expected.abs().amax(-1) + 1e-3).all()


def test_the_int8_tagger_reads_what_the_float_one_reads(tagger):
    text = ("Urban guerrillas detonated a car bomb outside the police headquarters in Medellin yesterday, "
            "killing judge Carlos Ramirez. ") * 30  # several overlapping windows
    exact = R.RoleTagger(R.MODEL_DIR, int8=False)
    assert not exact.int8
    spans = {(s.start, s.end, s.role) for s in tagger.tag(text)}
    float_spans = {(s.start, s.end, s.role) for s in exact.tag(text)}
    assert len(spans & float_spans) >= 0.9 * len(float_spans), (spans ^ float_spans)
