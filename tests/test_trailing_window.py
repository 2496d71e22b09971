"""CHURN_TRAILING's window ends at a month (reviewer's G22, session 5).

The unit-economics dashboard's trailing churn averaged the latest rows of the Finance table whatever
month it showed: --period 2024-03 read 4.0 % (February to June, June still in progress) where the
months up to March lost nobody. Expected values by hand from the counts below (customers at the start
0, 4, 5, 5, 4, 4 and lost 0, 0, 0, 1, 0, 0 for January to June 2024; January has no customers at its
start, so it has no rate): through March, mean(0/4, 0/5) = 0; through April, mean(0, 0, 1/5) = 1/15;
through May, mean(0, 0, 0.2, 0) = 0.05, compounded 1 - 0.95^12 = 45.96 %.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from xl_cskpi.errors import InvalidInput
from xl_cskpi.exports.check import ReadOptions
from xl_cskpi.registry import REGISTRY
from xl_cskpi.reports import reports
from xl_cskpi.reports.builder import build
from xl_cskpi.reports.fill import load_data

F = REGISTRY["CHURN_TRAILING"].func
START, LOST = [0, 4, 5, 5, 4, 4], [0, 0, 0, 1, 0, 0]
MONTHS = [f"2024-{m:02d}-01" for m in range(1, 7)]


@pytest.mark.parametrize("through, want", [("2024-03", 0.0), ("2024-04", 1 / 15), ("2024-05", 0.05),
                                           (dt.datetime(2024, 4, 20), 1 / 15), (None, 0.04), ("", 0.04)])
def test_window_ends_at_the_month(through, want):
    assert math.isclose(F(START, LOST, 6, "mean", MONTHS, through), want, abs_tol=1e-15)


def test_xlwings_shaped_input_and_local_calendars():
    col = lambda xs: [[x] for x in xs]      # noqa: E731  a column as xlwings passes it
    assert math.isclose(F(col(START), col(LOST), 6, None, col(MONTHS), "2024-04"), 1 / 15)
    # Jalali 1403-01 runs 20 March - 19 April 2024: the row of 1 April is in it
    assert math.isclose(F(START, LOST, 6, "mean", MONTHS, "1403-01", "jalali"), 1 / 15)
    assert math.isclose(F(START, LOST, 6, "mean", MONTHS, "۱۴۰۲-۱۲", "jalali"), 0.0)


def test_bad_months():
    with pytest.raises(InvalidInput, match="through has no row up to this month"):
        F(START, LOST, 6, "mean", MONTHS, "2023-12")
    with pytest.raises(InvalidInput, match="through must be one month"):
        F(START, LOST, 6, "mean", MONTHS, ["2024-03", "2024-04"])
    with pytest.raises(InvalidInput, match="row_months is blank in row 6"):
        F(START, LOST, 6, "mean", MONTHS[:5] + [None], "2024-03")
    with pytest.raises(InvalidInput, match="row_months has 5 cells"):
        F(START, LOST, 6, "mean", MONTHS[:5], "2024-03")


@pytest.mark.parametrize("period, churn, annual", [("2024-03", 0.0, 0.0), ("2024-05", 0.05, 1 - 0.95 ** 12)])
def test_the_dashboard_follows_the_month_shown(tmp_path, period, churn, annual):
    p = tmp_path / "finance.csv"
    p.write_text("month,customers_start,customers_new,customers_lost,revenue,gross_margin,marketing_spend\n"
                 + "".join(f"{m},{s},{n},{lo},1000,70%,500\n" for m, s, n, lo in
                           zip(MONTHS, START, [4, 1, 1, 0, 0, 0], LOST)))
    data, check = load_data(reports()["unit_economics"], [p], ReadOptions(lang="en"))
    v = build(reports()["unit_economics"], tmp_path / "u.xlsx", data=data, values=True, check=check, period=period)
    assert math.isclose(v["churn_trailing"], churn, abs_tol=1e-15)
    assert math.isclose(v["annual_churn"], annual, rel_tol=1e-12, abs_tol=1e-15)


def test_a_gross_margin_typed_as_a_percent_number_reads_na_not_7100_percent(tmp_path):
    # reviewer's U13 (session 4): margins typed 70, 72, 71 showed "Gross margin (average) 7,100.0 %" beside
    # LTV's #NUM! "enter 0.7 or 70%"; the row now says the same. Typed 70%, 72%, 71%: 71 % (by hand)
    from xl_cskpi.reports.specs.unit_economics import ASK_GM

    for typed, want in (("70,72,71", ASK_GM), ("70%,72%,71%", 0.71)):
        p = tmp_path / "finance.csv"
        p.write_text("month,customers_start,customers_new,customers_lost,revenue,gross_margin,marketing_spend\n"
                     + "".join(f"2024-0{m},200,20,10,21000,{g},10000\n" for m, g in zip((4, 5, 6), typed.split(","))))
        data, check = load_data(reports()["unit_economics"], [p], ReadOptions(lang="en"))
        v = build(reports()["unit_economics"], tmp_path / "u.xlsx", data=data, values=True, check=check)
        got = v["_whole"]["gross_margin"]
        assert got == want if isinstance(want, str) else math.isclose(got, want)
        shown = v["gross_margin"]                 # the month shown's (June: 71 or 71 %)
        assert shown == want if isinstance(want, str) else math.isclose(shown, 0.71)
