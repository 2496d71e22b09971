"""Movement-based NRR/GRR (xl_cskpi.tables.revenue_movements) against an independent pandas
computation over 3-, 6- and 12-month windows, ChartMogul's published examples, the snapshot NRR/GRR
over one month, the Excel face and bad input.

Definitions checked:
* ChartMogul, "Chart: Net MRR Retention" (help.chartmogul.com/hc/en-us/articles/6886664393500):
  starting MRR of the subscribers active at the start of the interval; expansion, contraction and
  churn in the interval; "Excludes New Business and Reactivation".
* ChartMogul, "Chart: Gross MRR Retention" (article 6886621218332): "(Starting MRR - Contraction MRR -
  Churn MRR) / Starting MRR"; "$100 ... lose $10 to churn and $10 to contraction ... 80%".
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xl_cskpi import grr, grr_movements, mrr_movements, nrr, nrr_movements
from xl_cskpi.errors import DivisionByZero, InvalidInput, NotAvailable, OutOfRange
from xl_cskpi.tables.revenue_movements import retention_movements

from xlwings_stubs import classic_xlwings

MONTHS = pd.period_range("2023-01", periods=30, freq="M").strftime("%Y-%m").tolist()


def random_export(seed: int, customers: int = 60) -> pd.DataFrame:
    """Rows of customer | month | mrr with gaps (churn and reactivation), expansions, contractions,
    several rows per customer-month (plans and add-ons) and some rows with MRR 0."""
    rng = np.random.default_rng(seed)
    rows = []
    for c in range(customers):
        start = int(rng.integers(0, len(MONTHS) - 1))
        level = float(rng.choice([10, 20, 50, 100, 250]))
        paying = True
        for m in range(start, len(MONTHS)):
            r = rng.random()
            if paying and r < 0.08:
                paying = False                      # churn
            elif not paying and r < 0.25:
                paying = True                       # reactivation
            if paying:
                if rng.random() < 0.2:
                    level = max(5.0, level + float(rng.choice([-20, -10, 10, 30])))
                parts = int(rng.integers(1, 3))     # 1 or 2 rows this month
                for k in range(parts):
                    rows.append((f"c{c}", MONTHS[m], level / parts))
            elif rng.random() < 0.3:
                rows.append((f"c{c}", MONTHS[m], 0.0))   # an explicit 0 row: not paying
    frame = pd.DataFrame(rows, columns=["customer", "month", "mrr"])
    return frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)  # any row order


def pandas_nrr_grr(frame: pd.DataFrame, window: int, end: str) -> tuple[float, float]:
    """Independent computation: a customer x month pivot; starting customers pay in the month
    before the window; NRR keeps the end MRR of those who paid in every month of the window; GRR
    keeps each one's lowest MRR over the base month and the window (0 if any month is unpaid)."""
    pivot = frame.pivot_table(index="customer", columns="month", values="mrr", aggfunc="sum", fill_value=0.0)
    pivot = pivot.reindex(columns=MONTHS, fill_value=0.0)
    e = MONTHS.index(end)
    span = MONTHS[e - window:e + 1]                 # base month + the window's months
    block = pivot[span]
    base = block[span[0]] > 0
    block = block[base]
    start = block[span[0]].sum()
    stayed = (block > 0).all(axis=1)
    net = block[span[-1]].where(stayed, 0.0).sum()
    gross = block.min(axis=1).sum()
    return net / start, gross / start


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
@pytest.mark.parametrize("window", [3, 6, 12])
def test_equals_an_independent_pandas_computation(seed, window):
    frame = random_export(seed)
    for end in (MONTHS[-1], MONTHS[-4], MONTHS[window + 2]):
        want_net, want_gross = pandas_nrr_grr(frame, window, end)
        got_net = nrr_movements(frame["customer"], frame["month"], frame["mrr"], window, end)
        got_gross = grr_movements(frame["customer"], frame["month"], frame["mrr"], window, end)
        assert got_net == pytest.approx(want_net, rel=1e-12)
        assert got_gross == pytest.approx(want_gross, rel=1e-12)
        assert got_gross <= got_net + 1e-12


