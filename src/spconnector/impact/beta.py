"""The Beta distribution's CDF and quantile, in plain Python (no scipy).

The CDF is the regularized incomplete beta I_x(a, b), evaluated with its continued fraction
(modified Lentz) on the side of the symmetry point where the fraction converges fast; the
quantile is a bisection on that CDF, which is monotone, so it cannot diverge.
"""

from __future__ import annotations

import math

_TINY = 1e-300
_EPS = 1e-15
_MAX_TERMS = 10_000
_MAX_BISECTIONS = 1100  # enough to reach any double in (0, 1)


def _continued_fraction(x: float, a: float, b: float) -> float:
    """The continued fraction of I_x(a, b), without its front factor."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    h = d
    for m in range(1, _MAX_TERMS + 1):
        m2 = 2 * m
        # even step: d_{2m} = m (b - m) x / ((a + 2m - 1)(a + 2m))
        term = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + term * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + term / c
        c = c if abs(c) > _TINY else _TINY
        h *= d * c
        # odd step: d_{2m+1} = -(a + m)(a + b + m) x / ((a + 2m)(a + 2m + 1))
        term = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + term * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + term / c
        c = c if abs(c) > _TINY else _TINY
        step = d * c
        h *= step
        if abs(step - 1.0) < _EPS:
            return h
    raise ArithmeticError(f"incomplete beta did not converge for a={a}, b={b}, x={x}")


def beta_cdf(x: float, a: float, b: float) -> float:
    """I_x(a, b): P(X <= x) for X ~ Beta(a, b), a > 0, b > 0."""
    if a <= 0 or b <= 0:
        raise ValueError("Beta parameters must be positive")
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _continued_fraction(x, a, b) / a
    return 1.0 - front * _continued_fraction(1.0 - x, b, a) / b


def beta_quantile(p: float, a: float, b: float, rel_tol: float = 1e-13) -> float:
    """The x with I_x(a, b) = p, by bisection to a relative width of rel_tol (or to the
    float resolution). Relative, because narrow posteriors sit near 0."""
    if not 0.0 <= p <= 1.0:
        raise ValueError("p must be within [0, 1]")
    if p == 0.0:
        return 0.0
    if p == 1.0:
        return 1.0
    lo, hi = 0.0, 1.0
    for _ in range(_MAX_BISECTIONS):
        mid = (lo + hi) / 2.0
        if mid in (lo, hi) or hi - lo <= rel_tol * mid:
            break
        if beta_cdf(mid, a, b) < p:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2.0


def credible_interval(a: float, b: float, mass: float = 0.90) -> tuple[float, float]:
    """The equal-tailed credible interval holding `mass` of Beta(a, b)."""
    tail = (1.0 - mass) / 2.0
    return beta_quantile(tail, a, b), beta_quantile(1.0 - tail, a, b)
