"""The survey report's Python calls per recalculation (issue 17 item 5; session 4, engineer S).

At 10,000 responses survey_scores made 155 calls of our functions at every recalculation: the "Trend
by month" sheet repeated the Periods sheet's NPS, CSAT and CES of the same months (36), and the NPS
band (NPS -/+ its margin) called NPS and NPS_MARGIN_OF_ERROR again in each month's row (48). The trend
sheet is gone and the band reads its own row's cells (``PeriodOf``): 71 calls, every value the same.
Session 5: each KPI's months are one BY_PERIOD call (reports/byperiod.py): 16 calls.
The expected band values are computed here with NPS and NPS_MARGIN_OF_ERROR on the month's rows
picked by pandas.
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from xl_cskpi import nps, nps_margin_of_error
from xl_cskpi.errors import KPIError
from xl_cskpi.registry import REGISTRY
from xl_cskpi.reports import reports
from xl_cskpi.reports.builder import build
from xl_cskpi.reports.evaluate import ReportSpecError, check_report, evaluate_report
from xl_cskpi.reports.spec import Op, PeriodOf

R = reports()["survey_scores"]
OURS = re.compile(r"(?<![A-Za-z0-9_.])(" + "|".join(sorted(REGISTRY, key=len, reverse=True)) + r")\(", re.I)


def _responses(n: int = 600, months: int = 12, seed: int = 4) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    days = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 30 * months, n), unit="D")
    return pd.DataFrame({"submitted_at": days, "nps_score": rng.integers(0, 11, n).astype(float),
                         "csat_score": rng.integers(1, 6, n).astype(float),
                         "ces_score": rng.integers(1, 8, n).astype(float)})


def _calls(path) -> dict[str, int]:
    """Calls of our functions per sheet (an array formula is one call per function name in it)."""
    out: dict[str, int] = {}
    for ws in load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for c in row:
                f = c.value.text if isinstance(c.value, ArrayFormula) else c.value
                if isinstance(f, str) and f.startswith("="):
                    out[ws.title] = out.get(ws.title, 0) + len(OURS.findall(f))
    return out


def test_the_months_take_five_calls_and_the_band_none(tmp_path):
    out = tmp_path / "live.xlsx"
    df = _responses()
    build(R, out, data={"Responses": df}, settings={"csat_scale": 5})
    ws = load_workbook(out)["Periods"]
    heads = [c.value for c in ws[3]]
    low, high = heads.index("NPS - margin of error") + 1, heads.index("NPS + margin of error") + 1
    nps_col, moe_col = (heads.index(h) + 1 for h in ("Net Promoter Score (NPS)",
                                                       "NPS margin of error (points, at the confidence level)"))
    months = [r for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value]
    assert len(months) >= 12
    for r in months:
        text = lambda c: ws.cell(r, c).value.text if isinstance(ws.cell(r, c).value, ArrayFormula) else ws.cell(r, c).value
        L = lambda c: ws.cell(3, c).column_letter
        # the band reads the row's own NPS and margin cells (and its count), calling nothing of ours
        for c in (low, high):
            assert f"${L(nps_col)}{r}" in text(c) and f"${L(moe_col)}{r}" in text(c) and not OURS.findall(text(c))
    calls = _calls(out)
    # NPS, NPS_MARGIN_OF_ERROR, CSAT, CSAT_AVERAGE, CES: one BY_PERIOD each for all 12 months (session
    # 5, issue 17.5: 5 calls per month before); nothing else on the sheet
    assert calls["Periods"] == 5
    assert "Trend by month" not in load_workbook(out, read_only=True).sheetnames


def test_the_band_is_the_months_adjusted_wald_interval():
    # the band as S's spec writes it (session 5, C3): centre NPS x n / (n + 3), -/+ the margin, cut to
    # -100..100; NPS, the margin and n computed here on the month's rows picked by pandas
    df = _responses(n=300, months=4)
    labels = ["2024-01", "2024-02", "2024-03", "2024-04"]
    v = evaluate_report(R, {"Responses": df}, {"csat_scale": 5}, period_labels=labels, period="2024-04")
    table = v["_periods"]
    month = df["submitted_at"].dt.strftime("%Y-%m")
    for i, label in enumerate(labels):
        scores = df.loc[month == label, "nps_score"].tolist()
        n = len(scores)
        centre, moe = nps(scores) * n / (n + 3), nps_margin_of_error(scores, 0.95)
        assert table["nps_low"].iloc[i] == pytest.approx(max(-100, centre - moe), rel=1e-12)
        assert table["nps_high"].iloc[i] == pytest.approx(min(100, centre + moe), rel=1e-12)


def test_a_month_without_nps_answers_keeps_nps_error_in_its_band():
    # March has NPS answers; April only a CES answer (its NPS is #DIV/0!); May NPS again
    df = pd.DataFrame({"submitted_at": pd.to_datetime(["2024-03-02", "2024-03-05", "2024-04-03", "2024-05-06"]),
                       "nps_score": [9, 3, None, 10], "ces_score": [5, 6, 7, 4]})
    v = evaluate_report(R, {"Responses": df}, {}, period_labels=["2024-03", "2024-04", "2024-05"],
                        period="2024-05")
    row = v["_periods"].iloc[1]
    assert isinstance(row["nps"], KPIError) and row["nps"].code == "#DIV/0!"
    for key in ("nps_low", "nps_high"):
        assert isinstance(row[key], KPIError) and row[key].message == row["nps"].message
    # March: 9 and 3 -> NPS 0, centre 0; the band is 0 -/+ NPS_MARGIN_OF_ERROR of the two answers
    march = v["_periods"].iloc[0]
    assert march["nps_low"] == pytest.approx(max(-100, -nps_margin_of_error([9, 3], 0.95)), rel=1e-12)
    assert march["nps_high"] == pytest.approx(min(100, nps_margin_of_error([9, 3], 0.95)), rel=1e-12)


def test_a_period_column_reads_only_a_column_to_its_left():
    later = dataclasses.replace(R, period_series=(
        ("nps_low", Op("-", PeriodOf("nps_high", None), PeriodOf("nps", None)), "points"),
        ("nps_high", Op("+", PeriodOf("nps", None), PeriodOf("nps_margin_of_error", None)), "points")))
    with pytest.raises(ReportSpecError, match="nps_high, which is not a column before it"):
        check_report(later)
    check_report(R)