@pytest.mark.parametrize("seed", [5, 6])
def test_parts_close_with_the_monthly_movements_of_mrr_movements(seed):
    # the starting MRR is MRR_MOVEMENTS' Starting MRR of the window's first month; the starting
    # customers' movements, followed until they first stop paying, bridge to the retained MRR
    frame = random_export(seed)
    moves = mrr_movements(frame["customer"], frame["month"], frame["mrr"]).set_index("Month")
    parts = retention_movements(frame["customer"], frame["month"], frame["mrr"], 6)
    assert parts["start_month"] == MONTHS[-6] and parts["end_month"] == MONTHS[-1]
    assert parts["starting_mrr"] == pytest.approx(moves.loc[MONTHS[-6], "Starting MRR"])
    assert parts["customers_start"] == moves.loc[MONTHS[-6], "Customers at start"]
    bridge = parts["starting_mrr"] + parts["expansion_mrr"] - parts["contraction_mrr"] - parts["churned_mrr"]
    assert bridge == pytest.approx(parts["retained_mrr"])
    # the starting customers' movements are part of the whole bridge's movements
    window = moves.loc[MONTHS[-6]:]
    assert parts["expansion_mrr"] <= window["Expansion MRR"].sum() + 1e-9
    assert parts["churned_mrr"] <= window["Churned MRR"].sum() + 1e-9


def test_chartmogul_examples_over_one_month_equal_the_snapshot():
    # ChartMogul: start 100; churn 10, contraction 10, expansion 10 -> NRR 90 %, GRR 80 %
    ids = ["A", "B", "C", "D"] * 2
    months = ["2024-09"] * 4 + ["2024-10"] * 4
    mrr = [10, 20, 30, 40, 0, 10, 40, 40]
    assert nrr_movements(ids, months, mrr, 1) == pytest.approx(0.90, abs=1e-12)
    assert grr_movements(ids, months, mrr, 1) == pytest.approx(0.80, abs=1e-12)
    # a new customer in October changes neither (new business is excluded)
    assert nrr_movements(ids + ["E"], months + ["2024-10"], mrr + [500], 1) == pytest.approx(0.90)


@pytest.mark.parametrize("seed", [7, 8, 9])
def test_one_month_window_equals_the_snapshot_nrr_grr(seed):
    frame = random_export(seed)
    pivot = frame.pivot_table(index="customer", columns="month", values="mrr", aggfunc="sum", fill_value=0.0)
    prev, cur = pivot[MONTHS[-2]].tolist(), pivot[MONTHS[-1]].tolist()
    assert nrr_movements(frame["customer"], frame["month"], frame["mrr"], 1) == pytest.approx(nrr(prev, cur))
    assert grr_movements(frame["customer"], frame["month"], frame["mrr"], 1) == pytest.approx(grr(prev, cur))


def test_longer_windows_sit_below_the_snapshot_when_customers_leave_and_return():
    # hand: A and B pay 50 from August; A leaves in October and returns in November; C downgrades
    # 100 -> 80 in October and goes back to 100 in November
    ids = ["A", "B", "C"] * 4
    months = [m for m in ("2024-08", "2024-09", "2024-10", "2024-11") for _ in range(3)]
    mrr = [50, 50, 100, 50, 50, 100, 0, 50, 80, 50, 50, 100]
    # snapshot (August vs November): everybody where they started -> 1.0 and 1.0
    assert nrr([50, 50, 100], [50, 50, 100]) == 1.0 and grr([50, 50, 100], [50, 50, 100]) == 1.0
    # movements: A churned (50 lost; the return is reactivation): NRR (50 + 100) / 200
    assert nrr_movements(ids, months, mrr, 3) == pytest.approx(0.75)
    # and C's lowest MRR over the window was 80: GRR (50 + 80) / 200
    assert grr_movements(ids, months, mrr, 3) == pytest.approx(0.65)


