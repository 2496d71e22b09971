"""The demo's monthly customer counts are counted in the report's calendar (issue 14).

Before: ``xl-cskpi demo --lang ar`` wrote Gregorian months (rows dated 1 Jan ... 1 Dec 2024) and the
Arabic overview read them as Hijri months: Gregorian December's counts under Jumada I 1446, and no
row at all for Jumada II 1446 (2-31 December: no 1st of a Gregorian month in it), the latest
complete month of the surveys and tickets and so the month shown: churn rate and active customers
were #N/A there. Now the sample counts its customers per month of the report's calendar.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from xl_cskpi import calendars, sample
from xl_cskpi.engines import compute
from xl_cskpi.exports.check import ReadOptions
from xl_cskpi.reports import reports
from xl_cskpi.reports.builder import build
from xl_cskpi.reports.fill import load_data


@pytest.mark.parametrize("calendar, last", [("hijri", "1446-06"), ("jalali", "1403-09")])
def test_months_are_the_calendar_months_of_the_customer_list(calendar, last):
    ex = sample.generate(calendar=calendar)
    months = ex["months"]
    assert months["Month"].iloc[-1] == last       # the last month that ends by 31 December 2024
    # independent: the engines' count of a customer list (engines.reference._spans) on the same
    # customers, for the months the sample keeps (whole months inside 2024)
    c = ex["customers"].rename(columns={"started_at": "start", "canceled_at": "end"})[["start", "end"]]
    ref = compute("monthly_churn", c, calendar=calendar)
    ref["label"] = calendars.period_labels(ref["month"].to_numpy(), "month", calendar).astype(str)
    ref = ref.set_index("label").loc[months["Month"]]
    for ours, theirs in (("Customers at start", "customers_start"), ("New customers", "customers_new"),
                         ("Churned customers", "customers_lost"), ("Customers at end", "customers_end")):
        assert months[ours].tolist() == ref[theirs].tolist(), ours
    assert (months["Renewals"] <= months["Renewals due"]).all()


def test_the_gregorian_sample_is_unchanged_and_the_others_share_its_exports():
    g, h = sample.generate(), sample.generate(calendar="hijri")
    for name in g:
        if name not in ("months", "customers", "subscriptions", "finance"):
            pd.testing.assert_frame_equal(g[name], h[name])
    # the monthly billing and finance rows are the same rows, dated on the first days of the twelve
    # Hijri months ending at the counts' last month (hijridate: 1 Rajab 1445 = 2024-01-13,
    # 1 Jumada II 1446 = 2024-12-02)
    from hijridate import Hijri

    for name in ("subscriptions", "finance"):
        pd.testing.assert_frame_equal(g[name].drop(columns="month"), h[name].drop(columns="month"))
    firsts = [pd.Timestamp(Hijri(1445 + (6 + k) // 12, (6 + k) % 12 + 1, 1).to_gregorian()) for k in range(12)]
    assert sorted(h["finance"]["month"]) == firsts and firsts[0] == pd.Timestamp("2024-01-13")
    assert sorted(h["subscriptions"]["month"].unique()) == firsts and firsts[-1] == pd.Timestamp("2024-12-02")
    # the customers keep their ids, plans and Gregorian months; only the day within the month moves
    assert g["customers"]["customer_id"].tolist() == h["customers"]["customer_id"].tolist()
    gm = pd.to_datetime(g["customers"]["canceled_at"]).dt.to_period("M")
    hm = pd.to_datetime(h["customers"]["canceled_at"]).dt.to_period("M")
    assert (gm.isna() == hm.isna()).all() and (gm.dropna() == hm.dropna()).all()


def test_the_arabic_overview_has_churn_and_customers_in_the_month_shown(tmp_path):
    ex = sample.generate(calendar="hijri")
    paths = sample.write_csv(ex, tmp_path / "exports")
    report = reports()["overview"]
    files = [paths[k] for k, t in sample.EXPORTS.items() if t in {tb.name for tb in report.tables}]
    data, check = load_data(report, files, ReadOptions(lang="ar"))
    v = build(report, tmp_path / "o.xlsx", lang="ar", data=data, values=True, check=check)
    months = ex["months"].set_index("Month")
    row = months.loc["1446-06"]         # the month shown: the latest complete month of every table
    assert math.isclose(v["churn_rate"], row["Churned customers"] / row["Customers at start"], abs_tol=1e-12)
    assert v["customers_end"] == row["Customers at end"]
    assert not [f for f in check if f.code == "month_calendar"]
