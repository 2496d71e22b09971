"""The support dashboard's complaint counts are the month shown's (reviewer's G23, session 5).

"Complaints" counted the complaints received in the month shown while "Pending", "Escalated" and
"Resolved" counted the whole log beside it: May read 3 complaints, 3 pending, 1 escalated, 4
resolved. Expected values by hand from the log below: May holds C-1 (resolved), C-2 (pending),
C-3 (escalated); June holds C-4..C-8 (2 pending, 3 resolved).
"""

from __future__ import annotations

import pytest

from xl_cskpi.exports.check import ReadOptions
from xl_cskpi.reports import reports
from xl_cskpi.reports.builder import build
from xl_cskpi.reports.fill import load_data

R = reports()
LOG = ("complaint_id,customer_id,received_at,category,status\n"
       "C-1,a,2024-05-02,billing,resolved\nC-2,b,2024-05-06,delivery,pending\nC-3,c,2024-05-20,billing,escalated\n"
       "C-4,a,2024-06-03,quality,resolved\nC-5,d,2024-06-05,delivery,pending\nC-6,e,2024-06-12,billing,pending\n"
       "C-7,f,2024-06-20,delivery,resolved\nC-8,g,2024-06-28,billing,resolved\n")


@pytest.mark.parametrize("period, want", [("2024-05", (3, 1, 1, 1)), ("2024-06", (5, 2, 0, 3))])
def test_complaint_statuses_are_those_of_the_month_shown(tmp_path, period, want):
    p = tmp_path / "complaints.csv"
    p.write_text(LOG)
    data, check = load_data(R["support_complaints"], [p], ReadOptions(lang="en"))
    v = build(R["support_complaints"], tmp_path / "s.xlsx", data=data, values=True, check=check, period=period)
    got = tuple(v[k] for k in ("complaints", "complaints_pending", "complaints_escalated", "complaints_resolved"))
    assert got == want
    assert got[1] + got[2] + got[3] == got[0]       # every complaint of the month has one of the three statuses
