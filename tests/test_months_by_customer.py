"""The Months table counts customers, not rows (reviewer's H2, session 6).

A customer list may hold several rows per customer (the Customers table allows it: a main contract
and an add-on, a renewal written as a new row). Monthly churn, retention and active customers counted
rows: the reviewer's CRM list (/tmp/r6/in/crm_customers_en.csv, rewritten inline below) showed churn
50 %, retention 50 %, active 5 for 2024-04 where, counting customers, they are 60 %, 40 %, 4 -- and the
same workbook's CUSTOMER_CHURN_RATE, which merges a customer's rows, said 60 %. Now a customer's rows
are merged into spells as CUSTOMER_CHURN_RATE merges them (tables.churn.customer_spells) in the report
(tables.customers.monthly_counts_from_spans) and in `compute monthly_churn` (pandas, DuckDB, Spark).

Expected values are counted by hand in the comments; the random checks compare three independent
countings: the vectorised one, the reference engine's sets of ids per month and DuckDB's SQL, and
CUSTOMER_CHURN_RATE's seed convention of each month.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from xl_cskpi import engines
from xl_cskpi.engines import reference
from xl_cskpi.exports.check import ReadOptions
from xl_cskpi.reports import reports
from xl_cskpi.reports.builder import build
from xl_cskpi.reports.fill import load_data
from xl_cskpi.tables.churn import churn_counts
from xl_cskpi.tables.customers import monthly_counts_from_spans

from test_engines import assert_same

R = reports()
COUNTS = ["customers_start", "customers_new", "customers_lost", "customers_end"]

# the reviewer's H2 file (crm_customers_en.csv): C1 has two open contracts, Gold from 5 January and
# "Add-on seats" from 10 February
CRM_EN = """Customer ID,Company,Start Date,Cancel Date,Plan
C1,Alpha,2024-01-05,,Gold
C1,Alpha,2024-02-10,,Add-on seats
C2,Beta,2024-01-12,2024-03-20,Silver
C3,Gamma,2024-02-01,2024-04-15,Gold
C4,Delta,2024-03-10,,Bronze
C5,Epsilon,2024-03-25,2024-04-28,Bronze
C6,Zeta,2024-04-03,,Gold
C7,Eta,2024-04-10,,Silver
C8,Theta,2023-12-30,2024-04-30,Gold
C9,Iota,2024-05-01,,Bronze
"""
# by hand, distinct customers (the reviewer's H2 section): Dec C8 new -> 1; Jan C1, C2 new -> 3;
# Feb C3 new (C1's add-on is no new customer) -> 4; Mar start 4, new C4 C5, lost C2 -> 5; Apr start 5
# (C1 C3 C4 C5 C8), new C6 C7, lost C3 C5 C8, end 4 (C1 C4 C6 C7); May C9 new -> 5
CRM_EN_MONTHS = {"2023-12": [0, 1, 0, 1], "2024-01": [1, 2, 0, 3], "2024-02": [3, 1, 0, 4],
                 "2024-03": [4, 2, 1, 5], "2024-04": [5, 2, 3, 4], "2024-05": [4, 1, 0, 5]}
# the rows counted as customers (what was shown): Feb new 2 / end 5, Apr start 6, end 5
ROWS_APRIL = [6, 2, 3, 5]

# the reviewer's Persian twin (didar_customers_fa2.csv, Jalali dates, Persian digits): C1 has two
# contracts from 1402/10/05; C10 leaves 1403/01/15 and is back 1403/02/01
DIDAR_FA = """کد مشتری,نام مشتری,تاریخ شروع قرارداد,تاریخ لغو,طرح,مبلغ قرارداد (ریال)
C1,شرکت آلفا,1402/10/05,,طلایی,"۱۲٬۰۰۰٬۰۰۰"
C2,شرکت بتا,1402/11/12,1403/01/20,نقره‌ای,"۶٬۰۰۰٬۰۰۰"
C3,شرکت گاما,۱۴۰۲/۱۲/۰۱,۱۴۰۳/۰۲/۱۵,طلایی,"۱۲٬۰۰۰٬۰۰۰"
C4,شرکت دلتا,1403/01/10,,برنزی,"۳٬۰۰۰٬۰۰۰"
C5,شرکت اپسیلون,1403/01/25,1403/02/28,برنزی,"۳٬۰۰۰٬۰۰۰"
C6,شرکت زتا,۱۴۰۳/۰۲/۰۳,,طلایی,"۱۲٬۰۰۰٬۰۰۰"
C7,شرکت اتا,1403/02/10,,نقره‌ای,"۶٬۰۰۰٬۰۰۰"
C8,شرکت تتا,1402/09/30,1403/02/31,طلایی,"۱۲٬۰۰۰٬۰۰۰"
C1,شرکت آلفا,1402/10/05,,برنزی,"۱۲٬۰۰۰٬۰۰۰"
C9,شرکت یوتا,1403/03/01,,برنزی,"۳٬۰۰۰٬۰۰۰"
C10,شرکت کاپا,1402/10/01,1403/01/15,نقره‌ای,"۶٬۰۰۰٬۰۰۰"
C10,شرکت کاپا,1403/02/01,,نقره‌ای,"۶٬۰۰۰٬۰۰۰"
"""


def _by_month(t: pd.DataFrame, calendar: str = "gregorian") -> dict[str, list[int]]:
    from xl_cskpi import calendars
    labels = calendars.period_labels(t["month"].to_numpy(dtype="datetime64[ns]"), "month", calendar, arg="month")
    return {str(k): [int(x) for x in row] for k, row in zip(labels, t[COUNTS].to_numpy())}


def _crm() -> pd.DataFrame:
    return pd.read_csv(io.StringIO(CRM_EN), dtype=str)


def _blank_to_none(s: pd.Series) -> list:
    return [None if pd.isna(x) else x for x in s]


# --------------------------------------------------------------------------- the function, by hand


def test_reviewers_list_counts_customers_not_rows():
    d = _crm()
    starts, ends = d["Start Date"].tolist(), _blank_to_none(d["Cancel Date"])
    got = monthly_counts_from_spans(starts, ends, customer_ids=d["Customer ID"].tolist())
    assert _by_month(got) == CRM_EN_MONTHS
    april = CRM_EN_MONTHS["2024-04"]
    assert april[2] / april[0] == 0.6 and (april[3] - april[1]) / april[0] == 0.4      # churn 60 %, retention 40 %
    # without ids every row is a customer (callers with no ids): what the report showed
    assert _by_month(monthly_counts_from_spans(starts, ends))["2024-04"] == ROWS_APRIL


# A: two overlapping rows (10 Jan - 5 Mar and 1 Feb - 20 Feb): one spell
# B: two touching rows (15 Jan - 15 Feb, then 15 Feb - open): a renewal, no churn
# C: 5 Jan - 10 Feb, a gap, back 1 Apr - 20 May: lost in Feb, new again in Apr, lost in May
# D: 1 Dec - 10 Mar, back 20 Mar (open): leaves and returns within March: neither lost nor new in it
# E: 1 Feb - open and 1 Mar - 31 Mar (blank end first): one open spell
# F: 2-5 Apr and 10-12 Apr: joins and leaves twice within April: new 1, lost 1
SPELLS = [("A", "2024-01-10", "2024-03-05"), ("A", "2024-02-01", "2024-02-20"),
          ("B", "2024-01-15", "2024-02-15"), ("B", "2024-02-15", None),
          ("C", "2024-01-05", "2024-02-10"), ("C", "2024-04-01", "2024-05-20"),
          ("D", "2023-12-01", "2024-03-10"), ("D", "2024-03-20", None),
          ("E", "2024-02-01", None), ("E", "2024-03-01", "2024-03-31"),
          ("F", "2024-04-02", "2024-04-05"), ("F", "2024-04-10", "2024-04-12")]
# by hand:   start new lost end
SPELLS_MONTHS = {"2023-12": [0, 1, 0, 1],   # D
                 "2024-01": [1, 3, 0, 4],   # A, B, C new
                 "2024-02": [4, 1, 1, 4],   # E new; C lost (A's and B's second rows are no new customer)
                 "2024-03": [4, 0, 1, 3],   # A lost; D back within the month: not lost; E's row inside its spell
                 "2024-04": [3, 2, 1, 4],   # C back and F new; F lost (once)
                 "2024-05": [4, 0, 1, 3]}   # C lost


@pytest.mark.parametrize("seed", [None, 1, 2, 3])
def test_overlap_touch_gap_return_blank_ends_in_any_row_order(seed):
    rows = list(SPELLS)
    if seed is not None:
        rows = [rows[i] for i in np.random.default_rng(seed).permutation(len(rows))]
    ids, starts, ends = (list(x) for x in zip(*rows))
    got = monthly_counts_from_spans(starts, ends, customer_ids=ids)
    assert _by_month(got) == SPELLS_MONTHS
    # the reference engine's sets of ids per month agree
    want = reference._spans({"start": pd.Series(starts), "end": pd.Series(ends), "customer_id": pd.Series(ids)},
                            "gregorian", {"end": "end"}, {})
    pd.testing.assert_frame_equal(got, want, check_dtype=False)


def test_ids_read_as_customer_churn_rate_reads_them_and_blank_ids_and_leads():
    # " A" and "A" are one customer, 1001 and "1001" too (cells.texts, as CUSTOMER_CHURN_RATE reads ids)
    got = monthly_counts_from_spans(["2024-01-10", "2024-02-01", "2024-01-05", "2024-03-01"],
                                    [None, None, None, None], customer_ids=[" A", "A", 1001, "1001"])
    assert _by_month(got) == {"2024-01": [0, 2, 0, 2], "2024-02": [2, 0, 0, 2], "2024-03": [2, 0, 0, 2]}
    # a row with dates and no id is a customer of its own; an id without dates (a lead) is skipped
    got = monthly_counts_from_spans(["2024-01-10", "2024-01-12", "2024-01-20", None],
                                    [None, "2024-02-03", None, None], customer_ids=["A", None, "", "L1"])
    assert _by_month(got) == {"2024-01": [0, 3, 0, 3], "2024-02": [3, 0, 1, 2]}
    # an end before its start names the row, as without ids
    with pytest.raises(ValueError, match="row 2"):
        monthly_counts_from_spans(["2024-01-10", "2024-03-01"], [None, "2024-02-01"], customer_ids=["A", "A"])


# --------------------------------------------------------------------------- the report


def test_churn_report_of_the_reviewers_list(tmp_path):
    p = tmp_path / "crm_customers_en.csv"
    p.write_text(CRM_EN)
    data, check = load_data(R["churn_retention"], [p], ReadOptions(lang="en"))
    assert _by_month(data["Months"]) == CRM_EN_MONTHS
    v = build(R["churn_retention"], tmp_path / "c.xlsx", data=data, values=True, check=check, period="2024-04")
    # shown before: churn 50 %, retention 50 %, active 5; by hand 60 %, 40 %, 4
    assert math.isclose(v["churn_rate"], 0.6, rel_tol=1e-12)
    assert math.isclose(v["retention_rate"], 0.4, rel_tol=1e-12)
    assert v["customers_end"] == 4
    # the same month's CUSTOMER_CHURN_RATE, seed convention (the Months table's rule): 3 / 5
    d = _crm()
    lost, base = churn_counts(d["Customer ID"].tolist(), d["Start Date"].tolist(), _blank_to_none(d["Cancel Date"]),
                              "2024-04-01", "2024-04-30")["seed"]
    assert (lost, base) == (3, 5)


def test_persian_churn_report_of_the_reviewers_twin(tmp_path):
    # 1403-02 by hand: start C1 C3 C4 C5 C8 = 5 (C10 left in 1403-01); new C6, C7 and C10 (back after
    # a gap) = 3; lost C3 C5 C8 = 3; end C1 C4 C6 C7 C10 = 5: churn 3/5, retention (5-3)/5
    p = tmp_path / "didar_customers_fa2.csv"
    p.write_text(DIDAR_FA, encoding="utf-8")
    data, check = load_data(R["churn_retention"], [p], ReadOptions(lang="fa"))
    months = _by_month(data["Months"], "jalali")
    assert months["1403-02"] == [5, 3, 3, 5]
    assert months["1403-01"] == [5, 2, 2, 5]      # new C4 C5; lost C2, C10
    v = build(R["churn_retention"], tmp_path / "c.xlsx", data=data, values=True, check=check, period="1403-02",
              lang="fa")
    assert math.isclose(v["churn_rate"], 0.6, rel_tol=1e-12)
    assert math.isclose(v["retention_rate"], 0.4, rel_tol=1e-12)
    assert v["customers_end"] == 5


# --------------------------------------------------------------------------- compute monthly_churn


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_compute_monthly_churn_of_the_reviewers_list(tmp_path, engine):
    p = tmp_path / "crm_customers_en.csv"
    p.write_text(CRM_EN)
    assert _by_month(engines.compute("monthly_churn", str(p), engine=engine)) == CRM_EN_MONTHS
    # without the id column, rows are all there is to count
    rows = _crm().drop(columns="Customer ID")
    assert _by_month(engines.compute("monthly_churn", rows, engine=engine))["2024-04"] == ROWS_APRIL


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_compute_monthly_churn_hand_cases(engine):
    rows = list(SPELLS) + [(None, "2024-01-20", "2024-04-03"), ("L1", None, None)]
    # a row with no id: a customer of its own (new in Jan, lost in Apr); a lead: skipped
    df = pd.DataFrame(rows, columns=["customer_id", "start_date", "end_date"])
    want = {k: list(v) for k, v in SPELLS_MONTHS.items()}
    for k in ("2024-01", "2024-02", "2024-03"):
        want[k][3] += 1
    for k in ("2024-02", "2024-03", "2024-04"):
        want[k][0] += 1
    want["2024-01"][1] += 1
    want["2024-04"][2] += 1
    assert _by_month(engines.compute("monthly_churn", df, engine=engine)) == want


def _random_list(seed: int, n: int = 600) -> pd.DataFrame:
    """Customers with one to four rows: overlapping, touching, after gaps, open, 9999-12-31, ids
    with blanks around them, a few rows without an id."""
    rng = np.random.default_rng(seed)
    cust = rng.integers(0, n // 3, n)
    start = np.datetime64("2022-01-01") + rng.integers(0, 800, n).astype("timedelta64[D]")
    on_first = rng.random(n) < 0.2   # many starts on the first of a month
    start[on_first] = start[on_first].astype("datetime64[M]").astype("datetime64[D]")
    length = rng.integers(0, 300, n).astype("timedelta64[D]")
    end = (start + length).astype(object)
    r = rng.random(n)
    end = pd.Series([str(e) for e in end], dtype=object)
    end[r < 0.3] = None
    end[(r >= 0.3) & (r < 0.35)] = "9999-12-31"
    # touching rows: a quarter of the rows start on the day another row of theirs ends
    ids = np.array([f"C{c}" for c in cust], dtype=object)
    df = pd.DataFrame({"customer_id": ids, "start_date": [str(s) for s in start], "end_date": end})
    touch = np.flatnonzero(rng.random(n) < 0.25)
    ended = df.index[df["end_date"].notna() & (df["end_date"] != "9999-12-31")].to_numpy()
    if len(ended):
        src = ended[rng.integers(0, len(ended), len(touch))]
        df.loc[touch, "customer_id"] = df.loc[src, "customer_id"].to_numpy()
        df.loc[touch, "start_date"] = df.loc[src, "end_date"].to_numpy()
        later = pd.to_datetime(df.loc[touch, "start_date"]) + pd.to_timedelta(rng.integers(0, 200, len(touch)), "D")
        df.loc[touch, "end_date"] = np.where(rng.random(len(touch)) < 0.4, None, later.dt.strftime("%Y-%m-%d"))
    spaced = rng.random(n) < 0.05
    df.loc[spaced, "customer_id"] = " " + df.loc[spaced, "customer_id"] + " "
    df.loc[rng.random(n) < 0.01, "customer_id"] = None
    return df


@pytest.mark.parametrize("seed,calendar", [(1, "gregorian"), (2, "jalali"), (3, "hijri")])
def test_random_lists_function_reference_duckdb_and_customer_churn_rate_agree(seed, calendar):
    df = _random_list(seed)
    shuffled = df.sample(frac=1, random_state=seed).reset_index(drop=True)
    got = monthly_counts_from_spans(shuffled["start_date"].to_numpy(), shuffled["end_date"].to_numpy(), calendar,
                                    customer_ids=shuffled["customer_id"].to_numpy())
    ref = engines.compute("monthly_churn", df, engine="pandas", calendar=calendar)
    duck = engines.compute("monthly_churn", shuffled, engine="duckdb", calendar=calendar)
    assert_same(ref, duck)
    pd.testing.assert_frame_equal(got.reset_index(drop=True), ref[["month", *COUNTS]].reset_index(drop=True),
                                  check_dtype=False)
    assert (got["customers_new"] < monthly_counts_from_spans(df["start_date"].to_numpy(), df["end_date"].to_numpy(),
                                                              calendar)["customers_new"]).any()   # rows merged
    # each month's lost / start is CUSTOMER_CHURN_RATE's seed convention of that month (rows without an
    # id, which it refuses, left out of both)
    named = df[df["customer_id"].notna()]
    m = monthly_counts_from_spans(named["start_date"].to_numpy(), named["end_date"].to_numpy(),
                                  customer_ids=named["customer_id"].to_numpy())
    for _, row in m.iloc[::5].iterrows():
        first = row["month"]
        last = first + pd.offsets.MonthEnd(0)
        lost, base = churn_counts(named["customer_id"].tolist(), named["start_date"].tolist(),
                                  named["end_date"].tolist(), first, last)["seed"]
        assert (lost, base) == (row["customers_lost"], row["customers_start"])


# --------------------------------------------------------------------------- properties

_DAY0 = np.datetime64("2023-01-01")
_rows = st.lists(st.tuples(st.integers(0, 6), st.integers(0, 500), st.one_of(st.none(), st.integers(0, 200))),
                 min_size=1, max_size=40)


def _frame(rows) -> tuple[list, list, list]:
    ids = [f"c{c}" for c, _, _ in rows]
    starts = [str(_DAY0 + np.timedelta64(s, "D")) for _, s, _ in rows]
    ends = [None if n is None else str(_DAY0 + np.timedelta64(s + n, "D")) for _, s, n in rows]
    return ids, starts, ends


@settings(max_examples=150, deadline=None)
@given(_rows, st.sampled_from(["gregorian", "jalali", "hijri"]))
def test_one_row_per_customer_is_the_row_count_and_the_identity_holds(rows, calendar):
    ids, starts, ends = _frame(rows)
    by_customer = monthly_counts_from_spans(starts, ends, calendar, customer_ids=ids)
    s, n, lost, e = (by_customer[c].to_numpy() for c in COUNTS)
    assert (e == s + n - lost).all() and (e[:-1] == s[1:]).all() and s[0] == 0
    assert (n >= 0).all() and (lost >= 0).all() and (e >= 0).all()
    unique = [f"row{i}" for i in range(len(rows))]
    pd.testing.assert_frame_equal(monthly_counts_from_spans(starts, ends, calendar, customer_ids=unique),
                                  monthly_counts_from_spans(starts, ends, calendar))
    # and the sets of ids per month say the same, in any order of the rows
    want = reference._spans({"start": pd.Series(starts), "end": pd.Series(ends), "customer_id": pd.Series(ids)},
                            calendar, {"end": "end"}, {})
    pd.testing.assert_frame_equal(by_customer, want, check_dtype=False)
    back = monthly_counts_from_spans(starts[::-1], ends[::-1], calendar, customer_ids=ids[::-1])
    pd.testing.assert_frame_equal(by_customer, back)


# --------------------------------------------------------------------------- Spark (local mode)


@pytest.mark.spark
def test_spark_counts_customers_as_pandas_does(tmp_path, spark):
    from test_engines_spark import on_spark
    p = tmp_path / "crm_customers_en.csv"
    p.write_text(CRM_EN)
    assert _by_month(on_spark("monthly_churn", str(p), spark)) == CRM_EN_MONTHS
    df = _random_list(4)
    assert_same(engines.compute("monthly_churn", df, engine="pandas", calendar="jalali"),
                on_spark("monthly_churn", df, spark, "jalali"))