@given(st.lists(st.tuples(st.sampled_from("ABCDEF"), st.integers(0, 7), st.sampled_from([0, 10, 25, 40])),
                min_size=1, max_size=60), st.integers(1, 6))
@settings(max_examples=60, deadline=None)
def test_identities_on_any_export(rows, window):
    months = [MONTHS[m] for _, m, _ in rows]
    ids, mrr = [r[0] for r in rows], [r[2] for r in rows]
    try:
        parts = retention_movements(ids, months, mrr, window)
    except NotAvailable:
        return                                         # the window reaches before the export
    if parts["starting_mrr"] == 0:
        return
    start = parts["starting_mrr"]
    assert start + parts["expansion_mrr"] - parts["contraction_mrr"] - parts["churned_mrr"] == \
        pytest.approx(parts["retained_mrr"], abs=1e-9)
    assert 0 <= parts["gross_retained_mrr"] <= min(start, parts["retained_mrr"]) + 1e-9
    frame = pd.DataFrame({"customer": ids, "month": months, "mrr": mrr})
    end = max(months)
    want_net, want_gross = pandas_nrr_grr(frame, window, end)
    assert parts["retained_mrr"] / start == pytest.approx(want_net)
    assert parts["gross_retained_mrr"] / start == pytest.approx(want_gross)


@pytest.fixture(scope="module")
def udfs():
    with classic_xlwings() as (ours, _):
        yield ours


def test_excel_face_with_xlwings_shaped_input(udfs):
    ids = [["A"], ["B"], ["A"], ["B"], ["B"], ["A"], ["B"], [None]]
    months = [["2024-08"], ["2024-08"], ["2024-09"], ["2024-09"], ["2024-10"], ["2024-11"], ["2024-11"], [None]]
    mrr = [[50.0], [50.0], [50.0], [50.0], [50.0], [50.0], [50.0], [None]]
    assert udfs.NRR_MOVEMENTS(ids, months, mrr, 3.0) == pytest.approx(0.5)
    assert udfs.GRR_MOVEMENTS(ids, months, mrr, 3.0, "2024-11") == pytest.approx(0.5)
    assert udfs.NRR_MOVEMENTS(ids, months, mrr, 1.0, [[None]]) == pytest.approx(1.0)   # blank end: last month
    got = udfs.NRR_MOVEMENTS(ids, months, mrr, 12.0)
    assert got.startswith("#N/A NRR_MOVEMENTS: window is 12 months ending in 2024-11, which needs the MRR of "
                          "2023-11"), got
    assert udfs.GRR_MOVEMENTS(ids, months, mrr, 1.0, "2025-03").startswith("#N/A GRR_MOVEMENTS: end_month is 2025-03")


def test_jalali_months_and_serial_dates():
    # 1403-06 = 22 Aug - 21 Sep 2024; dates are bucketed by the Jalali calendar
    ids = ["A", "A", "B", "B"]
    dates = ["2024-08-25", "2024-09-25", "2024-08-25", "2024-09-25"]     # 1403-06 and 1403-07
    assert nrr_movements(ids, dates, [100, 120, 100, 0], 1, "1403-07", "jalali") == pytest.approx(0.6)
    serials = [45529.0, 45560.0, 45529.0, 45560.0]                      # the same dates as serials
    assert nrr_movements([[i] for i in ids], [[s] for s in serials], [[100], [120], [100], [0]], 1, None,
                         "jalali") == pytest.approx(0.6)


@pytest.mark.parametrize("kw, error, text", [
    ({"window": 0}, OutOfRange, "window is 0"),
    ({"window": 2.5}, OutOfRange, "whole number"),
    ({"window": "twelve"}, InvalidInput, "window"),
    ({"window": 3}, NotAvailable, "needs the MRR of 2024-06"),
    ({"window": 1, "end_month": "2025-01"}, NotAvailable, "outside the export"),
    ({"window": 1, "end_month": "2024-08"}, NotAvailable, "needs the MRR of 2024-07"),
    ({"calendar": "julian"}, InvalidInput, "calendar"),
])
def test_bad_arguments(kw, error, text):
    with pytest.raises(error, match=text):
        nrr_movements(["A", "A"], ["2024-08", "2024-09"], [10, 10], **kw)


