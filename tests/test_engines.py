"""The engines (issue 18): DuckDB equals pandas -- exactly for counts, to the cent for money.

pandas is the reference: the pandas engine *is* the house functions (MRR_MOVEMENTS,
COHORT_RETENTION, tables.subscriptions.monthly_counts, the support and survey KPIs per period), and
the first tests check that, plus hand-calculated tables. Then DuckDB against pandas on seeded
random data (ties, reactivations, several rows per customer-month, blanks, stray spaces, text
months, Persian digits, Jalali and Hijri calendars), and bad input (one-line errors).
Spark: tests/test_engines_spark.py (marked ``spark``).
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from xl_cskpi import calendars, engines
from xl_cskpi.engines import sample
from xl_cskpi.errors import KPIError
from xl_cskpi.kpi import survey
from xl_cskpi.tables import customers, subscriptions
from xl_cskpi.tables.cohorts import cohort_retention
from xl_cskpi.tables.movements import MOVEMENT_COLUMNS, mrr_movements

CALENDARS = ("gregorian", "jalali", "hijri")


# --------------------------------------------------------------------------- comparing tables


def assert_same(ref: pd.DataFrame, got: pd.DataFrame, *, money=(), durations=()) -> None:
    """Same columns and rows; counts, labels and rates exactly; money to the cent; durations to 1e-9."""
    assert list(got.columns) == list(ref.columns)
    assert len(got) == len(ref), (len(got), len(ref))
    for c in ref.columns:
        a, b = ref[c].to_numpy(), got[c].to_numpy()
        if c in money:
            assert np.all(np.abs(a.astype(float) - b.astype(float)) < 0.005), c
        elif c in durations:
            np.testing.assert_allclose(b.astype(float), a.astype(float), rtol=1e-9, atol=1e-9, err_msg=c)
        elif a.dtype.kind == "f":
            np.testing.assert_array_equal(b.astype(float), a, err_msg=c)  # NaN where NaN
        else:
            assert a.dtype.kind == b.dtype.kind or a.dtype == object, (c, a.dtype, b.dtype)
            assert a.tolist() == b.tolist(), c


MONEY = [c for c in MOVEMENT_COLUMNS if c.endswith("MRR")]


def both(table, df, calendar="gregorian", **options):
    ref = engines.compute(table, df, engine="pandas", calendar=calendar, options=options)
    got = engines.compute(table, df, engine="duckdb", calendar=calendar, options=options)
    return ref, got


# --------------------------------------------------------------------------- the reference


def test_pandas_engine_is_the_house_functions():
    df = sample.mrr_rows(3000, seed=1)
    t = engines.compute("movements", df)
    pd.testing.assert_frame_equal(t, mrr_movements(df["customer_id"], df["month"], df["mrr"]))
    c = engines.compute("cohorts", df.rename(columns={"month": "activity_date"}), options={"period": "week"})
    # the sample's mrr column (0 and blank rows) is read as the report reads it: a row above 0 is activity
    pd.testing.assert_frame_equal(c, cohort_retention(df["customer_id"], df["month"], "week", amounts=df["mrr"]))


def test_docstring_example_on_every_sql_engine_by_hand():
    # MRR_MOVEMENTS' worked example: A pays 100, 150, 0; B pays 0, 50, 50 (hand-calculated bridge)
    df = pd.DataFrame({"customer_id": ["A", "A", "B", "B"], "month": ["2024-09", "2024-10", "2024-10", "2024-11"],
                       "mrr": [100.0, 150, 50, 50]})
    for engine in ("pandas", "duckdb"):
        t = engines.compute("movements", df, engine=engine)
        assert t["Month"].tolist() == ["2024-09", "2024-10", "2024-11"]
        assert t["Starting MRR"].tolist() == [0, 100, 200]
        assert t["New MRR"].tolist() == [100, 50, 0]
        assert t["Expansion MRR"].tolist() == [0, 50, 0]
        assert t["Churned MRR"].tolist() == [0, 0, 150]
        assert t["Ending MRR"].tolist() == [100, 200, 50]
        assert t["Churned customers"].tolist() == [0, 0, 1]
        m = engines.compute("monthly_churn", df, engine=engine)
        assert m["customers_start"].tolist() == [0, 1, 2]
        assert m["customers_new"].tolist() == [1, 1, 0]
        assert m["customers_lost"].tolist() == [0, 0, 1]
        assert m["customers_end"].tolist() == [1, 2, 1]
        assert m["month"].dt.strftime("%Y-%m-%d").tolist() == ["2024-09-01", "2024-10-01", "2024-11-01"]


def test_reactivation_and_ties_by_hand():
    # A: 10, 10 (a tie: no expansion), gap, 30 (reactivation); B: two rows in one month summed (5 + 7)
    df = pd.DataFrame({"customer_id": ["A", "A", "A", "B", "B"],
                       "month": ["2024-01", "2024-02", "2024-04", "2024-01", "2024-01"],
                       "mrr": [10.0, 10.0, 30.0, 5.0, 7.0]})
    for engine in ("pandas", "duckdb"):
        t = engines.compute("movements", df, engine=engine)
        assert t["New MRR"].tolist() == [22, 0, 0, 0]
        assert t["Expansion MRR"].tolist() == [0, 0, 0, 0]
        assert t["Churned MRR"].tolist() == [0, 12, 10, 0]
        assert t["Reactivation MRR"].tolist() == [0, 0, 0, 30]
        assert t["Reactivated customers"].tolist() == [0, 0, 0, 1]


def test_monthly_churn_matches_monthly_counts_and_movements():
    df = sample.mrr_rows(4000, seed=2, blanks=False)
    for cal in CALENDARS:
        m = engines.compute("monthly_churn", df, calendar=cal)
        firsts = calendars.period_start_dates(calendars.period_ordinals(df["month"].to_numpy(), "month", cal),
                                              "month", cal)
        ref = subscriptions.monthly_counts(df.assign(month=firsts), calendar=cal)
        pd.testing.assert_frame_equal(m, ref)
        mv = mrr_movements(df["customer_id"], df["month"], df["mrr"], cal)
        assert m["customers_lost"].tolist() == mv["Churned customers"].tolist()
        assert m["customers_new"].tolist() == (mv["New customers"] + mv["Reactivated customers"]).tolist()


def test_monthly_churn_from_spans_matches_churn_rate_between_and_active_customers():
    df = sample.customer_spans(300, seed=3)
    for cal in ("gregorian", "jalali"):
        m = engines.compute("monthly_churn", df, calendar=cal)
        # the independent computation: the Excel functions, month by month
        nxt = list(m["month"].iloc[1:]) + [calendars.period_start_dates(
            [calendars.period_ordinals(m["month"].to_numpy()[-1:], "month", cal)[0] + 1], "month", cal)[0]]
        for i, (first, after) in enumerate(zip(m["month"], nxt)):
            last = pd.Timestamp(after) - pd.Timedelta(days=1)
            day_before = pd.Timestamp(first) - pd.Timedelta(days=1)
            s, e = df["start_date"].tolist(), df["end_date"].tolist()
            base = customers.active_customers(s, e, day_before.date())
            assert m["customers_start"].iloc[i] == base
            assert m["customers_end"].iloc[i] == customers.active_customers(s, e, last.date())
            if base:
                rate = customers.churn_rate_between(s, e, pd.Timestamp(first).date(), last.date())
                assert round(rate * base) == m["customers_lost"].iloc[i]
        assert (m["customers_start"] + m["customers_new"] - m["customers_lost"] == m["customers_end"]).all()


# --------------------------------------------------------------------------- DuckDB = pandas


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("calendar", CALENDARS)
def test_movements_duckdb_equals_pandas(seed, calendar):
    df = sample.mrr_rows(2500, seed=seed, months=30)
    ref, got = both("movements", df, calendar)
    assert_same(ref, got, money=MONEY)
    ref, got = both("monthly_churn", df, calendar)
    assert_same(ref, got)
    ref, got = both("finance", df, calendar)
    assert_same(ref, got, money=("revenue",))


@pytest.mark.parametrize("month_as,calendar", [("iso", "gregorian"), ("label", "gregorian"), ("persian", "jalali"),
                                               ("iso", "hijri")])
def test_movements_text_months_duckdb_equals_pandas(month_as, calendar):
    df = sample.mrr_rows(2000, seed=11, month_as=month_as)
    ref, got = both("movements", df, calendar)
    assert_same(ref, got, money=MONEY)
    ref, got = both("subscriptions", df, calendar)
    assert_same(ref, got, money=("mrr",))


def test_subscriptions_by_hand():
    # two rows of A in January summed; B's 0 is not a paying month; ids trimmed and numbers as text
    df = pd.DataFrame({"customer_id": [" A", "A", "B", 7, 7.0], "month": ["2024-01-05", "2024-01-20", "2024-01-02",
                                                                       "2024-02-01", "2024-02-11"],
                       "mrr": [10.0, 2.5, 0.0, 4.0, 1.0]})
    for engine in ("pandas", "duckdb"):
        t = engines.compute("subscriptions", df, engine=engine)
        assert t["customer_id"].tolist() == ["7", "A"]
        assert t["month"].dt.strftime("%Y-%m").tolist() == ["2024-02", "2024-01"]
        assert t["mrr"].tolist() == [5.0, 12.5]


@pytest.mark.parametrize("period", calendars.PERIODS)
@pytest.mark.parametrize("calendar", CALENDARS)
def test_cohorts_duckdb_equals_pandas(period, calendar):
    df = sample.activity_rows(2500, seed=5, days=400)
    try:
        ref = engines.compute("cohorts", df, engine="pandas", calendar=calendar, options={"period": period})
    except KPIError as e:
        # one date per Gregorian month not lining up with the calendar's months (tables.rows.
        # check_monthly_rows): DuckDB refuses the same rows with the same sentence
        with pytest.raises(KPIError) as theirs:
            engines.compute("cohorts", df, engine="duckdb", calendar=calendar, options={"period": period})
        assert str(theirs.value).split("activity_dates ", 1)[1] == str(e).split("activity_dates ", 1)[1]
        return
    assert_same(ref, engines.compute("cohorts", df, engine="duckdb", calendar=calendar, options={"period": period}))


def test_cohorts_from_month_labels_and_numeric_ids():
    df = sample.mrr_rows(1500, seed=6, month_as="label", blanks=False).drop(columns="mrr")
    df["customer_id"] = df["customer_id"].str[1:].astype(int)
    ref, got = both("cohorts", df.rename(columns={"month": "activity_date"}))
    assert_same(ref, got)


@pytest.mark.parametrize("calendar", ("gregorian", "jalali"))
@pytest.mark.parametrize("seed", range(2))
def test_spans_duckdb_equals_pandas(seed, calendar):
    ref, got = both("monthly_churn", sample.customer_spans(800, seed=seed), calendar)
    assert_same(ref, got)


@pytest.mark.parametrize("options", [{}, {"period": "week", "sla_hours": 8, "as_of": "2024-01-20 12:00"},
                                     {"period": "quarter", "percentiles": (0.25, 0.5, 0.95)}])
@pytest.mark.parametrize("calendar", CALENDARS)
def test_support_summary_duckdb_equals_pandas(options, calendar):
    df = sample.tickets(2000, seed=7)
    ref, got = both("support_summary", df, calendar, **options)
    durations = [c for c in ref.columns if c.endswith("_hours")]
    assert_same(ref, got, durations=durations)


def test_support_percentiles_are_percentile_inc_by_hand():
    # resolved in 1, 2, 4 and 10 hours (RESOLUTION_TIME_PERCENTILE's example): median 3, p90 8.2
    o = pd.Timestamp("2024-09-01 08:00")
    done = [o + pd.Timedelta(hours=h) for h in (1, 2, 4, 10)]
    df = pd.DataFrame({"opened_at": [o] * 5, "resolved_at": done + [None]})
    for engine in ("pandas", "duckdb"):
        t = engines.compute("support_summary", df, engine=engine)
        assert t["tickets"].tolist() == [5] and t["resolved_in_period"].tolist() == [4]
        assert t["resolution_p50_hours"].tolist() == [3.0]
        assert t["resolution_p90_hours"].round(9).tolist() == [8.2]
        assert t["sla_compliance"].tolist() == [1.0]
        assert np.isnan(t["first_response_mean_hours"].iloc[0])  # nobody answered: n/a, not 0


@pytest.mark.parametrize("options", [{}, {"period": "week", "csat_threshold": 5}])
@pytest.mark.parametrize("calendar", CALENDARS)
def test_survey_duckdb_equals_pandas(options, calendar):
    ref, got = both("survey_by_period", sample.responses(2500, seed=8), calendar, **options)
    assert_same(ref, got)


def test_survey_by_hand():
    # September: NPS 10, 9, 8, 3 (2 promoters, 1 detractor of 4: NPS 25); October: CSAT 5, 4, 2 -> 2/3
    df = pd.DataFrame({"submitted_at": ["2024-09-02", "2024-09-05", "2024-09-30", "2024-09-30", "2024-10-01",
                                        "2024-10-02", "2024-10-03"],
                       "nps_score": [10, 9, 8, 3, None, None, None], "csat_score": [None] * 4 + [5, 4, 2]})
    for engine in ("pandas", "duckdb"):
        t = engines.compute("survey_by_period", df, engine=engine)
        assert t["period"].tolist() == ["2024-09", "2024-10"]
        assert t["nps"].iloc[0] == survey.nps([10, 9, 8, 3]) == 25.0
        assert np.isnan(t["nps"].iloc[1])
        assert t["csat"].iloc[1] == pytest.approx(2 / 3, abs=0) and t["csat_average"].iloc[1] == pytest.approx(11 / 3)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", " a", "d"]), st.integers(0, 6),
                          st.sampled_from([None, 0.0, 10.0, 10.0, 10.01, 25.5, 99.99])), min_size=1, max_size=40))
def test_movements_duckdb_equals_pandas_hypothesis(rows):
    df = pd.DataFrame(rows, columns=["customer_id", "m", "mrr"])
    df["month"] = [f"2024-{m + 1:02d}" for m in df["m"]]
    df = df.drop(columns="m")
    ref = engines.compute("movements", df)
    assert_same(ref, engines.compute("movements", df, engine="duckdb"), money=MONEY)
    assert_same(engines.compute("monthly_churn", df), engines.compute("monthly_churn", df, engine="duckdb"))


def test_files_glob_csv_and_parquet(tmp_path):
    df = sample.mrr_rows(3000, seed=9, blanks=False)
    for i, part in enumerate(df.iloc[k::3] for k in range(3)):
        part.to_parquet(tmp_path / f"p{i}.parquet")
        part.assign(month=part["month"].dt.strftime("%Y-%m-%d")).to_csv(tmp_path / f"c{i}.csv", index=False)
    ref = engines.compute("movements", df)
    for pattern in ("p*.parquet", "c*.csv"):
        for engine in ("pandas", "duckdb"):
            got = engines.compute("movements", str(tmp_path / pattern), engine=engine,
                                  options={"memory_limit": "256MB", "temp_directory": str(tmp_path / "spill")})
            assert_same(ref, got, money=MONEY)


def test_columns_by_alias_and_explicit_mapping():
    df = sample.mrr_rows(500, seed=10, blanks=False).rename(
        columns={"customer_id": "Account ID", "month": "Billing Month", "mrr": "Amount"})
    ref = engines.compute("movements", df, engine="duckdb", options={"columns": {"customer_id": "Account ID"}})
    got = engines.compute("movements", df.rename(columns={"Account ID": "account"}), engine="duckdb")
    assert_same(ref, got, money=MONEY)


# --------------------------------------------------------------------------- bad input: one line each


def _error(df, table="movements", engine="duckdb", **kw) -> str:
    with pytest.raises(KPIError) as e:
        engines.compute(table, df, engine=engine, **kw)
    msg = str(e.value)
    assert "\n" not in msg
    return msg


def test_bad_input_is_one_line():
    good = pd.DataFrame({"customer_id": ["A", "B"], "month": ["2024-01-05", "2024-02-05"], "mrr": [10.0, 20.0]})
    assert "has no column for mrr" in _error(good.drop(columns="mrr"))
    assert "negative" in _error(good.assign(mrr=[10.0, -5.0]))
    assert "blank in 1 rows" in _error(good.assign(customer_id=["A", None]))
    assert "'soon'" in _error(good.assign(month=["2024-01-05", "soon"]))
    assert "mixes month labels" in _error(good.assign(month=["2024-01", "2024-02-05"]))
    assert "more than 1200" in _error(good.assign(month=["1800-01-05", "2024-02-05"]))  # a mistyped year
    assert "outside the Umm al-Qura" in _error(good.assign(month=["1900-01-05", "2024-02-05"]), calendar="hijri")
    spans = pd.DataFrame({"start_date": ["2024-01-05", "2024-03-01"], "end_date": ["2024-01-01", None]})
    assert "before start" in _error(spans, "monthly_churn")
    assert "score" in _error(pd.DataFrame({"submitted_at": ["2024-01-05"], "nps_score": [11]}), "survey_by_period")
    assert "whole numbers from 0 to 10" in _error(pd.DataFrame({"date": ["2024-01-05"], "nps": [7.5]}),
                                                  "survey_by_period")
    assert "use one of" in _error(good, engine="polars")
    assert "use one of" in _error(good, "churn")
    assert "use one of" in _error(good, calendar="julian")
    assert "is monthly" in _error(good, options={"period": "week"})


def test_bad_files(tmp_path):
    assert "matches no files" in _error(str(tmp_path / "*.parquet"))
    (tmp_path / "x.json").write_text("{}")
    assert "not a .csv or .parquet" in _error(str(tmp_path / "x.json"))
    assert "does not exist" in _error(str(tmp_path / "missing.csv"))


def test_memory_limit_is_checked():
    assert "give a size" in _error(pd.DataFrame({"a": [1]}), options={"memory_limit": "lots"})


def test_engine_not_installed(monkeypatch):
    monkeypatch.setitem(sys.modules, "duckdb", None)  # import duckdb raises ImportError
    msg = _error(pd.DataFrame({"customer_id": ["A"], "month": ["2024-01"], "mrr": [1.0]}))
    assert "pip install 'xl_cskpi[duckdb]'" in msg


def test_import_xl_cskpi_stays_light():
    import subprocess
    code = ("import sys, xl_cskpi, xl_cskpi.engines, xl_cskpi.engines.cli, xl_cskpi.cli; "
            "print('duckdb' in sys.modules, 'pyspark' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_csv_cells_are_text_on_every_engine(tmp_path):
    # "007" and "7" are two customers (ids keep leading zeros); times without seconds; blank MRR is 0
    path = tmp_path / "billing.csv"
    path.write_text("customer_id,month,mrr\n007,2024-01-03,10\n7,2024-01-09,5\n007,2024-02-01,\n7,2024-02-11,5\n")
    for engine in ("pandas", "duckdb"):
        t = engines.compute("movements", str(path), engine=engine)
        assert t["New customers"].tolist() == [2, 0] and t["Churned customers"].tolist() == [0, 1]
    tickets = tmp_path / "tickets.csv"
    tickets.write_text("opened_at,resolved_at\n2024-09-01 10:30,2024-09-01 12:00\n2024-09-02 08:00,\n")
    for engine in ("pandas", "duckdb"):
        t = engines.compute("support_summary", str(tickets), engine=engine)
        assert t["tickets"].tolist() == [2] and t["resolution_mean_hours"].tolist() == [1.5]


def test_times_with_a_zone_are_read_in_utc():
    # 01:00 in Tehran on 1 September is 21:30 UTC on 31 August: the August ticket on every engine
    opened = pd.Series(pd.to_datetime(["2024-09-01 01:00", "2024-09-15 12:00"])).dt.tz_localize("Asia/Tehran")
    df = pd.DataFrame({"opened_at": opened, "resolved_at": opened + pd.Timedelta(hours=2)})
    for engine in ("pandas", "duckdb"):
        t = engines.compute("support_summary", df, engine=engine)
        assert t["period"].tolist() == ["2024-08", "2024-09"] and t["tickets"].tolist() == [1, 1]


def test_options_are_checked_once_for_every_engine():
    df = pd.DataFrame({"opened_at": ["2024-09-01 10:00"], "resolved_at": ["2024-09-01 11:00"]})
    assert "0 or more" in _error(df, "support_summary", options={"sla_hours": -1})
    assert "fractions from 0 to 1" in _error(df, "support_summary", options={"percentiles": (0.5, 90)})
    assert "without a zone" in _error(df, "support_summary", options={"as_of": "yesterday-ish"})
    responses = pd.DataFrame({"submitted_at": ["2024-09-01"], "csat_score": [4]})
    assert "on the scale, 1 to 5" in _error(responses, "survey_by_period", options={"csat_threshold": 6})
    assert "2 to 100" in _error(responses, "survey_by_period", options={"csat_scale_max": 1})


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 95), st.one_of(st.none(), st.integers(0, 70), st.just(10_000_000))),
                min_size=1, max_size=25),
       st.sampled_from(CALENDARS))
def test_spans_duckdb_equals_pandas_hypothesis(spans, calendar):
    # starts over ~3 months from 2024-01-30 (month ends and firsts), ends the same day or later, open,
    # or 9999-12-31 far away (still active)
    day0 = pd.Timestamp("2024-01-30")
    starts = [day0 + pd.Timedelta(days=s) for s, _ in spans]
    ends = [None if e is None else "9999-12-31" if e == 10_000_000 else str((a + pd.Timedelta(days=e)).date())
            for a, (_, e) in zip(starts, spans)]
    df = pd.DataFrame({"start_date": [str(a.date()) for a in starts], "end_date": ends})
    ref, got = both("monthly_churn", df, calendar)
    assert_same(ref, got)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60 * 24 * 70), st.one_of(st.none(), st.sampled_from([0, 30, 60, 60, 1440])),
                          st.one_of(st.none(), st.integers(0, 600))), min_size=1, max_size=25))
def test_support_duckdb_equals_pandas_hypothesis(rows):
    # ties (the same resolution time), zero durations, open and unanswered tickets, month boundaries
    o = [pd.Timestamp("2024-01-15") + pd.Timedelta(minutes=m) for m, _, _ in rows]
    df = pd.DataFrame({"opened_at": o,
                       "resolved_at": [None if r is None else a + pd.Timedelta(minutes=r) for a, (_, r, _) in zip(o, rows)],
                       "first_response_at": [None if f is None else a + pd.Timedelta(minutes=f)
                                             for a, (_, _, f) in zip(o, rows)]})
    ref, got = both("support_summary", df, sla_hours=1, as_of="2024-04-01")
    assert_same(ref, got, durations=[c for c in ref.columns if c.endswith("_hours")])


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["u1", "u2", "u3", "u4"]), st.integers(0, 200)), min_size=1, max_size=30),
       st.sampled_from(calendars.PERIODS), st.sampled_from(CALENDARS))
def test_cohorts_duckdb_equals_pandas_hypothesis(rows, period, calendar):
    # several rows a period, customers coming back after gaps, period and year boundaries (from 2024-12-20)
    df = pd.DataFrame({"customer_id": [c for c, _ in rows],
                       "activity_date": [pd.Timestamp("2024-12-20") + pd.Timedelta(days=d) for _, d in rows]})
    try:
        ref = engines.compute("cohorts", df, engine="pandas", calendar=calendar, options={"period": period})
    except KPIError as e:
        # one date per Gregorian month not lining up with the calendar's months (tables.rows.
        # check_monthly_rows): DuckDB refuses the same rows with the same sentence
        with pytest.raises(KPIError) as theirs:
            engines.compute("cohorts", df, engine="duckdb", calendar=calendar, options={"period": period})
        assert str(theirs.value).split("activity_dates ", 1)[1] == str(e).split("activity_dates ", 1)[1]
        return
    assert_same(ref, engines.compute("cohorts", df, engine="duckdb", calendar=calendar, options={"period": period}))


@pytest.mark.parametrize("table", ["movements", "subscriptions", "monthly_churn", "finance"])
@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_gregorian_monthly_rows_in_hijri_months_are_refused_by_every_monthly_table(table, engine):
    # 1 Feb and 1 Mar 2014 are both in Rabi' II 1435 and Rabi' I holds neither (calendars.month_fit's
    # example): counted in Hijri months a steady customer's two months would be summed, then missing
    df = pd.DataFrame({"customer_id": ["a"] * 4, "month": ["2014-01-01", "2014-02-01", "2014-03-01", "2014-04-01"],
                       "mrr": [10.0] * 4})
    msg = _error(df, table, engine=engine, calendar="hijri")
    assert "fall in the same hijri month 1435-04" in msg
    # the same rows in Gregorian months, or as Hijri labels, are counted
    assert engines.compute(table, df, engine=engine)["month" if table != "movements" else "Month"].size == 4
