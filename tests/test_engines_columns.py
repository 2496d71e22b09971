"""``compute`` finds a KPI's columns as ``report`` does, and an absent optional column is never a 0
(reviewer's findings F11 and F12, session 4).

* F11: a CRM customer list (``Account ID, Created at, Churned at, Tier``, as /tmp/r4/in/crm_customers.csv)
  gave ``customers_lost = 0`` in every month: ``Churned at`` is the report's Customers.end_date but
  was not compute's ``end``. A list without an end column is refused unless ``no_end_column``.
* F12: a Zendesk export (``First reply time in minutes``, no first-reply timestamp) gave "replied 0";
  resolution times were those of the tickets *opened* in the month, the report's are those *resolved*
  in it (Freshdesk/Zendesk convention, reports/specs/support_complaints.py).

Expected values are worked by hand in the comments; the report's own column mapping
(:func:`xl_cskpi.exports.mapping.match`) is the oracle for which header feeds which field.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from xl_cskpi import engines
from xl_cskpi.engines import cli
from xl_cskpi.engines.common import match_columns
from xl_cskpi.errors import KPIError
from xl_cskpi.exports.check import ReadOptions
from xl_cskpi.exports.mapping import match
from xl_cskpi.reports.specs import tables as T

ENGINES = ("pandas", "duckdb")

# --------------------------------------------------------------------------- F11: a customer list

#: CRM layout of the reviewer's crm_customers.csv, five customers worked by hand below.
CRM = ("Account ID,Created at,Churned at,Tier\n"
       "A1,2024-01-10,2024-03-05,Pro\n"
       "A2,2024-01-20,,Basic\n"
       "A3,2024-02-03,2024-02-25,Basic\n"
       "A4,2024-03-15,,Pro\n"
       "A5,2023-12-20,2024-01-31,Basic\n")
# month: at start (started before it, not ended before it), new (started in it), lost (ended in it),
# at end (started by its end, not ended by its end):
#   2023-12: 0, 1 (A5), 0, 1
#   2024-01: 1 (A5), 2 (A1, A2), 1 (A5 on 31 Jan), 2
#   2024-02: 2, 1 (A3), 1 (A3 on 25 Feb), 2
#   2024-03: 2, 1 (A4), 1 (A1 on 5 Mar), 2 (A2, A4)
CRM_MONTHS = [("2023-12-01", 0, 1, 0, 1), ("2024-01-01", 1, 2, 1, 2), ("2024-02-01", 2, 1, 1, 2),
              ("2024-03-01", 2, 1, 1, 2)]


def _months(t: pd.DataFrame) -> list[tuple]:
    return [(m.strftime("%Y-%m-%d"), *map(int, r)) for m, *r in t[["month", "customers_start", "customers_new",
                                                                     "customers_lost", "customers_end"]].itertuples(index=False)]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("end_header", ["Churned at", "Canceled at", "End date", "cancelled_at"])
def test_monthly_churn_reads_the_customers_end_column(tmp_path, engine, end_header):
    path = tmp_path / "crm_customers.csv"
    path.write_text(CRM.replace("Churned at", end_header))
    t = engines.compute("monthly_churn", str(path), engine=engine)
    assert _months(t) == CRM_MONTHS
    assert t.attrs["notes"] == []


@pytest.mark.parametrize("engine", ENGINES)
def test_a_customer_list_without_an_end_column_is_refused(tmp_path, engine):
    path = tmp_path / "crm_customers.csv"
    path.write_text("\n".join(",".join(line.split(",")[:2]) for line in CRM.splitlines()) + "\n")
    with pytest.raises(KPIError) as e:
        engines.compute("monthly_churn", str(path), engine=engine)
    msg = str(e.value)
    assert "no end-date column" in msg and "churned_at" in msg and "--no-end-column" in msg and "\n" not in msg
    # the user says no customer has left: every month 0 lost, and a note says why
    t = engines.compute("monthly_churn", str(path), engine=engine, options={"no_end_column": True})
    assert t["customers_lost"].tolist() == [0, 0, 0, 0]
    assert t["customers_end"].tolist() == [1, 3, 4, 5]          # starts cumulated: 1, +2, +1, +1
    assert len(t.attrs["notes"]) == 1 and "no end-date column" in t.attrs["notes"][0]
    # --column names an end column the headers do not
    t = engines.compute("monthly_churn", str(tmp_path / "crm_customers.csv"), engine=engine,
                        options={"no_end_column": True, "columns": {"start": "Created at"}})
    assert t["customers_lost"].sum() == 0


@pytest.mark.parametrize("engine", ENGINES)
def test_an_end_column_without_a_date_is_a_note(tmp_path, engine):
    path = tmp_path / "customers.csv"
    path.write_text("customer_id,start_date,end_date\nA,2024-01-05,\nB,2024-02-05,\n")
    t = engines.compute("monthly_churn", str(path), engine=engine)
    assert t["customers_lost"].tolist() == [0, 0]
    assert len(t.attrs["notes"]) == 1 and "'end_date' has no date" in t.attrs["notes"][0]


# --------------------------------------------------------------------------- F12: a Zendesk export

#: Zendesk layout (Id, Requester id, Via: its signature; Created at, Solved at, First reply time in
#: minutes), five tickets worked by hand below.
ZENDESK = ("Id,Requester id,Via,Status,Created at,Solved at,First reply time in minutes\n"
           "1,11,Web,Solved,2024-05-30 10:00,2024-06-02 10:00,30\n"      # 72 h, reply 0.5 h
           "2,12,Mail,Solved,2024-06-03 09:00,2024-06-03 15:00,90\n"     # 6 h, reply 1.5 h
           "3,13,Web,Open,2024-06-10 08:00,,\n"                          # open, no reply
           "4,14,Web,Solved,2024-06-20 12:00,2024-07-01 12:00,120\n"     # 264 h, reply 2 h
           "5,15,API,Solved,2024-05-02 09:00,2024-05-03 09:00,60\n")     # 24 h, reply 1 h
# By period (SLA 24 h; percentiles PERCENTILE.INC: p90 of (a, b) = a + 0.9 (b - a)):
#   2024-05: opened 1, 5 -> tickets 2; resolved in May: 5 (24 h) -> mean 24;
#            replies 0.5, 1 -> mean 0.75, p50 0.75, p90 0.95; SLA of opened: 5 met, 1 not -> 1/2
#   2024-06: opened 2, 3, 4 -> tickets 3; resolved in June: 1 (72 h), 2 (6 h) -> mean 39, p50 39,
#            p90 6 + 0.9 x 66 = 65.4; replies 1.5, 2 -> mean 1.75, p90 1.95; SLA: 2 met, 4 not, 3 open
#            since 10 June, past 24 h as of the latest time in the tickets (2024-07-01 12:00, as report fills
#            a blank sla_as_of: reviewer's G39) -> a breach: 1/3
#   2024-07: nothing opened; resolved in July: 4 (264 h) -> mean 264; no reply measured (n/a)
# (by opened month, as before the fix, June's mean resolution was (6 + 264) / 2 = 135)
ZD_EXPECTED = {
    "period": ["2024-05", "2024-06", "2024-07"],
    "tickets": [2, 3, 0],
    "resolved_in_period": [1, 2, 1],
    "resolution_mean_hours": [24.0, 39.0, 264.0],
    "resolution_p50_hours": [24.0, 39.0, 264.0],
    "resolution_p90_hours": [24.0, 65.4, 264.0],
    "replied": [2, 2, 0],
    "first_response_mean_hours": [0.75, 1.75, np.nan],
    "first_response_p50_hours": [0.75, 1.75, np.nan],
    "first_response_p90_hours": [0.95, 1.95, np.nan],
    "sla_met": [1, 1, 0],
    "sla_judged": [2, 3, 0],
    "sla_compliance": [0.5, round(1 / 3, 9), np.nan],   # _check rounds to 9 decimals
}


def _check(t: pd.DataFrame, expected: dict) -> None:
    for c, want in expected.items():
        got = t[c].tolist() if c == "period" else t[c].astype(float).round(9).tolist()
        np.testing.assert_array_equal(np.array(got, dtype=object if c == "period" else float),
                                      np.array(want, dtype=object if c == "period" else float), err_msg=c)


@pytest.mark.parametrize("engine", ENGINES)
def test_zendesk_first_reply_minutes_and_resolved_periods(tmp_path, engine):
    path = tmp_path / "zendesk.csv"
    path.write_text(ZENDESK)
    t = engines.compute("support_summary", str(path), engine=engine)
    _check(t, ZD_EXPECTED)
    assert t.attrs["notes"] == ["open tickets judged against the SLA as of 2024-07-01 12:00, the latest time in the "
                                "tickets (an open ticket past its target is a breach), as xl-cskpi report does; "
                                "another: --as-of TIME"]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_first_response_column_of_its_own_wins_over_the_minutes(tmp_path, engine):
    # the report derives first_response_at only where the file has none (exports.profiles.DERIVED)
    path = tmp_path / "tickets.csv"
    path.write_text("opened_at,first_response_at,first reply time in minutes\n"
                    "2024-06-03 09:00,2024-06-03 13:00,30\n")
    t = engines.compute("support_summary", str(path), engine=engine)
    assert t["first_response_mean_hours"].tolist() == [4.0]


@pytest.mark.parametrize("engine", ENGINES)
def test_absent_first_response_and_resolution_are_blank_not_zero(tmp_path, engine):
    path = tmp_path / "zendesk.csv"
    df = pd.read_csv(pd.io.common.StringIO(ZENDESK), dtype=str)
    df.drop(columns=["First reply time in minutes"]).to_csv(path, index=False)
    t = engines.compute("support_summary", str(path), engine=engine)
    assert t["tickets"].tolist() == [2, 3, 0] and t["resolved_in_period"].tolist() == [1, 2, 1]
    for c in ("replied", "first_response_mean_hours", "first_response_p50_hours", "first_response_p90_hours"):
        assert t[c].isna().all(), c                     # blank, never "0 replied"
    notes = [n for n in t.attrs["notes"] if not n.startswith("open tickets judged against the SLA as of")]
    assert len(notes) == 1 and "no first_response_at column" in notes[0]
    # no resolved column: resolution and SLA blank (with as_of every ticket would be an open breach)
    df.drop(columns=["First reply time in minutes", "Solved at"]).to_csv(path, index=False)
    t = engines.compute("support_summary", str(path), engine=engine, options={"as_of": "2024-08-01 00:00"})
    assert t["tickets"].tolist() == [2, 3]
    for c in ("resolved_in_period", "resolution_mean_hours", "sla_met", "sla_judged", "sla_compliance"):
        assert t[c].isna().all(), c
    assert [n.split(" column")[0] for n in t.attrs["notes"]] == ["no first_response_at", "no resolved_at"]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_negative_first_reply_time_is_refused(tmp_path, engine):
    path = tmp_path / "zendesk.csv"
    path.write_text(ZENDESK.replace(",30\n", ",-30\n"))
    with pytest.raises(KPIError) as e:
        engines.compute("support_summary", str(path), engine=engine)
    assert "first_reply_minutes" in str(e.value) and "0 or more" in str(e.value)


# --------------------------------------------------------------------------- surveys


@pytest.mark.parametrize("engine", ENGINES)
def test_survey_scores_the_file_lacks_are_blank_and_worded_questions_are_found(engine):
    # Google Forms layout: the NPS question by its wording; no CSAT or CES question
    df = pd.DataFrame({"Timestamp": ["2024-09-02", "2024-09-05", "2024-10-01"],
                       "How likely are you to recommend us to a friend?": [10, 3, 9]})
    t = engines.compute("survey_by_period", df, engine=engine)
    assert t["nps"].tolist() == [0.0, 100.0]             # Sep: 1 promoter, 1 detractor of 2; Oct: 1 of 1
    for c in ("csat_responses", "csat_satisfied", "csat", "csat_average", "ces_responses", "ces"):
        assert t[c].isna().all(), c
    notes = t.attrs["notes"]
    assert any("nps_score read from the column" in n for n in notes)
    assert any(n.startswith("no csat_score column") for n in notes)
    assert any(n.startswith("no ces_score column") for n in notes)


# --------------------------------------------------------------------------- same columns as report

#: Header sets of real layouts (the reviewer's files and the profiles' vendors), the report table
#: they feed, and compute's table and field -> the report's field.
LAYOUTS = [
    (["Account ID", "Created at", "Churned at", "Tier"], T.CUSTOMERS, "monthly_churn",
     {"start": "start_date", "end": "end_date", "customer_id": "customer_id"}),
    (["customer", "started_at", "canceled_at"], T.CUSTOMERS, "monthly_churn",
     {"start": "start_date", "end": "end_date", "customer_id": "customer_id"}),
    (["Id", "Requester id", "Via", "Created at", "Solved at", "First reply time in minutes"], T.TICKETS,
     "support_summary", {"opened_at": "opened_at", "resolved_at": "resolved_at",
                         "first_reply_minutes": "first_reply_minutes"}),
    (["Ticket ID", "Created time", "Initial response time", "Resolved time", "Closed time"], T.TICKETS,
     "support_summary", {"opened_at": "opened_at", "resolved_at": "resolved_at",
                         "first_response_at": "first_response_at"}),
    (["Conversation ID", "Created at", "First admin reply at", "Last closed at", "State"], T.TICKETS,
     "support_summary", {"opened_at": "opened_at", "resolved_at": "resolved_at",
                         "first_response_at": "first_response_at", "status": "status"}),
    (["ticket", "Created (UTC)", "first_reply_at", "closed_at"], T.TICKETS, "support_summary",
     {"opened_at": "opened_at", "resolved_at": "resolved_at", "first_response_at": "first_response_at"}),
    (["Account", "Billing Month", "Amount"], T.SUBSCRIPTIONS, "movements",
     {"customer_id": "customer_id", "month": "month", "mrr": "mrr"}),
]


@pytest.mark.parametrize("headers, table, name, fields", LAYOUTS)
def test_compute_finds_the_columns_the_report_finds(headers, table, name, fields):
    rows = {"Account ID": "A1", "customer": "A1", "Account": "A1", "Id": "1", "Ticket ID": "1",
            "Conversation ID": "1", "ticket": "1"}
    df = pd.DataFrame([[rows.get(h, "2024-06-01") for h in headers]], columns=headers)
    report = match([table], {Path("export.csv"): df}, ReadOptions())[table.name].columns
    options: dict = {}
    mode = "spans" if name == "monthly_churn" else ""
    ours = match_columns(name, headers, options, mode)
    for k, parts in options.get("_coalesce", {}).items():   # Freshdesk: resolved, where blank closed
        ours[k] = " / ".join(parts)
    assert {k: ours[k] for k in fields} == {k: report[v] for k, v in fields.items()}
    assert set(ours) == set(fields)


# --------------------------------------------------------------------------- the command line


def test_the_command_prints_the_notes_and_keeps_them_in_xlsx(tmp_path, capsys):
    import openpyxl
    src = tmp_path / "tickets.csv"
    src.write_text("Created at,Solved at\n2024-06-03 09:00,2024-06-03 15:00\n")
    out = tmp_path / "s.xlsx"
    assert cli.main(["support_summary", "--data", str(src), "--engine", "pandas", "-o", str(out), "--quiet"]) == 0
    cap = capsys.readouterr()
    assert "xl-cskpi compute: note: no first_response_at column" in cap.err
    assert "2 notes (stderr)" in cap.out      # and the SLA's as_of: the latest time in the tickets
    assert "as of 2024-06-03 15:00, the latest time in the tickets" in cap.err
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["data", "notes"]
    assert any("no first_response_at column" in str(c.value) for c in wb["notes"]["A"])
    head = [c.value for c in wb["data"][1]]
    assert wb["data"][2][head.index("replied")].value is None      # blank, not 0
    csv = tmp_path / "s.csv"
    assert cli.main(["support_summary", "--data", str(src), "--engine", "duckdb", "-o", str(csv), "--quiet"]) == 0
    assert csv.read_text().splitlines()[1].split(",")[7] == ""     # replied


def test_the_command_refuses_a_list_without_ends_unless_told(tmp_path, capsys):
    src = tmp_path / "crm.csv"
    src.write_text("Account ID,Created at\nA1,2024-01-10\nA2,2024-02-03\n")
    out = tmp_path / "m.csv"
    assert cli.main(["monthly_churn", "--data", str(src), "-o", str(out), "--quiet"]) == 2
    assert "--no-end-column" in capsys.readouterr().err and not out.exists()
    assert cli.main(["monthly_churn", "--data", str(src), "-o", str(out), "--quiet", "--no-end-column"]) == 0
    assert "note: no end-date column" in capsys.readouterr().err
    assert out.read_text().splitlines()[1:] == ["2024-01-01,0,1,0,1", "2024-02-01,1,1,0,2"]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_csat_survey_below_the_default_scale_is_refused_not_zero(engine):
    # a 1-3 survey (sad / neutral / happy): on the default 1-5 scale no answer reaches 4, CSAT 0 %
    df = pd.DataFrame({"date": ["2024-09-02", "2024-09-05", "2024-09-06"], "csat": [1, 3, 3]})
    with pytest.raises(KPIError) as e:
        engines.compute("survey_by_period", df, engine=engine)
    assert "answers from 1 to 3 only" in str(e.value) and "--csat-scale 3" in str(e.value)
    # on its own 1-3 scale the top box (3) is satisfied (kpi.survey.satisfied_from(3) = 3): 2 of 3
    t = engines.compute("survey_by_period", df, engine=engine, options={"csat_scale_max": 3})
    assert t["csat"].tolist() == [2 / 3] and t["csat_average"].tolist() == [7 / 3]
    assert not any("CSAT read on" in n for n in t.attrs["notes"])
    # answers reaching 4: the default scale is used and said (4 and 5 satisfied: 1 of 2)
    t = engines.compute("survey_by_period", df.iloc[:2].assign(csat=[4, 2]), engine=engine)
    assert t["csat"].tolist() == [0.5]
    assert any(n.startswith("CSAT read on the default 1-5 scale (answers 2 to 4") for n in t.attrs["notes"])


def test_the_command_passes_the_csat_scale(tmp_path, capsys):
    src = tmp_path / "survey.csv"
    src.write_text("date,csat\n2024-09-02,1\n2024-09-05,3\n2024-09-06,3\n")
    out = tmp_path / "s.csv"
    assert cli.main(["survey_by_period", "--data", str(src), "-o", str(out), "--quiet"]) == 2
    assert "--csat-scale 3" in capsys.readouterr().err
    assert cli.main(["survey_by_period", "--data", str(src), "-o", str(out), "--quiet", "--csat-scale", "3"]) == 0
    row = pd.read_csv(out).iloc[0]
    assert row["csat_responses"] == 3 and row["csat_satisfied"] == 2 and pd.isna(row["nps"])


@pytest.mark.parametrize("engine", ENGINES)
def test_mixed_utc_offsets_are_instants_on_the_utc_clock(tmp_path, engine):
    # HubSpot-like times (the reviewer's hubspot_tickets.csv): US daylight time began 10 March 2024 at
    # 02:00, so 22:00 -08:00 on the 9th to 22:00 -07:00 on the 10th is 23 h, not the 24 of the wall
    # clocks; 23:30 -07:00 on 31 March is 06:30 UTC on 1 April (two offsets and no --timezone: UTC, as
    # report reads them; tests/test_compute_zones.py has one offset and --timezone)
    path = tmp_path / "tickets.csv"
    path.write_text("opened_at,resolved_at\n"
                    "2024-03-09T22:00:00-08:00,2024-03-10T22:00:00-07:00\n"
                    "2024-03-31T23:30:00-07:00,2024-04-01T01:30:00-07:00\n"
                    "2024-04-02 10:00,2024-04-02 13:00\n")               # no offset: as written
    t = engines.compute("support_summary", str(path), engine=engine)
    assert t["period"].tolist() == ["2024-03", "2024-04"]
    assert t["tickets"].tolist() == [1, 2]
    assert t["resolution_mean_hours"].round(9).tolist() == [23.0, 2.5]     # April: (2 + 3) / 2
    notes = t.attrs["notes"]
    assert any(n.startswith("2 times in 'opened_at' (opened_at) carry a UTC offset") for n in notes)
    assert any(n.startswith("2 times in 'resolved_at' (resolved_at) carry a UTC offset") for n in notes)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_scale_the_csat_header_states_is_used_as_report_uses_it(engine):
    # "(1-3)" in the question (survey_scale.scale_in_header, as report fills a blank csat_scale):
    # on 1-3 the top box is satisfied (satisfied_from(3) = 3): 2 of 3, where the default 1-5 refuses
    df = pd.DataFrame({"date": ["2024-09-02", "2024-09-05", "2024-09-06"],
                       "How satisfied were you with support? (1-3)": [1, 3, 3]})
    t = engines.compute("survey_by_period", df, engine=engine, options={"columns": {
        "csat_score": "How satisfied were you with support? (1-3)"}})
    assert t["csat"].tolist() == [2 / 3]
    assert any(n.startswith("csat_score on a 1-3 scale, as the header") for n in t.attrs["notes"])
    # the user's scale wins over the header's
    t = engines.compute("survey_by_period", df.set_axis(["date", "csat (1-3)"], axis=1), engine=engine,
                        options={"csat_scale_max": 4})
    assert t["csat"].tolist() == [2 / 3]            # 1-4: 3 and 4 satisfied (satisfied_from(4) = 3)
    assert not any("as the header" in n for n in t.attrs["notes"])
