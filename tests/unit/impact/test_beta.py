from __future__ import annotations

from fractions import Fraction
from math import comb

import pytest

from spconnector.impact.beta import beta_cdf, beta_quantile, credible_interval


def exact_cdf(x: Fraction, a: int, b: int) -> Fraction:
    """For whole a, b: I_x(a, b) = P(Binomial(a + b - 1, x) >= a), exactly."""
    n = a + b - 1
    return sum((comb(n, j) * x**j * (1 - x) ** (n - j) for j in range(a, n + 1)), Fraction(0))


@pytest.mark.parametrize(
    ("a", "b", "x"),
    [
        (1, 1, "0.3"),
        (2, 5, "0.1"),
        (3, 40, "0.05"),
        (7, 3, "0.9"),
        (50, 950, "0.06"),
        (12, 300, "0.02"),
        (300, 12, "0.97"),
        (1, 200, "0.001"),
    ],
)
def test_cdf_matches_the_exact_binomial_identity(a: int, b: int, x: str) -> None:
    expected = float(exact_cdf(Fraction(x), a, b))
    assert beta_cdf(float(Fraction(x)), a, b) == pytest.approx(expected, rel=1e-10, abs=1e-14)


def test_quantiles_against_closed_forms() -> None:
    # Beta(1, b): 1 - (1 - x)^b ; Beta(a, 1): x^a ; Beta(2, 2) is symmetric around 1/2
    for p in (0.05, 0.5, 0.95):
        assert beta_quantile(p, 1, 11) == pytest.approx(1 - (1 - p) ** (1 / 11), abs=1e-10)
        assert beta_quantile(p, 4, 1) == pytest.approx(p ** (1 / 4), abs=1e-10)
    assert beta_quantile(0.5, 2, 2) == pytest.approx(0.5, abs=1e-10)
    # a published value: the 5 % quantile of Beta(2, 5) is 0.062850 (to six places)
    assert beta_quantile(0.05, 2, 5) == pytest.approx(0.0628498917, abs=1e-9)


def test_quantile_inverts_cdf_for_fractional_and_large_parameters() -> None:
    for a, b in ((0.5, 0.5), (1.7, 33.2), (501.0, 499_501.0), (3.0, 1e6)):
        for p in (0.05, 0.5, 0.95):
            x = beta_quantile(p, a, b)
            assert beta_cdf(x, a, b) == pytest.approx(p, abs=1e-9)


def test_symmetry_and_edges() -> None:
    assert beta_cdf(0.2, 3, 8) == pytest.approx(1 - beta_cdf(0.8, 8, 3), abs=1e-14)
    assert beta_cdf(0.0, 2, 3) == 0.0 and beta_cdf(1.0, 2, 3) == 1.0
    assert beta_quantile(0.0, 2, 3) == 0.0 and beta_quantile(1.0, 2, 3) == 1.0
    with pytest.raises(ValueError):
        beta_cdf(0.5, 0, 1)
    with pytest.raises(ValueError):
        beta_quantile(1.5, 1, 1)


def test_credible_interval_is_equal_tailed() -> None:
    low, high = credible_interval(1, 1, 0.90)
    assert low == pytest.approx(0.05, abs=1e-10)
    assert high == pytest.approx(0.95, abs=1e-10)
    low, high = credible_interval(3, 97)
    assert beta_cdf(low, 3, 97) == pytest.approx(0.05, abs=1e-9)
    assert beta_cdf(high, 3, 97) == pytest.approx(0.95, abs=1e-9)
