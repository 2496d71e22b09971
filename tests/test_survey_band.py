"""The NPS chart's band (session 5, engineer S; reviewer's C3 and U14).

Before: the band was NPS -/+ the Wald margin: a month of 5 answers at NPS -60 (1 promoter, 4 detractors)
drew its lower line at -130.1 on an axis running to -150, and a month of 3 promoters a band of zero
width at 100. Now it is the month's adjusted-Wald interval (NPS_MARGIN_OF_ERROR's: centred on
NPS x n / (n + 3)), cut to the scale's -100..100, computed from the Periods row's own cells. Every
expected bound is worked by hand in the comments (z = 1.959964).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from xl_cskpi import nps, nps_margin_of_error
from xl_cskpi.errors import KPIError
from xl_cskpi.kpi.survey import nps_counts, nps_interval
from xl_cskpi.reports import reports
from xl_cskpi.reports.evaluate import evaluate_report

R = reports()["survey_scores"]
Z95 = 1.959963984540054

MONTHS = {
    "2024-03": [10, 9, 10],                 # 3 promoters: NPS 100
    "2024-04": [10, 0, 3, 5, 6],            # 1 promoter, 4 detractors: NPS -60 (the reviewer's month)
    "2024-05": [0, 2, 6],                   # 3 detractors: NPS -100
    "2024-06": [],                          # no NPS answer (a CES answer only)
    "2024-07": [10] * 40 + [7] * 30 + [0] * 30,   # 100 answers: NPS 10
}


def _periods() -> pd.DataFrame:
    rows = [(f"{m}-{i % 27 + 1:02d}", s) for m, scores in MONTHS.items() for i, s in enumerate(scores)]
    rows.append(("2024-06-03", None))
    df = pd.DataFrame({"submitted_at": pd.to_datetime([d for d, _ in rows]), "nps_score": [s for _, s in rows],
                       "ces_score": [5] * len(rows)})
    v = evaluate_report(R, {"Responses": df}, {}, period_labels=list(MONTHS), period="2024-07")
    return v["_periods"].set_index(pd.Index(list(MONTHS)))


def test_three_promoters_have_a_band_down_to_minus_six_point_six():
    # adjusted: 3.75 P, 1.5 Pa, 0.75 D of 6; centre 100 x 3 / 6 = 50; margin 1.96 x sqrt(0.5 / 6) x 100 = 56.58
    row = _periods().loc["2024-03"]
    margin = Z95 * math.sqrt(0.5 / 6) * 100
    assert row["nps"] == 100.0 and row["nps_margin_of_error"] == pytest.approx(margin, rel=1e-12)
    assert row["nps_low"] == pytest.approx(50 - margin, rel=1e-12)          # -6.58
    assert row["nps_high"] == 100.0                                          # 106.58, cut


def test_the_reviewers_month_stays_within_the_scale():
    # centre -60 x 5 / 8 = -37.5; margin 1.96 x sqrt(0.671875 / 8) x 100 = 56.80: -94.30 .. 19.30 (was -130.1 .. 10.1)
    row = _periods().loc["2024-04"]
    margin = Z95 * math.sqrt(0.671875 / 8) * 100
    assert (row["nps_low"], row["nps_high"]) == pytest.approx((-37.5 - margin, -37.5 + margin), rel=1e-12)
    assert round(row["nps_low"], 2) == -94.30 and round(row["nps_high"], 2) == 19.30


def test_all_detractors_are_cut_at_minus_one_hundred():
    # centre -100 x 3 / 6 = -50; -50 -/+ 56.58: -106.58 (cut to -100) .. 6.58
    row = _periods().loc["2024-05"]
    assert row["nps_low"] == -100.0
    assert row["nps_high"] == pytest.approx(-50 + Z95 * math.sqrt(0.5 / 6) * 100, rel=1e-12)


def test_a_month_without_answers_keeps_the_nps_error_in_its_band():
    row = _periods().loc["2024-06"]
    assert isinstance(row["nps"], KPIError) and row["nps"].code == "#DIV/0!"
    for key in ("nps_low", "nps_high"):
        assert isinstance(row[key], KPIError) and row[key].message == row["nps"].message


def test_a_large_month_is_nearly_the_wald_band():
    # 40 P, 30 Pa, 30 D: NPS 10; centre 10 x 100 / 103 = 9.71; the adjusted margin on 103 answers
    row = _periods().loc["2024-07"]
    scores = MONTHS["2024-07"]
    assert row["nps"] == pytest.approx(10.0)
    centre = 10 * 100 / 103
    margin = Z95 * math.sqrt((71.5 / 103 - (10 / 103) ** 2) / 103) * 100
    assert (row["nps_low"], row["nps_high"]) == pytest.approx((centre - margin, centre + margin), rel=1e-12)
    wald = nps_margin_of_error(scores, 0.95, "wald")                        # 16.28: the old band 10 -/+ 16.28
    assert abs(row["nps_low"] - (10 - wald)) < 1.0 and abs(row["nps_high"] - (10 + wald)) < 1.0


def test_the_band_is_the_functions_interval_every_month():
    table = _periods()
    for month, scores in MONTHS.items():
        if not scores:
            continue
        low, high, margin = nps_interval(nps_counts(scores), Z95)
        assert table.loc[month, "nps_low"] == pytest.approx(low, rel=1e-12, abs=1e-12)
        assert table.loc[month, "nps_high"] == pytest.approx(high, rel=1e-12, abs=1e-12)
        assert -100.0 <= low <= nps(scores) * len(scores) / (len(scores) + 3) <= high <= 100.0


def test_live_a_month_without_answers_reads_its_nps_cells_words_in_the_band(tmp_path):
    # live, the band was arithmetic on the month's "n/a: no responses in 2024-06" text: #VALUE! where
    # --values wrote the n/a (session 6); an engine we did not write computes the live workbook
    from openpyxl import load_workbook

    from xl_cskpi.reports.builder import build
    from xl_cskpi.reports.engine import a1_copy, calculate

    rows = [(f"{m}-{i % 27 + 1:02d}", s) for m, scores in MONTHS.items() for i, s in enumerate(scores)]
    df = pd.DataFrame({"submitted_at": pd.to_datetime([d for d, _ in rows]), "nps_score": [s for _, s in rows]})
    for c in R.table("Responses").inputs:
        if c.key not in df:
            df[c.key] = None
    build(R, tmp_path / "live.xlsx", data={"Responses": df}, period="2024-07")
    a1_copy(tmp_path / "live.xlsx", tmp_path / "a1.xlsx")
    engine = calculate(tmp_path / "a1.xlsx")
    ws = load_workbook(tmp_path / "live.xlsx")["Periods"]
    heads = {ws.cell(3, j).value: j for j in range(1, ws.max_column + 1)}
    labels = {ws.cell(r, 1).value: r for r in range(4, 4 + len(MONTHS))}
    from openpyxl.utils import get_column_letter as L

    def cell(month, head):
        return engine[f"PERIODS!{L(heads[head])}{labels[month]}"]

    from xl_cskpi.reports.i18n import translator
    t = translator("en")
    nps_head, low_head, high_head = t("kpi.nps"), t("series.nps_low"), t("series.nps_high")
    assert cell("2024-06", nps_head) == "n/a: no responses in 2024-06"
    assert cell("2024-06", low_head) == cell("2024-06", high_head) == "n/a: no responses in 2024-06"
    row = _periods().loc["2024-04"]                  # a month with answers: the --values band
    assert cell("2024-04", low_head) == pytest.approx(row["nps_low"], rel=1e-9)
    assert cell("2024-04", high_head) == pytest.approx(row["nps_high"], rel=1e-9)
