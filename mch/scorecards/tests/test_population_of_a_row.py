"""A plan row's population group comes from its targets, else from its figures: a
directive's row of ethnic-minority children with actuals and no target is not "all"."""

from __future__ import annotations

from types import SimpleNamespace

from mch.scorecards.assembly import _population_code


def _obs(code: str) -> SimpleNamespace:
    return SimpleNamespace(population=SimpleNamespace(code=code))


def test_population_of_targets_then_figures() -> None:
    row = SimpleNamespace(targets={2025: [_obs("ethnic_minority")]}, actuals=[_obs("all")],
                          baselines=[])  # fmt: skip
    assert _population_code(row) == "ethnic_minority"  # type: ignore[arg-type]
    row = SimpleNamespace(targets={}, actuals=[_obs("ethnic_minority")], baselines=[])
    assert _population_code(row) == "ethnic_minority"  # type: ignore[arg-type]
    row = SimpleNamespace(targets={}, actuals=[], baselines=[_obs("rural")])
    assert _population_code(row) == "rural"  # type: ignore[arg-type]
    assert _population_code(SimpleNamespace(targets={}, actuals=[], baselines=[])) == "all"  # type: ignore[arg-type]
