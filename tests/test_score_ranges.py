"""A 0-100 score column holding 0-10 answers or 0-1 shares is said, never rescaled silently
(reviewer's finding F10, session 4: a CRM's "NPS score" column, the customer's last 0-10 answer as
HubSpot's contact property holds it, read as the health score's 0-100 NPS component).

Hand computation (the weights 0.4/0.2/0.2/0.2 of the health model, specs/tables.py HEALTH): ACME =
0.4 x 85 + 0.2 x 90 + 0.2 x 9 + 0.2 x 100 = 73.8 -- the 9 counts as 9 of 100; the report keeps that
number (the data is the user's) and the Data check says why it is probably not what they meant.
"""

from __future__ import annotations

import math

import pandas as pd

from xl_cskpi.exports.check import ReadOptions
from xl_cskpi.reports import reports
from xl_cskpi.reports.builder import build
from xl_cskpi.reports.datacheck import score_range_findings
from xl_cskpi.reports.fill import load_data

R = reports()["customer_health"]


def test_a_0_10_nps_column_in_the_health_table_is_a_warning(tmp_path):
    p = tmp_path / "health.csv"
    p.write_text("Account,Usage score,Support score,NPS score,Payment score\n"
                 "ACME,85,90,9,100\nGlobex,60,70,10,100\nInitech,30,40,3,60\n", encoding="utf-8")
    data, check = load_data(R, [p], ReadOptions())
    build(R, tmp_path / "h.xlsx", data=data, values=True, check=check)
    [w] = [f for f in check if f.code == "score_range"]
    assert (w.level, w.fields["column"], w.fields["scale"], w.fields["high"], w.fields["n"]) == \
        ("warning", "nps", "0-10", 10, 3)
    assert "multiply them by 10" in w.message


def test_scores_on_0_100_and_a_fraction_scale_are_told_apart():
    usage = pd.DataFrame({"usage": [0.85, 0.4, 0.7], "support": [85, 40, 70], "payment": [100, 100, 60],
                          "nps": [9, 50, 100]})
    found = {f.fields["column"]: f.fields["scale"] for f in score_range_findings(R, {"Health": usage})}
    assert found == {"usage": "0-1"}             # support, payment and nps reach past 10: 0-100 as meant
    few = pd.DataFrame({"usage": [9, 10], "support": [1, 2], "payment": [3, 4]})
    assert score_range_findings(R, {"Health": few}) == []           # two customers say nothing yet
    assert math.isclose(0.4 * 85 + 0.2 * 90 + 0.2 * 9 + 0.2 * 100, 73.8)


def test_a_surveys_own_scale_is_not_a_0_100_score():
    # survey answers are 1..csat_scale (survey_scale.py says when they contradict the scale set):
    # a 1-5 CSAT column is no 0-100 measure read wrong
    from xl_cskpi.reports import reports as all_reports

    r = all_reports()["survey_scores"]
    df = pd.DataFrame({"csat_score": [5, 4, 3, 5, 1, 2], "nps_score": [9, 10, 3, 7, 8, 6]})
    assert score_range_findings(r, {"Responses": df}) == []


def test_months_whose_counts_contradict_themselves_are_said():
    # reviewer's U11 (/tmp/r4/in/months_inconsistent.csv): February 105 + 12 - 8 = 109, typed end 120;
    # March starts at 109, not February's 120. January and March add up (100 + 10 - 5 = 105, 109 + 9 - 4 = 114).
    from xl_cskpi.reports.datacheck import count_findings

    m = pd.DataFrame({"month": pd.to_datetime(["2024-03-01", "2024-01-01", "2024-02-01"]),   # any row order
                      "customers_start": [109, 100, 105], "customers_new": [9, 10, 12],
                      "customers_lost": [4, 5, 8], "customers_end": [114, 105, 120]})
    flow, step = count_findings({"Months": m})
    assert (flow.fields["month"], flow.fields["want"], flow.fields["got"], flow.fields["count"]) == \
        ("2024-02-01", "109", "120", 1)
    assert (step.fields["month"], step.fields["want"], step.fields["got"]) == ("2024-03-01", "120", "109")
    good = m.assign(customers_end=[114, 105, 109])
    assert count_findings({"Months": good}) == []
    assert count_findings({"Months": good.assign(customers_end=[114, None, 109])}) == []   # a blank: skipped


