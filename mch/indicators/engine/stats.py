"""95% intervals and the small-numbers flag (no SciPy: the exact Poisson limits come from
the chi-square/gamma relation, solved by bisection on the regularised gamma function).

- Proportions (coverage, nutrition): Wilson score interval, z = 1.959964.
- Rates with a rare numerator (mortality per 1,000 or 100,000 live births): exact
  (Garwood) Poisson limits for the count of events, divided by the denominator:
  lower = chi2(0.025; 2k)/2, upper = chi2(0.975; 2k + 2)/2; k = 0 gives lower 0.
- Small numbers: a proportion whose denominator is below ``SMALL_DENOMINATOR`` (30), a
  rate whose numerator is below ``SMALL_EVENTS`` (20 events: the relative standard error
  of a Poisson count is above 22%) or whose denominator is below ``SMALL_DENOMINATOR``.
"""

from __future__ import annotations

import math

Z95 = 1.959963984540054
SMALL_DENOMINATOR = 30
SMALL_EVENTS = 20
_EPS = 1e-14


def wilson(numerator: float, denominator: float) -> tuple[float, float]:
    """Wilson score interval of a proportion, as fractions of 1."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    p = min(max(numerator / denominator, 0.0), 1.0)
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * denominator)) / (1 + z2 / denominator)
    half = (Z95 / (1 + z2 / denominator)) * math.sqrt(
        p * (1 - p) / denominator + z2 / (4 * denominator * denominator)
    )
    return max(0.0, centre - half), min(1.0, centre + half)


def _gamma_p(a: float, x: float) -> float:
    """Regularised lower incomplete gamma P(a, x) (series / continued fraction)."""
    if x <= 0:
        return 0.0
    gln = math.lgamma(a)
    if x < a + 1:
        term = total = 1.0 / a
        n = a
        for _ in range(10_000):
            n += 1
            term *= x / n
            total += term
            if abs(term) < abs(total) * _EPS:
                break
        return total * math.exp(-x + a * math.log(x) - gln)
    b = x + 1 - a
    c = 1.0 / 1e-300
    d = 1.0 / b
    h = d
    for i in range(1, 10_000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = 1e-300 if abs(d) < 1e-300 else d
        c = b + an / c
        c = 1e-300 if abs(c) < 1e-300 else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < _EPS:
            break
    return 1.0 - math.exp(-x + a * math.log(x) - gln) * h


def _gamma_quantile(a: float, q: float) -> float:
    """x with P(a, x) = q, by bisection."""
    low, high = 0.0, max(1.0, a)
    while _gamma_p(a, high) < q:
        high *= 2
    for _ in range(200):
        mid = (low + high) / 2
        if _gamma_p(a, mid) < q:
            low = mid
        else:
            high = mid
        if high - low < 1e-12 * max(1.0, high):
            break
    return (low + high) / 2


def poisson_exact(events: float) -> tuple[float, float]:
    """Exact 95% limits for the expected count of a Poisson variable observed ``events``."""
    k = round(events)
    if k < 0:
        raise ValueError("events must be >= 0")
    lower = 0.0 if k == 0 else _gamma_quantile(k, 0.025)
    upper = _gamma_quantile(k + 1, 0.975)
    return lower, upper


def interval(
    method: str, numerator: float, denominator: float, multiplier: int
) -> tuple[float | None, float | None]:
    """The 95% interval of ``numerator / denominator * multiplier`` by ``method``."""
    if not denominator or method == "none":
        return None, None
    if method == "wilson":
        low, high = wilson(numerator, denominator)
    elif method == "poisson_exact":
        low, high = (limit / denominator for limit in poisson_exact(numerator))
    else:
        raise ValueError(f"unknown interval method {method!r}")
    return low * multiplier, high * multiplier


def is_small(method: str, numerator: float | None, denominator: float | None) -> bool:
    if numerator is None or denominator is None:
        return True
    if denominator < SMALL_DENOMINATOR:
        return True
    return method == "poisson_exact" and numerator < SMALL_EVENTS
