"""CHURN_RATE_BETWEEN and ACTIVE_CUSTOMERS: the boundary convention, both churn rules, bad input."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xl_cskpi import active_customers, churn_rate_between
from xl_cskpi.errors import DivisionByZero, InvalidInput, NotAvailable

# One row per customer. Period: 1-30 September 2024.
#   row  start        end          role in September (hand classification)
#   1    2024-01-10   --           base, stays
#   2    2024-03-01   2024-09-20   base, lost
#   3    2024-06-15   2024-09-01   base, lost on the first day (end = first day not a customer)
#   4    2024-08-31   2024-10-01   base, stays (leaves the day after the period)
#   5    2024-02-01   2024-08-31   not in base: left before September
#   6    2024-09-01   2024-09-30   new (starts on the first day), lost within the period
#   7    2024-09-05   --           new, stays
#   8    2024-09-30   2024-09-30   new and lost the same day (a zero-length customer)
#   9    2024-10-01   --           starts after the period: nowhere
STARTS = ["2024-01-10", "2024-03-01", "2024-06-15", "2024-08-31", "2024-02-01", "2024-09-01",
          "2024-09-05", "2024-09-30", "2024-10-01"]
ENDS = [None, "2024-09-20", "2024-09-01", "2024-10-01", "2024-08-31", "2024-09-30", None,
        "2024-09-30", None]
SEP = ("2024-09-01", "2024-09-30")


def test_seed_rule_counts_new_customers_who_leave():
    # hand calculation: base = rows 1-4 = 4; lost = rows 2, 3 = 2; new and lost = rows 6, 8 = 2
    # seed rule: (2 + 2) / 4 = 1.0
    assert churn_rate_between(STARTS, ENDS, *SEP) == pytest.approx(1.0)
    assert churn_rate_between(STARTS, ENDS, *SEP, count_new_churn=True) == pytest.approx(1.0)


def test_chartmogul_rule_leaves_them_out():
    # hand calculation: ChartMogul counts only the customers at the start who churned: 2 / 4 = 0.5
    assert churn_rate_between(STARTS, ENDS, *SEP, count_new_churn=False) == pytest.approx(0.5)
    assert churn_rate_between(STARTS, ENDS, *SEP, "FALSE") == pytest.approx(0.5)
    assert churn_rate_between(STARTS, ENDS, *SEP, 0) == pytest.approx(0.5)


def test_active_customers_by_hand():
    # hand calculation (start <= day < end):
    # 31 Aug: rows 1, 2, 3, 4 (row 5 leaves on 31 Aug, row 4 starts that day) = 4 = September's base
    assert active_customers(STARTS, ENDS, "2024-08-31") == 4
    # 1 Sep: rows 1, 2, 4, 6 (row 3 leaves on 1 Sep, row 6 starts) = 4
    assert active_customers(STARTS, ENDS, "2024-09-01") == 4
    # 30 Sep: rows 1, 4, 7 (row 6 and row 8 end on 30 Sep) = 3 = 4 - 2 + 4 - 2 (base - lost + new - new lost)
    assert active_customers(STARTS, ENDS, "2024-09-30") == 3
    assert active_customers(STARTS, ENDS, "2023-01-01") == 0


def test_consecutive_periods_count_each_loss_once():
    # rows 3 (ends 1 Sep) and 5 (ends 31 Aug): August loses row 5 only, September row 3 only
    aug = churn_rate_between(STARTS, ENDS, "2024-08-01", "2024-08-31", False)
    # hand calculation: August base = rows 1, 2, 3, 5 = 4; lost = row 5 = 1 -> 0.25
    assert aug == pytest.approx(0.25)


def test_input_kinds_dates_serials_xlwings_rows_pandas():
    def serial(s):
        return None if s is None else float((dt.date.fromisoformat(s) - dt.date(1899, 12, 30)).days)

    starts = [[serial(s)] for s in STARTS] + [[None]]
    ends = [[serial(e)] for e in ENDS] + [[None]]  # a trailing blank row is skipped
    assert churn_rate_between(starts, ends, [[serial(SEP[0])]], dt.date(2024, 9, 30)) == pytest.approx(1.0)
    ts = pd.Series(pd.to_datetime(STARTS))
    te = pd.Series(pd.to_datetime(ENDS))
    assert churn_rate_between(ts, te, *SEP, False) == pytest.approx(0.5)
    # times of day are ignored: a churn at 09:00 on 1 Sep is still a September loss of a base customer
    with_time = [e if e is None else e + " 09:00" for e in ENDS]
    assert churn_rate_between(STARTS, with_time, "2024-09-01 18:00", SEP[1], False) == pytest.approx(0.5)
    # Persian digits in text dates
    fa = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    assert active_customers([s.translate(fa) for s in STARTS], ENDS, "2024-09-30".translate(fa)) == 3


@given(st.lists(st.tuples(st.integers(0, 60), st.one_of(st.none(), st.integers(0, 60))), min_size=1,
                max_size=40),
       st.integers(0, 60), st.integers(0, 30), st.randoms(use_true_random=False))
def test_counts_add_up_and_shuffling_changes_nothing(spans, p0, length, rnd):
    base_day = dt.date(2024, 1, 1)
    day = lambda k: base_day + dt.timedelta(days=k)  # noqa: E731
    rows = [(s, None if e is None else s + e) for s, e in spans]  # end >= start
    starts = [day(s) for s, _ in rows]
    ends = [None if e is None else day(e) for _, e in rows]
    first, last = day(p0), day(p0 + length)
    # counted independently, customer by customer
    base = sum(s < p0 and (e is None or e >= p0) for s, e in rows)
    lost = sum(s < p0 and e is not None and p0 <= e <= p0 + length for s, e in rows)
    new = sum(p0 <= s <= p0 + length for s, _ in rows)
    new_lost = sum(p0 <= s <= p0 + length and e is not None and e <= p0 + length for s, e in rows)
    # identity: customers at the close of period_end = base - lost + new - new and lost
    assert active_customers(starts, ends, last) == base - lost + new - new_lost
    assert active_customers(starts, ends, first - dt.timedelta(days=1)) == base
    if base == 0:
        with pytest.raises(DivisionByZero, match="period_start"):
            churn_rate_between(starts, ends, first, last)
        return
    seed = churn_rate_between(starts, ends, first, last)
    chartmogul = churn_rate_between(starts, ends, first, last, False)
    assert seed == pytest.approx((lost + new_lost) / base)
    assert chartmogul == pytest.approx(lost / base)
    assert 0 <= chartmogul <= 1 and seed >= chartmogul
    order = list(range(len(rows)))
    rnd.shuffle(order)
    assert churn_rate_between([starts[i] for i in order], [ends[i] for i in order], first, last) == seed


# --------------------------------------------------------------------------- bad input


def test_zero_base_is_div0():
    with pytest.raises(DivisionByZero,
                       match=r"CHURN_RATE_BETWEEN: period_start \(2024-01-01\) has no customers"):
        churn_rate_between(STARTS, ENDS, "2024-01-01", "2024-01-31")


def test_end_before_start_names_the_row():
    with pytest.raises(InvalidInput,
                       match=r"end_dates is 2024-08-01 in row 2, before the start date 2024-09-01"):
        churn_rate_between(["2024-01-01", "2024-09-01"], [None, "2024-08-01"], *SEP)
    with pytest.raises(InvalidInput, match=r"ACTIVE_CUSTOMERS: end_dates is 2024-08-01 in row 2"):
        active_customers(["2024-01-01", "2024-09-01"], [None, "2024-08-01"], "2024-09-01")


def test_period_end_before_start():
    with pytest.raises(InvalidInput, match=r"period_end is 2024-08-31, before period_start \(2024-09-01\)"):
        churn_rate_between(STARTS, ENDS, "2024-09-01", "2024-08-31")


def test_misaligned_blank_empty_and_unparseable():
    with pytest.raises(InvalidInput, match=r"end_dates has 1 cells but start_dates has 2"):
        churn_rate_between(["2024-01-01", "2024-02-01"], [None], *SEP)
    with pytest.raises(InvalidInput, match=r"start_dates is blank in row 2 where end_dates is filled"):
        churn_rate_between(["2024-01-01", None], [None, "2024-08-01"], *SEP)
    with pytest.raises(NotAvailable, match=r"start_dates has no rows"):
        churn_rate_between([], [], *SEP)
    with pytest.raises(NotAvailable):
        active_customers([[None], ["  "]], [[None], [None]], "2024-09-01")
    with pytest.raises(InvalidInput, match=r"start_dates has 'yesterday' in row 2, which is not a date"):
        churn_rate_between(["2024-01-01", "yesterday"], [None, None], *SEP)
    with pytest.raises(InvalidInput, match=r"period_start has 'Sept'"):
        churn_rate_between(STARTS, ENDS, "Sept", SEP[1])
    with pytest.raises(InvalidInput, match=r"period_start is empty"):
        churn_rate_between(STARTS, ENDS, None, SEP[1])
    with pytest.raises(InvalidInput, match=r"on_date must be one date"):
        active_customers(STARTS, ENDS, ["2024-09-01", "2024-09-02"])
    with pytest.raises(InvalidInput, match=r"count_new_churn is 'maybe'"):
        churn_rate_between(STARTS, ENDS, *SEP, "maybe")


def test_a_million_customers_is_vectorized():
    import time

    rng = np.random.default_rng(2)
    n = 1_000_000
    s = np.datetime64("2020-01-01", "ns") + rng.integers(0, 1500, n).astype("timedelta64[D]")
    e = s + rng.integers(0, 900, n).astype("timedelta64[D]")
    e[rng.random(n) < 0.4] = np.datetime64("NaT")
    t0 = time.perf_counter()
    rate = churn_rate_between(s, e, "2023-01-01", "2023-03-31", False)
    elapsed = time.perf_counter() - t0
    day0, day1 = np.datetime64("2023-01-01"), np.datetime64("2023-03-31")
    sd, ed = s.astype("datetime64[D]"), e.astype("datetime64[D]")
    base = (sd < day0) & (np.isnat(ed) | (ed >= day0))
    assert rate == pytest.approx((base & (ed <= day1)).sum() / base.sum())
    assert elapsed < 2.0, elapsed  # measured ~0.1 s


def test_through_the_excel_face():
    from xl_cskpi import excel
    from xl_cskpi.registry import REGISTRY

    col = lambda xs: [[None if x is None else dt.datetime.fromisoformat(x)] for x in xs]  # noqa: E731
    # hand calculation as above: seed rule 4 / 4, ChartMogul rule 2 / 4; a blank option is the default
    assert excel.call(REGISTRY["CHURN_RATE_BETWEEN"],
                      (col(STARTS), col(ENDS), [[SEP[0]]], [[SEP[1]]], [[None]])) == 1.0
    assert excel.call(REGISTRY["CHURN_RATE_BETWEEN"],
                      (col(STARTS), col(ENDS), [[SEP[0]]], [[SEP[1]]], [[False]])) == 0.5
    assert excel.call(REGISTRY["ACTIVE_CUSTOMERS"], (col(STARTS), col(ENDS), [["2024-09-30"]])) == 3.0


def test_end_date_9999_12_31_means_still_active():
    # exports and databases write "no end" as 9999-12-31 (past pandas' 2262 limit): still active.
    # Same customers as ENDS with the blank ends written that way (rows 1, 7, 9), as text, as a
    # date cell and as Excel's last serial 2958465: hand results as with blanks (1.0, 0.5, 3).
    for open_end in ("9999-12-31", dt.datetime(9999, 12, 31), 2958465.0):
        ends = [open_end if e is None else e for e in ENDS]
        assert churn_rate_between(STARTS, ends, *SEP) == pytest.approx(1.0)
        assert churn_rate_between(STARTS, ends, *SEP, False) == pytest.approx(0.5)
        assert active_customers(STARTS, ends, "2024-09-30") == 3
        assert active_customers([[s] for s in STARTS], [[e] for e in ends], "2030-01-01") == 3
