"""The CSAT-by-score chart waits for the CSAT scale as the CSAT KPIs do (session 5, engineer S; the
second half of the reviewer's C3).

Before: with ``csat_scale`` blank, CSAT and the average satisfaction score read "n/a: enter the top of
your CSAT scale", while the chart beside them drew the answers' shares on an assumed 1-5 scale. Now the
CSAT_DISTRIBUTION spill asks with the same sentence until the scale is entered (its sheet says so in A3,
the chart has no number to draw, the Data check has the kpi_absent note), and spills the survey's boxes
once it is. Counts below are by hand from the rows written here.
"""

from __future__ import annotations

import pandas as pd
from openpyxl import load_workbook
from openpyxl.worksheet.formula import ArrayFormula

from xl_cskpi.exports.check import DataCheck
from xl_cskpi.reports import reports
from xl_cskpi.reports.builder import build
from xl_cskpi.reports.specs.survey_scale import ASK_CSAT

R = reports()["survey_scores"]
#: 12 answers of a 1-3 survey in March 2024: 3 x five, 2 x four, 1 x three
ANSWERS = [3, 3, 2, 1, 3, 2, 2, 1, 3, 3, 2, 1]


def _data() -> dict[str, pd.DataFrame]:
    days = pd.to_datetime([f"2024-03-{d:02d}" for d in range(1, 13)])
    return {"Responses": pd.DataFrame({"submitted_at": days, "nps_score": [9, 10, 6, 8] * 3, "csat_score": ANSWERS})}


def test_blank_scale_the_spill_asks_and_the_data_check_says_so(tmp_path):
    check = DataCheck()
    v = build(R, tmp_path / "v.xlsx", data=_data(), values=True, check=check)
    assert v["csat_distribution"] == ASK_CSAT
    texts = [c.value for ws in load_workbook(tmp_path / "v.xlsx").worksheets for c in ws["A"][:3]]
    assert ASK_CSAT in texts
    absent = {f.fields.get("kpi"): f for f in check.findings if f.code == "kpi_absent"}
    assert absent["csat_distribution"].level == "info" and absent["csat_distribution"].message.endswith(ASK_CSAT)


def test_the_live_spill_is_the_same_if(tmp_path):
    build(R, tmp_path / "l.xlsx", data=_data())
    formulas = [c.value.text for ws in load_workbook(tmp_path / "l.xlsx").worksheets for c in ws["A"][:3]
                if isinstance(c.value, ArrayFormula) and "CSAT_DISTRIBUTION(" in c.value.text]
    assert len(formulas) == 1
    assert formulas[0].startswith("=IF(ISNUMBER(csat_scale),CSAT_DISTRIBUTION(Responses[csat_score],csat_scale),")
    assert formulas[0].endswith(f'"{ASK_CSAT}")')


def test_the_scale_entered_spills_the_surveys_boxes(tmp_path):
    v = build(R, tmp_path / "s.xlsx", data=_data(), values=True, settings={"csat_scale": 3})
    dist = v["csat_distribution"]
    assert dist.iloc[:, 0].tolist() == [1, 2, 3]
    assert dist.iloc[:, 1].tolist() == [3, 4, 5]                    # hand: 1 x3, 2 x4, 3 x5