def test_a_ticket_id_twice_is_said_with_its_file_rows(tmp_path):
    # reviewer's F14: two snapshots of a Zendesk export pasted together; T1 is in file rows 2 and 4
    # (header = row 1), T2 once: one id repeated, one extra row
    p = tmp_path / "tickets.csv"
    p.write_text("ticket_id,opened_at,resolved_at,status\nT1,2024-06-01 09:00,2024-06-01 12:00,solved\n"
                 "T2,2024-06-02 09:00,,open\nT1,2024-06-01 09:00,,open\n", encoding="utf-8")
    r = reports()["support_complaints"]
    data, check = load_data(r, [p], ReadOptions())
    build(r, tmp_path / "s.xlsx", data=data, values=True, check=check)
    [w] = [f for f in check if f.code == "id_repeated"]
    assert (w.fields["ids"], w.fields["extra"], w.fields["first"], w.fields["rows"]) == (1, 1, "T1", "2, 4")


def test_a_totals_row_proved_by_its_sums_is_left_out(tmp_path):
    # reviewer's F15 (/tmp/r4/in/campaigns_total.csv): four campaigns and Google Ads' trailing Total
    # row; customer acquisition rate by hand = 45 new customers / 500 at the start = 9.0 % (18.0 %
    # with the Total row counted as a fifth campaign)
    p = tmp_path / "campaigns.csv"
    p.write_text("Campaign,Channel,Sessions,Direct sessions,Page views,Leads,Opportunities,New customers,Referrals,"
                 "Invites accepted,Carts,Orders,Spend,Attributed revenue\n"
                 "Spring search,google / cpc,12000,0,30000,400,80,20,0,0,900,300,\"$5,000.00\",\"$12,000.00\"\n"
                 "Newsletter June,email,3000,0,9000,150,40,12,0,0,300,110,$500.00,\"$6,000.00\"\n"
                 "Referral program,referral,800,0,2400,60,20,8,60,8,100,40,$300.00,\"$3,000.00\"\n"
                 "Direct,(direct),5000,5000,15000,90,15,5,0,0,400,120,$0.00,\"$2,500.00\"\n"
                 "Total,,20800,5000,56400,700,155,45,60,8,1700,570,\"$5,800.00\",\"$23,500.00\"\n", encoding="utf-8")
    r = reports()["funnel"]
    data, check = load_data(r, [p], ReadOptions())
    assert data["Campaigns"]["campaign"].tolist() == ["Spring search", "Newsletter June", "Referral program", "Direct"]
    [w] = [f for f in check if f.code == "total_row"]
    assert (w.fields["row"], w.fields["word"]) == (6, "Total")
    v = build(r, tmp_path / "f.xlsx", data=data, values=True, check=check, settings={"customers_start": 500})
    assert math.isclose(v["_whole"]["acquisition_rate"] if "_whole" in v else v["acquisition_rate"], 45 / 500)
    # a row named Total whose numbers are not the sums: kept and counted, with a warning
    q = tmp_path / "c2.csv"
    q.write_text(p.read_text(encoding="utf-8").replace("Total,,20800", "Total,,20700"), encoding="utf-8")
    data, check = load_data(r, [q], ReadOptions())
    assert len(data["Campaigns"]) == 5 and [f.code for f in check if f.code.startswith("total_row")] == ["total_row_kept"]


def test_a_reopened_ticket_is_not_resolved(tmp_path):
    # reviewer's F9 (/tmp/r4/in/intercom_reopen.csv): Intercom keeps "Last closed at" after a reopen.
    # By hand: resolved tickets c1 2 h, c4 48 h, c5 0.5 h -> mean 16.8333 h; c2 (open, closed 1 h after
    # opening) and c3 (snoozed = pending, 4 h) are open again and not resolved.
    p = tmp_path / "tickets.csv"
    p.write_text("ticket_id,opened_at,resolved_at,status\n"
                 "c1,2024-06-03 09:00,2024-06-03 11:00,closed\nc2,2024-06-04 09:00,2024-06-04 10:00,open\n"
                 "c3,2024-06-05 09:00,2024-06-05 13:00,pending\nc4,2024-06-06 09:00,2024-06-08 09:00,closed\n"
                 "c5,2024-06-07 09:00,2024-06-07 09:30,closed\n", encoding="utf-8")
    r = reports()["support_complaints"]
    data, check = load_data(r, [p], ReadOptions())
    t = data["Tickets"]
    assert t["resolved_at"].isna().tolist() == [False, True, True, False, False]
    [w] = [f for f in check if f.code == "resolved_while_open"]
    assert (w.fields["count"], w.fields["row"]) == (2, 3)
    v = build(r, tmp_path / "s.xlsx", data=data, values=True, check=check, period="2024-06")
    assert math.isclose(v["avg_resolution_hours"], (2 + 48 + 0.5) / 3, rel_tol=1e-12)


