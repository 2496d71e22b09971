"""A ticket answered or resolved before it was opened (reviewer's U12, session 4).

One migrated ticket solved the day before it was created turned every duration KPI of the support
dashboard into #VALUE! (the functions refuse an end before its start, rightly). The report reader
now leaves that one end out, warns with the rows, and the other tickets keep their numbers.
Expected values by hand: t2 resolved 23 h after it was opened, t3 4 h: mean (23 + 4) / 2 = 13.5 h.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from xl_cskpi.exports.check import ReadOptions
from xl_cskpi.reports import reports
from xl_cskpi.reports.builder import build
from xl_cskpi.reports.fill import load_data

R = reports()


def test_a_ticket_resolved_before_it_was_opened_is_left_out_with_its_row(tmp_path):
    p = tmp_path / "tickets.csv"
    p.write_text("ticket_id,customer_id,opened_at,first_response_at,resolved_at,status\n"
                 "t1,c1,2024-03-05 10:00,2024-03-05 09:00,2024-03-04 09:00,solved\n"
                 "t2,c2,2024-03-05 10:00,2024-03-05 11:00,2024-03-06 09:00,solved\n"
                 "t3,c2,2024-03-07 10:00,2024-03-07 12:00,2024-03-07 14:00,solved\n")
    data, check = load_data(R["support_complaints"], [p], ReadOptions(lang="en"))
    t = data["Tickets"]
    assert pd.isna(t.loc[0, "resolved_at"]) and pd.isna(t.loc[0, "first_response_at"])
    assert t.loc[1:, "resolved_at"].notna().all()      # the good tickets keep their times
    found = [f for f in check.findings if f.code == "out_of_range"]
    assert {f.fields["field"] for f in found} == {"resolved_at", "first_response_at"}
    assert all(f.row == 2 and f.level == "warning" and "left out" in f.message for f in found)
    v = build(R["support_complaints"], tmp_path / "s.xlsx", data=data, values=True, check=check)
    assert math.isclose(v["avg_resolution_hours"], 13.5, rel_tol=1e-12)
    # first replies: 1 h and 2 h, the median 1.5 h (t1's reply "before" it was opened is left out)
    assert math.isclose(v["first_response_hours"], 1.5, rel_tol=1e-12)


def test_a_totals_row_where_a_date_belongs_is_left_out(tmp_path):
    # engineer E's request (session 5): a pasted Google Forms export ending in a totals row; the date
    # reader stopped the run on 'Total' before the totals-row check could look. By hand: 9, 10, 3 ->
    # NPS (2 - 1) / 3 = 33.3
    p = tmp_path / "responses.csv"
    p.write_text("Timestamp,How likely are you to recommend us?\n6/3/2024 10:00:00,9\n6/4/2024 10:00:00,10\n"
                 "6/5/2024 10:00:00,3\nTotal,22\n")
    # (mapped: the question finder judges the column on every value, the total's 22 too: E's file)
    data, check = load_data(R["survey_scores"], [p], ReadOptions(
        lang="en", date_order="mdy", columns={"submitted_at": "Timestamp",
                                              "nps_score": "How likely are you to recommend us?"}))
    assert len(data["Responses"]) == 3
    assert [(f.code, f.row) for f in check.findings if f.code == "total_row"] == [("total_row", 5)]
    v = build(R["survey_scores"], tmp_path / "s.xlsx", data=data, values=True, check=check)
    assert math.isclose(v["_whole"]["nps"], 100 / 3, rel_tol=1e-12)
