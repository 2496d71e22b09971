"""Spark (local mode) equals pandas: exactly for counts, to the cent for money (issue 18).

One SparkSession for the whole test run (``local[1]``, one shuffle partition, no UI), so the JVM
starts once. Marked ``spark``: deselect locally with ``-m "not spark"``; CI runs them (Java 17).
The data generators and the comparison are those of tests/test_engines.py.
"""

from __future__ import annotations

import pandas as pd
import pytest

from xl_cskpi import engines
from xl_cskpi.engines import sample

from test_engines import MONEY, assert_same

pytestmark = pytest.mark.spark


# the ``spark`` fixture: tests/conftest.py


def on_spark(table, source, spark, calendar="gregorian", **options):
    return engines.compute(table, source, engine="spark", calendar=calendar, options={"spark": spark, **options})


def ref(table, source, calendar="gregorian", **options):
    return engines.compute(table, source, engine="pandas", calendar=calendar, options=options)


@pytest.mark.parametrize("month_as,calendar", [("date", "gregorian"), ("persian", "jalali"), ("date", "hijri")])
def test_movements_and_monthly_churn(spark, month_as, calendar):
    df = sample.mrr_rows(2000, seed=21, months=26, month_as=month_as)
    assert_same(ref("movements", df, calendar), on_spark("movements", df, spark, calendar), money=MONEY)
    assert_same(ref("monthly_churn", df, calendar), on_spark("monthly_churn", df, spark, calendar))
    assert_same(ref("subscriptions", df, calendar), on_spark("subscriptions", df, spark, calendar), money=("mrr",))
    assert_same(ref("finance", df, calendar), on_spark("finance", df, spark, calendar), money=("revenue",))


@pytest.mark.parametrize("period,calendar", [("month", "gregorian"), ("week", "jalali"), ("quarter", "hijri")])
def test_cohorts(spark, period, calendar):
    df = sample.activity_rows(2000, seed=22, days=400)
    assert_same(ref("cohorts", df, calendar, period=period), on_spark("cohorts", df, spark, calendar, period=period))


def test_spans(spark):
    df = sample.customer_spans(600, seed=23)
    assert_same(ref("monthly_churn", df, "jalali"), on_spark("monthly_churn", df, spark, "jalali"))


def test_support_percentiles_exact(spark):
    # Spark's exact PERCENTILE, never percentile_approx: equal to numpy's linear rule (PERCENTILE.INC)
    df = sample.tickets(1500, seed=24)
    opts = {"period": "week", "sla_hours": 8, "as_of": "2024-01-20 12:00", "percentiles": (0.5, 0.9)}
    got = on_spark("support_summary", df, spark, "jalali", **opts)
    want = ref("support_summary", df, "jalali", **opts)
    assert_same(want, got, durations=[c for c in want.columns if c.endswith("_hours")])


def test_survey(spark):
    df = sample.responses(2000, seed=25)
    assert_same(ref("survey_by_period", df, "hijri"), on_spark("survey_by_period", df, spark, "hijri"))


def test_files_and_table_names(spark, tmp_path):
    df = sample.mrr_rows(1500, seed=26, blanks=False)
    want = ref("movements", df)
    for k in range(2):  # Spark reads micro-second Parquet timestamps (pandas writes nanoseconds by default)
        df.iloc[k::2].to_parquet(tmp_path / f"p{k}.parquet", coerce_timestamps="us", allow_truncated_timestamps=True)
    df.assign(month=df["month"].dt.strftime("%Y-%m-%d")).to_csv(tmp_path / "all.csv", index=False)
    assert_same(want, on_spark("movements", str(tmp_path / "p*.parquet"), spark), money=MONEY)
    assert_same(want, on_spark("movements", str(tmp_path / "all.csv"), spark), money=MONEY)
    spark.createDataFrame(df).createOrReplaceTempView("billing_rows")
    assert_same(want, on_spark("movements", "billing_rows", spark), money=MONEY)


def test_spark_errors_are_one_line(spark, tmp_path):
    df = pd.DataFrame({"customer_id": ["A", "B"], "month": ["2024-01-05", "2024-02-05"], "mrr": [10.0, -1.0]})
    with pytest.raises(engines.EngineError, match="negative"):
        on_spark("movements", df, spark)
    with pytest.raises(engines.EngineError, match="'soon'"):  # ANSI mode: no CAST('' AS BIGINT) error
        on_spark("movements", df.assign(mrr=[1.0, 2.0], month=["2024-01", "soon"]), spark)
    with pytest.raises(engines.EngineError, match="neither a file nor a table"):
        on_spark("movements", "no_such_table", spark)
    df.assign(mrr=[1.0, 2.0], month=pd.to_datetime(df["month"])).to_parquet(tmp_path / "ns.parquet")
    with pytest.raises(engines.EngineError, match="coerce_timestamps='us'"):
        on_spark("movements", str(tmp_path / "ns.parquet"), spark)