def test_a_closed_ticket_without_a_resolved_time_is_said(tmp_path):
    # reviewer's H3 (session 6, /tmp/r6/in/freshservice_tickets.csv): INC-12 is Closed with a blank Resolved
    # Date (its time is under Closed Date). Nothing says when it was done: it stays open and out of the
    # resolution times, with a warning naming the row; the resolved ones by hand: 4 h and 0.75 h -> 2.375 h
    p = tmp_path / "tickets.csv"
    p.write_text("ticket_id,opened_at,resolved_at,status\n"
                 "INC-11,2024-03-04 09:00,2024-03-04 13:00,Closed\nINC-12,2024-03-05 10:00,,Closed\n"
                 "INC-13,2024-03-06 09:00,,Open\nINC-14,2024-03-07 09:00,2024-03-07 09:45,Resolved\n",
                 encoding="utf-8")
    r = reports()["support_complaints"]
    data, check = load_data(r, [p], ReadOptions())
    [w] = [f for f in check if f.code == "solved_without_time"]
    assert (w.level, w.fields["count"], w.fields["row"]) == ("warning", 1, 3)
    assert "--map resolved_at=" in w.message
    v = build(r, tmp_path / "s.xlsx", data=data, values=True, check=check, period="2024-03")
    assert math.isclose(v["avg_resolution_hours"], (4 + 0.75) / 2, rel_tol=1e-12)
    # open and reopened tickets are not this warning
    q = tmp_path / "open.csv"
    q.write_text("ticket_id,opened_at,resolved_at,status\nA,2024-03-04 09:00,,Open\nB,2024-03-04 09:00,,pending\n",
                 encoding="utf-8")
    _, check = load_data(r, [q], ReadOptions())
    assert not [f for f in check if f.code == "solved_without_time"]


def test_a_total_row_under_a_column_the_report_does_not_read_is_left_out(tmp_path):
    # reviewer's K8 (session 6, /tmp/r7/in/campaigns_months.csv): the Total word sits under the export's
    # Month column, which the Campaigns table does not read, so the row was summed in as a campaign.
    # By hand over the 3 campaign rows: conversions 5+10+20 = 35 -> acquisition rate 35/200 = 17.5 %
    p = tmp_path / "campaigns.csv"
    p.write_text("Month,Campaign,Channel,Sessions,Direct visits,Pageviews,Leads,Opportunities,Conversions,"
                 "Referred leads,Invites converted,Carts,Orders,Cost,Revenue\n"
                 "2024-04,Webinar,event,1000,300,2500,50,20,5,2,1,100,30,5000,8000\n"
                 "2024-04,Search,search,2000,500,6000,80,30,10,4,2,200,50,4000,12000\n"
                 "2024-06,Search,search,3000,700,9000,120,50,20,6,4,300,90,6000,20000\n"
                 "Total,,,6000,1500,17500,250,100,35,12,7,600,170,15000,40000\n", encoding="utf-8")
    r = reports()["funnel"]
    data, check = load_data(r, [p], ReadOptions())
    assert data["Campaigns"]["campaign"].tolist() == ["Webinar", "Search", "Search"]
    [w] = [f for f in check if f.code == "total_row"]
    assert (w.fields["row"], w.fields["word"]) == (5, "Total")
    v = build(r, tmp_path / "f.xlsx", data=data, values=True, check=check, settings={"customers_start": 200})
    assert math.isclose(v["_whole"]["acquisition_rate"] if "_whole" in v else v["acquisition_rate"], 35 / 200)
