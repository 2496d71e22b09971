"""SURVIVAL_CURVE / MEDIAN_LIFETIME: Kaplan-Meier with right-censoring.

Expected values: the 6-MP arm of Freireich et al. (1963), Blood 21, 699-716 (data as described at
https://mn.uio.no/math/english/people/aca/borgan/data/leukemia-description.html: remission length in
weeks, censored when still in remission), the textbook worked example of the Kaplan-Meier estimator (Kleinbaum & Klein, "Survival Analysis: A Self-Learning Text", chapter 2:
S(6) = 0.857, S(7) = 0.807, S(10) = 0.753, S(13) = 0.690, S(16) = 0.627, S(22) = 0.538,
S(23) = 0.448; median 23 weeks); the product-limit and exponential-Greenwood formulas written out
here by hand; and lifelines' KaplanMeierFitter called directly.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_cskpi import excel, median_lifetime, survival_curve
from xl_cskpi.errors import InvalidInput, NotAvailable, OutOfRange
from xl_cskpi.registry import REGISTRY
from xl_cskpi.tables.survival import tenures

# 6-MP arm, remission times in weeks; "+" (here False) = censored
SIX_MP = [(6, True), (6, True), (6, True), (6, False), (7, True), (9, False), (10, True), (10, False),
          (11, False), (13, True), (16, True), (17, False), (19, False), (20, False), (22, True), (23, True),
          (25, False), (32, False), (32, False), (34, False), (35, False)]
AS_OF = dt.date(2024, 12, 31)


def six_mp_dates():
    """Customers whose tenure in weeks is the 6-MP time: events end that many weeks after their start;
    censored customers are still active on AS_OF, that many weeks after their start."""
    starts, ends = [], []
    for k, (w, event) in enumerate(SIX_MP):
        if event:
            s = dt.date(2024, 1, 1) + dt.timedelta(days=k)
            starts.append(s.isoformat())
            ends.append((s + dt.timedelta(weeks=w)).isoformat())
        else:
            starts.append((AS_OF - dt.timedelta(weeks=w)).isoformat())
            ends.append(None)
    return starts, ends


def test_six_mp_textbook_values():
    starts, ends = six_mp_dates()
    t = survival_curve(starts, ends, "week", AS_OF.isoformat()).set_index("Period")
    published = {6: 0.857, 7: 0.807, 10: 0.753, 13: 0.690, 16: 0.627, 22: 0.538, 23: 0.448}
    for week, s in published.items():
        assert t.loc[week, "Survival"] == pytest.approx(s, abs=5e-4)  # published to 3 decimals
    assert median_lifetime(starts, ends, "week", AS_OF.isoformat()) == 23.0


def test_six_mp_by_hand_product_limit_and_exponential_greenwood():
    starts, ends = six_mp_dates()
    t = survival_curve(starts, ends, "week", AS_OF.isoformat()).set_index("Period")
    # (at risk, churned) at each event time, counted from the list above by hand
    events = {6: (21, 3), 7: (17, 1), 10: (15, 1), 13: (12, 1), 16: (11, 1), 22: (7, 1), 23: (6, 1)}
    z = 1.959963984540054
    s, greenwood = 1.0, 0.0
    for week in range(0, 36):
        if week in events:
            n, d = events[week]
            assert (t.loc[week, "At risk"], t.loc[week, "Churned"]) == (n, d)
            s *= 1 - d / n
            greenwood += d / (n * (n - d))
        assert t.loc[week, "Survival"] == pytest.approx(s, abs=1e-12)
        if s < 1:
            # exponential Greenwood ("log-log"): S ** exp(-+ z sqrt(G) / log S)
            low = s ** math.exp(-z * math.sqrt(greenwood) / math.log(s))
            high = s ** math.exp(z * math.sqrt(greenwood) / math.log(s))
            assert t.loc[week, "Low (95 %)"] == pytest.approx(low, abs=1e-9)
            assert t.loc[week, "High (95 %)"] == pytest.approx(high, abs=1e-9)
    assert t["Censored"].sum() == 12 and t["Churned"].sum() == 9
    assert t.loc[6, "Censored"] == 1 and t.loc[32, "Censored"] == 2


def test_small_hand_example_with_censoring_in_months():
    # A 1 Jan -> 1 Feb (lost at the end of month 1), B 1 Jan -> 1 Mar (month 2), C 15 Jan active on 1 May
    # (3 whole months: censored at 3), D 1 Jan -> 1 Apr (month 3). At 3: D and C at risk, D lost.
    # S = 3/4, 3/4 x 2/3, 1/2 x 1/2
    t = survival_curve(["2024-01-01", "2024-01-01", "2024-01-15", "2024-01-01"],
                       ["2024-02-01", "2024-03-01", None, "2024-04-01"], "month", "2024-05-01")
    assert t["At risk"].tolist() == [4, 4, 3, 2]
    assert t["Churned"].tolist() == [0, 1, 1, 1]
    assert t["Censored"].tolist() == [0, 0, 0, 1]
    assert t["Survival"].tolist() == pytest.approx([1, 0.75, 0.5, 0.25], abs=1e-15)


def lifelines_direct(t_whole, churned, confidence=0.95):
    from lifelines import KaplanMeierFitter

    k = KaplanMeierFitter(alpha=1 - confidence)
    k.fit(t_whole, event_observed=churned, timeline=np.arange(0, max(t_whole) + 1))
    return k


@pytest.mark.parametrize("seed", range(5))
def test_equals_lifelines_kaplan_meier_fitter(seed):
    rng = random.Random(seed)
    starts, ends = [], []
    for _ in range(300):
        s = dt.date(2022, 1, 1) + dt.timedelta(days=rng.randrange(900))
        starts.append(s)
        ends.append(None if rng.random() < 0.4 else s + dt.timedelta(days=rng.randrange(0, 700)))
    as_of = dt.date(2024, 9, 30)
    got = survival_curve(starts, ends, "month", as_of, 0.9)
    # durations computed here independently: DATEDIF-style whole months, censored at as_of
    whole, event = [], []
    for s, e in zip(starts, ends):
        stop = e if (e is not None and e <= as_of) else as_of
        m = (stop.year - s.year) * 12 + stop.month - s.month - (stop.day < s.day)
        rest = stop.day != s.day
        if e is not None and e <= as_of:
            whole.append(max(m + rest, 1))
            event.append(True)
        else:
            whole.append(m)
            event.append(False)
    k = lifelines_direct(whole, event, 0.9)
    np.testing.assert_allclose(got["Survival"], k.survival_function_.iloc[:, 0], rtol=0, atol=1e-12)
    ci = k.confidence_interval_survival_function_
    np.testing.assert_allclose(got["Low (90 %)"], ci.iloc[:, 0], rtol=0, atol=1e-12)
    np.testing.assert_allclose(got["High (90 %)"], ci.iloc[:, 1], rtol=0, atol=1e-12)
    table = k.event_table.reindex(range(len(got)), fill_value=0)
    assert got["Churned"].tolist() == table["observed"].astype(int).tolist()
    assert got["Censored"].tolist() == table["censored"].astype(int).tolist()
    at_event = table["observed"] > 0
    assert (got["At risk"][at_event.to_numpy()] == table["at_risk"][at_event].astype(int).to_numpy()).all()
    median = k.median_survival_time_
    if math.isfinite(median):
        assert median_lifetime(starts, ends, "month", as_of) == median
    else:
        with pytest.raises(NotAvailable):
            median_lifetime(starts, ends, "month", as_of)


@settings(max_examples=40)
@given(st.lists(st.tuples(st.integers(0, 400), st.one_of(st.none(), st.integers(0, 400))), min_size=1,
                max_size=40),
       st.sampled_from(["day", "week", "month", "quarter", "year"]))
def test_survival_is_non_increasing_and_counts_add_up(spans, period):
    day0 = dt.date(2023, 1, 1)
    starts = [day0 + dt.timedelta(days=a) for a, _ in spans]
    ends = [None if b is None else s + dt.timedelta(days=b) for s, (_, b) in zip(starts, spans)]
    t = survival_curve(starts, ends, period, dt.date(2025, 1, 1))
    s = t["Survival"].to_numpy()
    assert s[0] == 1.0 and (np.diff(s) <= 1e-15).all() and (s >= 0).all()
    assert t["Churned"].sum() + t["Censored"].sum() == len(spans)
    assert t["At risk"].iloc[0] == len(spans)
    # at risk falls by those who left the period before
    leaving = (t["Churned"] + t["Censored"]).to_numpy()
    assert (t["At risk"].to_numpy()[1:] == len(spans) - np.cumsum(leaving)[:-1]).all()


# --------------------------------------------------------------------------- counting rules


def test_datedif_months_and_the_first_period():
    # 31 Jan -> 28 Feb: 0 whole months (DATEDIF "M"), lost in month 1; 31 Jan -> 31 Mar: 2 months, lost at
    # the end of month 2; same-day: lost in period 1; 15 Jan -> 16 Mar: 2 months and a day: month 3
    t, churned, unit = tenures(["2024-01-31", "2024-01-31", "2024-05-05", "2024-01-15"],
                               ["2024-02-28", "2024-03-31", "2024-05-05", "2024-03-16"], "month", "2024-12-31")
    assert t.tolist() == [1, 2, 1, 3] and churned.all() and unit == "month"
    t, churned, _ = tenures(["2024-01-01"] * 3, ["2024-03-31", "2024-04-01", None], "quarter", "2024-07-15")
    assert t.tolist() == [1, 1, 2] and churned.tolist() == [True, True, False]


def test_as_of_censors_later_ends_and_leaves_out_later_starts():
    # an end after as_of is not known then: censored; a start after as_of is not a customer yet
    t, churned, _ = tenures(["2024-01-01", "2024-01-01", "2024-06-01"], ["2024-03-01", "2024-09-01", None],
                            "month", "2024-05-01")
    assert t.tolist() == [2, 4] and churned.tolist() == [True, False]
    # default as_of: the latest date in the data (here the end 1 Sep)
    t, churned, _ = tenures(["2024-01-01", "2024-06-01"], ["2024-09-01", None], "month")
    assert t.tolist() == [8, 3] and churned.tolist() == [True, False]


def test_median_not_available_when_survival_stays_above_half():
    with pytest.raises(NotAvailable, match="MEDIAN_LIFETIME: end_dates has survival above 50 % .*longer "
                                           "than the data shows"):
        median_lifetime(["2024-01-01"] * 4, ["2024-03-01", None, None, None], "month", "2024-12-01")


# --------------------------------------------------------------------------- faces, shapes, bad input


def test_udf_shaped_input_serials_persian_digits_and_blanks():
    # the small hand example again: 45292 = 2024-01-01; Persian-digit text; a blank row
    args = ([[45292.0], ["۲۰۲۴-۰۱-۰۱"], [None], ["2024-01-15"], [dt.datetime(2024, 1, 1)]],
            [["2024-02-01"], [45352.0], [None], [None], ["۲۰۲۴-۰۴-۰۱"]],
            [["month"]], [["2024-05-01"]])
    cells = excel.call(REGISTRY["SURVIVAL_CURVE"], args)
    assert cells[0] == ["Period", "At risk", "Churned", "Censored", "Survival", "Low (95 %)", "High (95 %)"]
    assert [r[4] for r in cells[1:]] == pytest.approx([1.0, 0.75, 0.5, 0.25], abs=1e-12)
    assert cells[1][5:] == [1.0, 1.0]
    assert excel.call(REGISTRY["MEDIAN_LIFETIME"], args) == 2.0
    body = excel.call(REGISTRY["SURVIVAL_CURVE"], args + ([[None]], False))
    assert len(body) == 4 and body[0][0] == 0.0


def test_segments_are_curves_of_their_rows():
    rng = random.Random(7)
    starts = [dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(300)) for _ in range(120)]
    ends = [None if rng.random() < 0.3 else s + dt.timedelta(days=rng.randrange(400)) for s in starts]
    seg = [rng.choice(["Basic", "Pro"]) for _ in starts]
    t = survival_curve(starts, ends, "month", "2024-06-30", None, "en", seg)
    for name in ("Basic", "Pro"):
        idx = [i for i, g in enumerate(seg) if g == name]
        want = survival_curve([starts[i] for i in idx], [ends[i] for i in idx], "month", "2024-06-30")
        got = t[t["segment"] == name].drop(columns="segment").reset_index(drop=True)
        pd.testing.assert_frame_equal(got, want)


def test_bad_input():
    with pytest.raises(InvalidInput, match="end_dates .*row 2, before the start date"):
        survival_curve(["2024-01-01", "2024-05-01"], [None, "2024-04-01"])
    with pytest.raises(InvalidInput, match="start_dates is blank in row 1"):
        survival_curve([None], ["2024-04-01"])
    with pytest.raises(InvalidInput, match="period .*\"month\""):
        survival_curve(["2024-01-01"], [None], "fortnight")
    with pytest.raises(OutOfRange, match="confidence is 95"):
        survival_curve(["2024-01-01"], [None], "month", None, 95)
    with pytest.raises(InvalidInput, match="as_of .*before every start date"):
        survival_curve(["2024-01-01"], [None], "month", "2023-01-01")
    with pytest.raises(InvalidInput, match="same size"):
        survival_curve(["2024-01-01", "2024-01-02"], [None])
    with pytest.raises(NotAvailable, match="no rows"):
        median_lifetime([None], [None])


def test_import_stays_light():
    # lifelines (and scipy, matplotlib behind it) load only when a survival function runs
    code = "import sys, xl_cskpi; print(sorted(m for m in ('lifelines', 'scipy', 'matplotlib') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --------------------------------------------------------------------------- a long export's days (issue 17.2)


def test_year_month_day_of_a_long_export_through_its_table_of_days():
    # a long column's year/month/day come from a table of the days between its first and last day;
    # numpy's own calendar conversion of each day is the reference (leap days, days before 1970)
    from xl_cskpi.tables.survival import _ymd, _ymd_of

    rng = np.random.default_rng(2)
    d = (np.datetime64("1968-02-27") + rng.integers(0, 3000, 20_000).astype("timedelta64[D]"))
    got = _ymd(d)
    want = _ymd_of(d)
    assert all(np.array_equal(a, b) for a, b in zip(got, want))
    assert (1968, 2, 29) in set(zip(*(x.tolist() for x in got)))
    short = d[:100]  # a short column: directly
    assert all(np.array_equal(a, b) for a, b in zip(_ymd(short), _ymd_of(short)))
    wide = np.array(["1900-01-01", "2200-12-31"] * 3000, dtype="datetime64[D]")  # a span longer than the rows
    assert all(np.array_equal(a, b) for a, b in zip(_ymd(wide), _ymd_of(wide)))


@pytest.mark.parametrize("seed", range(4))
def test_survival_curve_does_not_depend_on_the_row_order(seed):
    rnd = random.Random(seed)
    rows = []
    for _ in range(5000):
        s = dt.date(2021, 1, 1) + dt.timedelta(days=rnd.randrange(900))
        rows.append((s, None if rnd.random() < 0.4 else s + dt.timedelta(days=rnd.randrange(1, 600))))
    starts, ends = zip(*rows)
    want = survival_curve(pd.Series(pd.to_datetime(starts)), pd.Series(pd.to_datetime(ends)))
    rnd.shuffle(rows)
    starts, ends = zip(*rows)
    got = survival_curve(pd.Series(pd.to_datetime(starts)), pd.Series(pd.to_datetime(ends)))
    pd.testing.assert_frame_equal(got, want, check_exact=True)