def test_zendesk_minutes_resolved_periods_and_blank_inputs(spark, tmp_path):
    # the hand-worked Zendesk tickets of tests/test_engines_columns.py (F12): first reply minutes,
    # a month (July) with a resolution but no ticket opened, and the same without its minutes column
    from test_engines_columns import CRM, CRM_MONTHS, ZD_EXPECTED, ZENDESK, _check, _months
    path = tmp_path / "zendesk.csv"
    path.write_text(ZENDESK)
    got = on_spark("support_summary", str(path), spark)
    _check(got, ZD_EXPECTED)
    assert_same(ref("support_summary", str(path)), got)
    bare = pd.read_csv(path, dtype=str).drop(columns=["First reply time in minutes"])
    got = on_spark("support_summary", bare, spark, calendar="jalali")
    want = ref("support_summary", bare, calendar="jalali")
    assert_same(want, got)
    assert got["replied"].isna().all() and got.attrs["notes"] == want.attrs["notes"]
    crm = tmp_path / "crm_customers.csv"
    crm.write_text(CRM)
    assert _months(on_spark("monthly_churn", str(crm), spark)) == CRM_MONTHS


def test_times_with_utc_offsets(spark, tmp_path):
    # the hand-worked HubSpot-like times of tests/test_engines_columns.py: 23 h across the US DST start
    path = tmp_path / "tickets.csv"
    path.write_text("opened_at,resolved_at\n"
                    "2024-03-09T22:00:00-08:00,2024-03-10T22:00:00-07:00\n"
                    "2024-03-31T23:30:00-07:00,2024-04-01T01:30:00-07:00\n"
                    "2024-04-02 10:00,2024-04-02 13:00\n")
    got = on_spark("support_summary", str(path), spark)
    assert got["resolution_mean_hours"].round(9).tolist() == [23.0, 2.5]
    want = ref("support_summary", str(path))
    assert_same(want, got)
    assert got.attrs["notes"] == want.attrs["notes"]


def test_ticket_status_reopened(spark, tmp_path):
    # the reviewer's Intercom file (F9) and the hand-counted statuses of tests/test_compute_status.py:
    # a ticket open again (open, snoozed, pending, on-hold, Persian, Freshdesk words) is not resolved
    from test_compute_status import DURATIONS, INTERCOM, _tickets
    path = tmp_path / "intercom.csv"
    path.write_text(INTERCOM)
    got = on_spark("support_summary", str(path), spark)
    assert got.iloc[0]["resolution_mean_hours"] == pytest.approx(50.5 / 3)   # 16.8 h, as report
    assert_same(ref("support_summary", str(path)), got, durations=DURATIONS)
    got = on_spark("support_summary", _tickets(), spark)
    want = ref("support_summary", _tickets())
    assert_same(want, got, durations=DURATIONS)
    assert got.attrs["notes"] == want.attrs["notes"]
    # end times before the ticket opened: left out with a note, as report does
    early = _tickets().assign(first_response_at=["2024-03-01 07:00"] + ["2024-03-05 09:00"] * 8)
    got, want = on_spark("support_summary", early, spark), ref("support_summary", early)
    assert_same(want, got, durations=DURATIONS)
    assert got.attrs["notes"] == want.attrs["notes"] and any("before opened_at" in n for n in got.attrs["notes"])


def test_decimal_marks_as_report(spark, tmp_path):
    # the reviewer's German ';' export (W.md 6): 1.200 undecided is refused with the report's line;
    # --decimal , gives February's 5,140 by hand; 12.5 in the column proves a decimal point
    from test_compute_marks import COLUMNS, EU_DOTS
    path = tmp_path / "eu.csv"
    path.write_text(EU_DOTS)
    with pytest.raises(engines.EngineError, match="could be 1.2 or 1200.*pass --decimal , if it is 1200"):
        on_spark("movements", str(path), spark, columns=COLUMNS)
    got = on_spark("movements", str(path), spark, columns=COLUMNS, decimal=",")
    assert got["Ending MRR"].tolist() == [2640.0, 5140.0]
    assert_same(ref("movements", str(path), columns=COLUMNS, decimal=","), got, money=MONEY)
    proved = tmp_path / "proved.csv"
    proved.write_text('customer_id,month,mrr\nA,2024-01,1.200\nB,2024-01,12.5\nC,2024-01,"1,200.50"\n')
    assert on_spark("subscriptions", str(proved), spark)["mrr"].tolist() == [1.2, 12.5, 1200.5]


def test_timezone_and_one_offset(spark, tmp_path):
    # tests/test_compute_zones.py's hand cases: Los Angeles' wall clock (24 h across the DST start,
    # March 2 tickets), one offset read as written
    from test_compute_zones import MIXED, ONE, _by_period
    path = tmp_path / "mixed.csv"
    path.write_text(MIXED)
    got = on_spark("support_summary", str(path), spark, timezone="America/Los_Angeles")
    assert _by_period(got) == {"2024-03": (2, 24.0), "2024-04": (1, 4.0)}
    want = ref("support_summary", str(path), timezone="America/Los_Angeles")
    assert_same(want, got, durations=[c for c in want.columns if c.endswith("_hours")])
    assert got.attrs["notes"] == want.attrs["notes"]
    one = tmp_path / "one.csv"
    one.write_text(ONE)
    assert _by_period(on_spark("support_summary", str(one), spark)) == {"2024-03": (1, None), "2024-04": (1, 4.0)}
