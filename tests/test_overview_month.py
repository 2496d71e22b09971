"""The overview's MRR and NRR are the month shown's (reviewer's finding F7, session 4).

They used to be the Accounts table's two MRR columns (a span of the user's choosing: January against
December in the demo) printed beside "Period shown 2024-12", so the overview's NRR (86 %) was a
year's while the revenue report's was December's (98.6 %). Expected values: an independent pandas
computation of ChartMogul's definitions on the same subscriptions export (MRR = the month's sum of
MRR; NRR = what the customers paying in the month before pay in the month / what they paid then).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from xl_cskpi import sample
from xl_cskpi.exports.check import ReadOptions
from xl_cskpi.reports import reports
from xl_cskpi.reports.builder import build
from xl_cskpi.reports.fill import load_data

R = reports()


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    ex = sample.generate()
    return ex, sample.write_csv(ex, tmp_path_factory.mktemp("exports"))


def _values(report, paths, tmp_path, period=None):
    r = R[report]
    files = [paths[k] for k, t in sample.EXPORTS.items() if t in {tb.name for tb in r.tables}]
    data, check = load_data(r, files, ReadOptions(lang="en"))
    return build(r, tmp_path / f"{report}.xlsx", data=data, values=True, check=check,
                 period=period)


def _month(subs: pd.DataFrame, month: str) -> tuple[float, float]:
    s = subs.assign(m=pd.to_datetime(subs["month"]).dt.strftime("%Y-%m"))
    by = s.pivot_table(index="customer_id", columns="m", values="mrr", aggfunc="sum", fill_value=0.0)
    before = str(pd.Period(month, "M") - 1)
    base = by[by[before] > 0]
    return float(by[month].sum()), float(base[month].sum() / base[before].sum())


@pytest.mark.parametrize("period", [None, "2024-04"])
def test_overview_mrr_and_nrr_are_the_month_shown(exports, tmp_path, period):
    ex, paths = exports
    v = _values("overview", paths, tmp_path, period)
    mrr, nrr = _month(ex["subscriptions"], period or "2024-12")
    assert math.isclose(v["mrr"], mrr, rel_tol=1e-12) and math.isclose(v["nrr"], nrr, rel_tol=1e-12)
    rev = _values("revenue", paths, tmp_path, period)    # the same numbers as the revenue report's
    assert math.isclose(v["mrr"], rev["mrr"], rel_tol=1e-12) and math.isclose(v["nrr"], rev["nrr"], rel_tol=1e-12)
    # and not the Accounts' January-to-December NRR the overview used to show
    a = ex["accounts"]
    base = a[a["MRR start"] > 0]
    assert not math.isclose(v["nrr"], base["MRR end"].sum() / base["MRR start"].sum(), rel_tol=1e-6)


def test_unit_economics_arpa_is_the_revenue_reports_arpa(tmp_path):
    # reviewer's finding F6: from a billing export, unit economics divided the month's MRR by the
    # customers at the start (two of whom had left; new ones not counted) while the revenue report
    # divides by the customers paying at the end (ChartMogul's ARPA = MRR / active customers).
    # tests/data/exports/stripe_subscriptions.csv (hand-written Stripe export) feeds both; the
    # independent check: the month's MRR over the customers paying in it, from the Subscriptions
    # table the revenue report derived (its MRR per customer and month).
    from pathlib import Path

    export = Path(__file__).parent / "data" / "exports" / "stripe_subscriptions.csv"
    out = {}
    for key in ("revenue", "unit_economics"):
        data, check = load_data(R[key], [export], ReadOptions(lang="en"))
        out[key] = (data, build(R[key], tmp_path / f"{key}.xlsx", data=data, values=True, check=check))
    subs = out["revenue"][0]["Subscriptions"]
    subs = subs.assign(m=pd.to_datetime(subs["month"]).dt.strftime("%Y-%m"))
    shown = out["unit_economics"][1]["_period"]
    assert shown == out["revenue"][1]["_period"]
    month = subs[(subs["m"] == shown) & (subs["mrr"] > 0)]
    want = month["mrr"].sum() / month["customer_id"].nunique()
    assert math.isclose(out["unit_economics"][1]["arpa"], want, rel_tol=1e-12)
    assert math.isclose(out["revenue"][1]["arpa"], want, rel_tol=1e-12)


def test_a_month_one_source_measures_only_in_part_is_in_progress():
    # reviewer's G18: a billing export measured to 15 June beside survey answers to 3 July; the overview
    # called June "the latest complete month" (the answers reach past it) and showed June's MRR measured
    # on the 15th. Each source's as_of now flags its own month: May is the latest complete one.
    import datetime as dt

    from xl_cskpi.reports.period import in_progress, latest_complete

    subs = pd.DataFrame({"customer_id": ["a", "a"], "month": pd.to_datetime(["2024-05-01", "2024-06-01"]),
                         "mrr": [10.0, 10.0]})
    subs.attrs["as_of"] = pd.Timestamp("2024-06-15")
    answers = pd.DataFrame({"submitted_at": pd.to_datetime(["2024-05-10", "2024-06-20", "2024-07-03"]),
                            "nps_score": [9, 10, 7]})
    months = ["2024-05", "2024-06", "2024-07"]
    flags = in_progress(months, "gregorian", dt.date(2026, 12, 1), {"Subscriptions": subs, "Responses": answers},
                        R["overview"])
    assert flags == [False, True, True]
    assert latest_complete(months, progress=flags) == "2024-05"
    # measured to 27 June (within the 7-day grace of the month's end): June is complete
    subs.attrs["as_of"] = pd.Timestamp("2024-06-27")
    answers = pd.DataFrame({"submitted_at": pd.to_datetime(["2024-05-10", "2024-06-28"]), "nps_score": [9, 10]})
    assert in_progress(months[:2], "gregorian", dt.date(2026, 12, 1), {"Subscriptions": subs, "Responses": answers},
                       R["overview"]) == [False, False]