def test_bad_rows_and_empty_base():
    with pytest.raises(OutOfRange, match="mrr is -5 in row 2"):
        grr_movements(["A", "A"], ["2024-08", "2024-09"], [10, -5], 1)
    with pytest.raises(InvalidInput, match="months is blank in row 2"):
        nrr_movements(["A", "A"], ["2024-08", None], [10, 10], 1)
    with pytest.raises(InvalidInput, match="months has 1 cells but customer_ids has 2"):
        nrr_movements(["A", "A"], ["2024-08"], [10, 10], 1)
    with pytest.raises(NotAvailable, match="no rows"):
        nrr_movements([None], [None], [None], 1)
    # nobody paying in the month before the window: no starting MRR
    with pytest.raises(DivisionByZero, match="no customer paying in the month before 2024-09"):
        nrr_movements(["A", "A"], ["2024-08", "2024-09"], [0, 10], 1)
    # Persian digits in the amounts and the month labels
    assert nrr_movements(["A", "A"], ["۱۴۰۳-۰۶", "۱۴۰۳-۰۷"], ["۱۰۰", "۸۰"], 1, calendar="jalali") == \
        pytest.approx(0.8)


# --------------------------------------------------------------------------- the trend table

from xl_cskpi import revenue_retention_movements  # noqa: E402


@pytest.mark.parametrize("window", [1, 3, 12])
def test_trend_rows_equal_the_scalar_functions_and_pandas(window):
    frame = random_export(11)
    t = revenue_retention_movements(frame["customer"], frame["month"], frame["mrr"], window)
    first = MONTHS.index(frame["month"].min())
    assert t["Month"].tolist() == MONTHS[first + window:]
    assert t["Window start"].tolist() == MONTHS[first + 1:len(MONTHS) - window + 1]
    for row in t.itertuples():
        if row._4 == 0:          # Starting MRR: nobody paying before the window
            assert np.isnan(row.NRR) and np.isnan(row.GRR)
            continue
        want_net, want_gross = pandas_nrr_grr(frame, window, row.Month)
        assert row.NRR == pytest.approx(want_net, rel=1e-12) and row.GRR == pytest.approx(want_gross, rel=1e-12)
    last = t.iloc[-1]
    assert last["NRR"] == pytest.approx(nrr_movements(frame["customer"], frame["month"], frame["mrr"], window))
    bridge = last["Starting MRR"] + last["Expansion MRR"] - last["Contraction MRR"] - last["Churned MRR"]
    assert bridge == pytest.approx(last["Retained MRR"])


def test_trend_segments_and_short_exports(udfs):
    ids = [["A"], ["B"], ["A"], ["B"], ["B"], ["A"], ["B"]]
    months = [["2024-08"], ["2024-08"], ["2024-09"], ["2024-09"], ["2024-10"], ["2024-11"], ["2024-11"]]
    mrr = [[50.0]] * 7
    got = udfs.REVENUE_RETENTION_MOVEMENTS(ids, months, mrr, 3.0)
    assert got[0] == ["Month", "Window start", "Customers at start", "Starting MRR", "Expansion MRR",
                      "Contraction MRR", "Churned MRR", "Retained MRR", "NRR", "GRR"]
    assert got[1][:2] == ["2024-11", "2024-09"] and got[1][-2:] == [0.5, 0.5]
    short = udfs.REVENUE_RETENTION_MOVEMENTS(ids, months, mrr, 4.0)
    assert short.startswith("#N/A REVENUE_RETENTION_MOVEMENTS: window is 4 months, but the export spans 4"), short
    seg = revenue_retention_movements(["A", "B", "A", "B"], ["2024-08", "2024-08", "2024-09", "2024-09"],
                                      [50, 50, 50, 0], 1, "gregorian", "en", ["x", "y", "x", "y"])
    assert seg[["segment", "NRR"]].values.tolist() == [["x", 1.0], ["y", 0.0]]
