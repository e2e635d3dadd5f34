"""Cover terms: definitions from DESIGN.md, property-based."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import actuarial as act
from actuarial.exceptions import InvalidInputError, InvalidTypeError

money = st.floats(min_value=0.0, max_value=1e12, allow_nan=False)
positive = st.floats(min_value=1e-3, max_value=1e12, allow_nan=False)
shares = st.floats(min_value=1e-3, max_value=1.0)


@given(d=money, lim=positive, share=shares, losses=st.lists(money, min_size=1, max_size=30))
def test_payments_bounded_and_monotone(d, lim, share, losses):
    layer = act.Layer(deductible=d, limit=lim, share=share)
    x = np.sort(np.array(losses))
    pay = layer.per_event(x)
    assert np.all(pay >= 0.0)
    assert np.all(pay <= share * lim * (1 + 1e-12))
    assert np.all(np.diff(pay) >= -1e-6 * share * lim)


@given(losses=st.lists(money, min_size=1, max_size=30))
def test_infinite_layer_is_identity(losses):
    layer = act.Layer()
    assert layer.is_identity
    np.testing.assert_array_equal(layer.per_event(losses), np.array(losses))
    np.testing.assert_array_equal(layer.aggregate(losses), np.array(losses))


@given(x=money, d=money, lim=positive, share=shares)
def test_per_event_formula(x, d, lim, share):
    expected = share * min(max(x - d, 0.0), lim)
    got = act.Layer(deductible=d, limit=lim, share=share).per_event([x])[0]
    assert got == pytest.approx(expected, rel=1e-12, abs=1e-9)


@given(s=money, ad=money, al=positive)
def test_aggregate_formula(s, ad, al):
    expected = min(max(s - ad, 0.0), al)
    got = act.Layer(aggregate_deductible=ad, aggregate_limit=al).aggregate([s])[0]
    assert got == pytest.approx(expected, rel=1e-12, abs=1e-9)


def test_limit_is_width_not_top():
    layer = act.Layer(deductible=1e6, limit=9.9e7)
    assert layer.per_event([2e8])[0] == 9.9e7
    assert layer.per_event([5e7])[0] == 4.9e7


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"deductible": -1.0}, "deductible"),
        ({"limit": -5.0}, "limit"),
        ({"limit": 0.0}, "limit"),
        ({"share": 1.5}, "share"),
        ({"share": 0.0}, "share"),
        ({"aggregate_limit": -1.0}, "aggregate_limit"),
        ({"aggregate_deductible": math.nan}, "aggregate_deductible"),
    ],
)
def test_bad_terms_name_the_argument(kwargs, name):
    with pytest.raises(InvalidInputError, match=name):
        act.Layer(**kwargs)


def test_bad_losses():
    with pytest.raises(InvalidInputError, match="losses"):
        act.Layer().per_event([1.0, -2.0])
    with pytest.raises(InvalidInputError, match="losses"):
        act.Layer().per_event([1.0, math.nan])
    with pytest.raises(InvalidTypeError, match="deductible"):
        act.Layer(deductible="1e6")


def test_layer_moments_lognormal_closed_form():
    # E[X ^ u] for the lognormal:
    # exp(mu + s^2/2) Phi((ln u - mu - s^2)/s) + u (1 - Phi((ln u - mu)/s))
    from scipy import stats

    mu, s, d, lim = 15.0, 2.0, 1e6, 9.9e7

    def lev(u):
        return math.exp(mu + s * s / 2) * stats.norm.cdf((math.log(u) - mu - s * s) / s) + u * (
            stats.norm.sf((math.log(u) - mu) / s)
        )

    dist = stats.lognorm(s=s, scale=math.exp(mu))
    m1, _ = act.terms.layer_moments(dist, act.Layer(deductible=d, limit=lim))
    assert m1 == pytest.approx(lev(d + lim) - lev(d), rel=1e-9)


def test_layer_moments_exponential_second_moment():
    from scipy import stats

    theta, d, lim = 2.0, 1.0, 3.0
    dist = stats.expon(scale=theta)
    m1, m2 = act.terms.layer_moments(dist, act.Layer(deductible=d, limit=lim, share=0.5))
    # independent: direct quadrature of the payment against the density
    from scipy import integrate

    pay = lambda x: 0.5 * min(max(x - d, 0.0), lim)  # noqa: E731
    e1 = integrate.quad(lambda x: pay(x) * dist.pdf(x), 0, 60, points=[d, d + lim])[0]
    e2 = integrate.quad(lambda x: pay(x) ** 2 * dist.pdf(x), 0, 60, points=[d, d + lim])[0]
    assert m1 == pytest.approx(e1, rel=1e-9)
    assert m2 == pytest.approx(e2, rel=1e-9)


def test_layer_moments_deep_deductible_keeps_precision():
    from scipy import stats

    # memoryless: E[(X - d)+] = e^{-d}, E[(X - d)+^2] = 2 e^{-d} for a unit exponential
    m1, m2 = act.terms.layer_moments(stats.expon(), act.Layer(deductible=40.0))
    assert m1 == pytest.approx(math.exp(-40.0), rel=1e-8)
    assert m2 == pytest.approx(2.0 * math.exp(-40.0), rel=1e-8)
    # heavy tail, deductible beyond the median: Lomax(c, 1) gives (1 + d)^(1 - c) / (c - 1)
    c, d = 2.5, 50.0
    m1, _ = act.terms.layer_moments(stats.lomax(c), act.Layer(deductible=d))
    assert m1 == pytest.approx((1 + d) ** (1 - c) / (c - 1), rel=1e-8)
