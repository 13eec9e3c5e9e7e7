import numpy as np
import pytest

from mch.growth import compute, curves


# WHO's published z-score tables, to one decimal: boys' weight-for-length at 45 cm
# and girls' weight-for-age at 60 months.
@pytest.mark.parametrize(
    ("indicator", "sex", "x", "expected"),
    [
        ("wfl", 1, 45.0, {-3: 1.9, -2: 2.0, 0: 2.4, 2: 3.0, 3: 3.3}),
        ("wfa", 2, 1826.0, {-3: 12.1, -2: 13.7, 0: 18.2, 2: 24.9, 3: 29.5}),
    ],
)
def test_sd_lines_match_who_tables(indicator, sex, x, expected):
    c = curves(indicator, sex)
    i = c.x.index(x)

    assert {k: round(v[i], 1) for k, v in c.lines.items()} == expected


@pytest.mark.parametrize(
    ("indicator", "first", "last", "count"),
    [
        ("wfa", 0.0, 1826.0, 262),  # every 7 days and the last day
        ("lhfa", 0.0, 1826.0, 262),
        ("bfa", 0.0, 1826.0, 262),
        ("wfl", 45.0, 110.0, 131),
        ("wfh", 65.0, 120.0, 111),
    ],
)
def test_default_steps_cover_the_table(indicator, first, last, count):
    c = curves(indicator, 1)

    assert (c.x[0], c.x[-1], len(c.x)) == (first, last, count)
    assert all(len(line) == count for line in c.lines.values())
    assert all(isinstance(v, float) for v in c.lines[0])


def test_lines_are_ordered():
    c = curves("lhfa", 2, step=30)
    lines = np.array([c.lines[k] for k in (-3, -2, 0, 2, 3)])

    assert (np.diff(lines, axis=0) > 0).all()


@pytest.mark.parametrize(
    ("indicator", "sex", "x"), [("wfa", 1, 700), ("bfa", 2, 98), ("wfh", 2, 101.5)]
)
def test_points_on_a_line_have_that_z_score(indicator, sex, x):
    c = curves(indicator, sex, decimals=6)
    i = c.x.index(x)
    weight = c.lines[2][i]
    if indicator == "wfa":
        z = compute(sex, x, weight, None, decimals=None).waz
    elif indicator == "bfa":
        z = compute(sex, x, weight * 0.55**2, 55.0, True, decimals=None).baz
    else:
        z = compute(sex, 1000, weight, x, False, decimals=None).whz

    assert z[()] == pytest.approx(2.0, abs=1e-5)


def test_length_steps_between_rows_interpolate():
    c = curves("wfl", 1, step=0.05, decimals=6)
    i = c.x.index(45.05)

    assert c.lines[0][i] == pytest.approx((c.lines[0][i - 1] + c.lines[0][i + 1]) / 2, abs=1e-6)


@pytest.mark.parametrize(
    ("args", "message"),
    [(("hcfa", 1), "unknown indicator"), (("wfa", 3), "sex"), (("wfa", 1, 0), "step")],
)
def test_bad_arguments(args, message):
    with pytest.raises(ValueError, match=message):
        curves(*args)
