"""Zendesk tickets merged into another, and deleted tickets, are not support work (reviewer's G35).

Input shaped as a Zendesk export with its Tags column: 602 is the duplicate merged into 601 (closed a
minute after it was opened, tag closed_by_merge, no reply); 603 is Deleted. Zendesk's guidance is to
leave closed_by_merge out of resolution metrics. By hand without them: 601 resolved in 24 h, 604 in 8 h:
mean and median 16.0 h; one-touch 1 of 2 (604 had one reply, 601 two): 50 %; tickets 2.
"""

from __future__ import annotations

import math

from xl_cskpi.exports.check import ReadOptions
from xl_cskpi.reports import reports
from xl_cskpi.reports.builder import build
from xl_cskpi.reports.fill import load_data

ZD = ("Id,Requester id,Via,Priority,Created at,Solved at,Status,Assignee,Group,Tags,First reply time in minutes,"
      "Reopens,Replies\n"
      "601,9001,Mail,normal,2024-06-03 09:00:00,2024-06-04 09:00:00,Closed,Noor,Support,billing,30,0,2\n"
      "602,9001,Mail,normal,2024-06-03 09:05:00,2024-06-03 09:06:00,Closed,Noor,Support,closed_by_merge,,0,0\n"
      "603,9002,Web form,high,2024-06-05 10:00:00,,Deleted,Jake,Support,,,0,0\n"
      "604,9003,Mail,normal,2024-06-06 10:00:00,2024-06-06 18:00:00,Solved,Jake,Support,,60,0,1\n")


def test_merged_and_deleted_tickets_are_left_out(tmp_path):
    p = tmp_path / "zendesk.csv"
    p.write_text(ZD)
    R = reports()["support_complaints"]
    data, check = load_data(R, [p], ReadOptions())
    assert data["Tickets"]["ticket_id"].astype(str).tolist() == ["601", "604"]
    f = [f for f in check.findings if f.code == "tickets_left_out"]
    assert len(f) == 1 and f[0].fields == {"merged": 1, "deleted": 1, "row": 3}
    v = build(R, tmp_path / "s.xlsx", data=data, values=True, check=check, settings={"work_schedule": "24x7"})
    assert math.isclose(v["avg_resolution_hours"], 16.0) and math.isclose(v["median_resolution_hours"], 16.0)
    assert math.isclose(v["one_touch_rate"], 0.5) and v["tickets"] == 2
