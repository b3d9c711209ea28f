"""Rates per 1,000 people with their 95% confidence intervals, as England's public health
observatories publish them for counts of events.

From 10 events, Byar's approximation to the exact Poisson interval (Breslow and Day, Statistical
Methods in Cancer Research volume II, IARC 1987, p. 69; the method of Public Health England's
"Technical Guide: Confidence Intervals", 2018); below 10, the exact interval, from the gamma
distribution (statsmodels' `confint_poisson`, method "exact-c"), where Byar's is less close. An
interval is of the count; a rate's is the count's interval over the population.
"""

from __future__ import annotations

from math import sqrt
from statistics import NormalDist

CONFIDENCE = 0.95
EXACT_BELOW = 10  # events: below this the exact interval, from it Byar's
PER = 1_000  # rates are per 1,000 population


def z_value(confidence: float = CONFIDENCE) -> float:
    """The standard normal quantile of a two-sided interval: 1.95996... for 95%."""
    return NormalDist().inv_cdf(1 - (1 - confidence) / 2)


def byar_interval(events: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Byar's interval for a Poisson count of events (at least 1):
    O(1 - 1/(9O) - z/(3 sqrt O))^3 to (O+1)(1 - 1/(9(O+1)) + z/(3 sqrt(O+1)))^3."""
    if events < 1:
        raise ValueError(f"Byar's interval needs at least one event, not {events}")
    z = z_value(confidence)
    lower = events * (1 - 1 / (9 * events) - z / (3 * sqrt(events))) ** 3
    above = events + 1
    upper = above * (1 - 1 / (9 * above) + z / (3 * sqrt(above))) ** 3
    return lower, upper


def exact_interval(events: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """The exact (central, gamma) interval for a Poisson count of events; 0 events: from 0."""
    from statsmodels.stats.rates import confint_poisson

    lower, upper = confint_poisson(events, 1, method="exact-c", alpha=1 - confidence)
    return float(lower), float(upper)


def count_interval(events: int, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """A count's interval: exact below 10 events, Byar's from 10."""
    if events < 0:
        raise ValueError(f"a count of events cannot be negative: {events}")
    if events < EXACT_BELOW:
        return exact_interval(events, confidence)
    return byar_interval(events, confidence)


def rate(events: float, population: float, per: int = PER) -> float:
    """Events per `per` people."""
    if population <= 0:
        raise ValueError(f"a rate needs a population above 0, not {population}")
    return events / population * per


def rate_interval(
    events: int, population: float, per: int = PER, confidence: float = CONFIDENCE
) -> tuple[float, float]:
    """The interval of a rate per `per` people: the count's interval over the population."""
    lower, upper = count_interval(events, confidence)
    return rate(lower, population, per), rate(upper, population, per)
