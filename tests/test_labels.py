"""Live tables in the reader's language: the ``labels`` and ``segments`` arguments (issue 13.4).

Through the Python function and through the classic UDF wrapper with xlwings-shaped input (lists
of rows, ``None`` for blanks). Expected words are written out here (a Persian / Arabic speaker's
reading of the report workbooks' words), not read back from :mod:`xl_cskpi.labels`.
"""

from __future__ import annotations

import re
import subprocess
import sys
import types

import numpy as np
import pandas as pd
import pytest

import xl_cskpi as x
from xl_cskpi import labels as L
from xl_cskpi.errors import DivisionByZero, InvalidInput
from xl_cskpi.registry import REGISTRY, catalogue

from xlwings_stubs import classic_xlwings, doctest_calls, positional, shaped

SCORES = [10, 9, 9, 10, 9, 8, 7, 7, 3, 6]  # 5 promoters, 3 passives, 2 detractors: NPS 30
BILLING = (["A", "A", "B", "B"], ["2024-09", "2024-10", "2024-10", "2024-11"], [100, 150, 50, 50])
ACTIVITY = (["A", "B", "A", "C"], ["2024-09-03", "2024-09-20", "2024-10-05", "2024-10-06"])

#: One call per table function (positional arguments before labels).
CALLS = {
    "MRR_MOVEMENTS": BILLING,
    "COHORT_RETENTION": ACTIVITY,
    "NPS_BREAKDOWN": (SCORES,),
    "NPS_CHANGE_TEST": ([10] * 5 + [8] * 3 + [2] * 2, [9] * 12 + [7] * 6 + [0] * 2, 0.95),
    "CSAT_DISTRIBUTION": ([5, 5, 4, 1], 5),
    "CES_DISTRIBUTION": ([7, 6, 2], 7),
    "FEEDBACK_THEMES": (["price too high", "slow support", "great"], ["Price", "Support"],
                        ["price", "support"]),
    "COMPLAINT_SUMMARY": (["Billing", None, "Billing"], ["pending", "resolved", "escalated"]),
    "SUBSCRIPTION_MRR": (["acme"], ["2024-01-15"], ["2024-03-01"], [1200], ["year"], None,
                         "gregorian"),
}
TABLES = [f.name for f in catalogue() if f.returns == "table"]


def _own(name):
    """The function's own arguments before ``labels`` (those declared ``last`` -- SURVIVAL_CURVE's
    customer_ids, COHORT_RETENTION's amounts -- come after ``labels`` and ``segments``)."""
    names = [a.name for a in REGISTRY[name].arguments]
    return names[:names.index("labels")] if "labels" in names else names


def _worked_example(name):
    """A table function's call from its docstring's worked example (positional arguments before
    labels), for the table functions added after the calls above were written: one that gives a
    table and whose arguments a worksheet range can hold."""
    entry = REGISTRY[name]
    own = _own(name)
    for args, kwargs in doctest_calls(entry):
        if set(kwargs) & {"labels", "segments"}:
            continue
        pos = tuple(positional(entry, args, kwargs))[:len(own)]
        try:
            [shaped(v) for v in pos if v is not None]
            result = entry.func(*pos)
        except Exception:  # noqa: BLE001  (a documented error, or a frame argument)
            continue
        if isinstance(result, pd.DataFrame) and len(result) and len(result.columns) > 1:
            return pos
    return None


CALLS.update({n: c for n in TABLES if n not in CALLS for c in [_worked_example(n)] if c is not None})


def call(name, *extra, **kw):
    args = CALLS[name]
    n_own = len(_own(name))
    args = tuple(args) + (None,) * (n_own - len(args))  # optional arguments left at their default
    return REGISTRY[name].func(*args, *extra, **kw)


def test_every_table_function_has_a_call_here():
    assert sorted(CALLS) == sorted(TABLES)


# --------------------------------------------------------------------------- declaration


@pytest.mark.parametrize("name", TABLES + ["HEALTH_STATUS"])
def test_labels_is_an_optional_trailing_argument(name):
    entry = REGISTRY[name]
    names = [a.name for a in entry.arguments]
    i = names.index("labels")
    rest = names[i + 1:]
    rest = rest[1:] if rest[:1] == ["segments"] else rest
    # after labels and segments only the optional arguments declared last= (registry.kpi)
    assert rest in ([], ["customer_ids"], ["amounts"])
    assert entry.arguments[i].default == "en"
    assert all(a.optional for a in entry.arguments[i:])


def test_segments_where_declared():
    with_segments = sorted(f.name for f in catalogue() if "segments" in [a.name for a in f.arguments])
    assert {"CES_DISTRIBUTION", "COMPLAINT_SUMMARY", "CSAT_DISTRIBUTION", "FEEDBACK_THEMES",
            "MRR_MOVEMENTS", "NPS_BREAKDOWN", "SUBSCRIPTION_MRR"} <= set(with_segments)
    assert set(with_segments) <= set(TABLES)   # segments are for tables (later ones declare their own)
    # contract order: MRR_MOVEMENTS(customer_ids, months, mrr, [calendar], [labels], [segments])
    assert [a.name for a in REGISTRY["NPS_BREAKDOWN"].arguments] == ["scores", "confidence", "labels",
                                                                    "segments"]


def test_python_signature_shows_the_added_arguments():
    import inspect
    assert str(inspect.signature(x.mrr_movements)) == \
        "(customer_ids, months, mrr, calendar='gregorian', labels='en', segments=None)"
    assert list(inspect.signature(x.health_status).parameters)[-1] == "labels"


# --------------------------------------------------------------------------- words


def test_translations_have_every_key_and_no_other():
    for lang, table in L.TABLES.items():
        assert set(table) == set(L.ENGLISH), lang
        assert all(isinstance(v, str) and v.strip() for v in table.values()), lang
    assert set(L.TABLES) == set(L.LANGUAGES) - {"en"}


def _known(text: str) -> bool:
    if text in L.ENGLISH:
        return True
    numbers = re.findall(r"\d+(?:\.\d+)?", text)
    return len(numbers) == 1 and re.sub(r"\d+(?:\.\d+)?", "{n}", text) in L.ENGLISH


def _produced_labels() -> set[str]:
    """Every header and row label the functions can write (each code path that adds one)."""
    out: set[str] = set()
    for name in TABLES:
        t = call(name)
        out.update(map(str, t.columns))
    for period in ("day", "week", "month", "quarter"):
        out.update(map(str, x.cohort_retention(*ACTIVITY, period).columns))
    for conf in (0.95, 0.9, 0.975):
        out.update(x.nps_breakdown(SCORES, conf)["group"])
    out.update(x.feedback_themes(*CALLS["FEEDBACK_THEMES"])["theme"][-1:])
    t = x.complaint_summary(*CALLS["COMPLAINT_SUMMARY"])
    out.update(t["Key"][t["Key"] != "Billing"])
    out.update(x.health_status([[90], [50], [10]]).tolist())
    out.add("segment")
    return out


def test_no_label_a_function_produces_is_missing_in_fa_or_ar():
    produced = _produced_labels()
    assert {"Month 1", "Week 0", "Day 0", "Quarter 0", "Margin of error (97.5 %)", "(blank)",
            "(no theme)", "Total", "Healthy", "Critical"} <= produced  # the paths ran
    data = {"Billing", "Price", "Support"}  # complaint keys and theme names are data
    missing = sorted(t for t in produced - data if not _known(t))
    assert not missing


def test_declared_constants_are_covered():
    from xl_cskpi.kpi.health import _LABELS
    from xl_cskpi.tables.movements import MOVEMENT_COLUMNS
    from xl_cskpi.tables.subscriptions import SPILL_COLUMNS
    from xl_cskpi.tables.support import BLANK_KEY, STANDARD_STATUSES
    for words in (MOVEMENT_COLUMNS, SPILL_COLUMNS, _LABELS, STANDARD_STATUSES, (BLANK_KEY,)):
        assert set(words) <= set(L.ENGLISH), words


def test_same_words_as_the_report_workbooks():
    # one source of truth: the head.* texts the --values reports write are these words
    from xl_cskpi.reports import lang_ar, lang_fa
    for module, table in ((lang_fa, L.FA), (lang_ar, L.AR)):
        strings = next(v for k, v in vars(module).items() if isinstance(v, dict) and "kpi.healthy" in v)
        # (once the reports take these words from xl_cskpi.labels, the head.* keys may go)
        heads = {k.removeprefix("head."): v for k, v in strings.items() if k.startswith("head.")}
        for key, word in heads.items():
            assert table[key] == word, (module.__name__, key)
        assert table["Healthy"] == strings["kpi.healthy"]
        assert table["At risk"] == strings["kpi.at_risk"]
        assert table["Critical"] == strings["kpi.critical"]


def test_label_with_one_number():
    assert L.label("Month 12", "fa") == "ماه 12"
    assert L.label("Quarter 3", "ar") == "الربع 3"
    assert L.label("Margin of error (97.5 %)", "fa") == "حاشیهٔ خطا (97.5٪)"
    assert L.label("2024-09", "fa") == "2024-09"  # two numbers: data, as is
    assert L.label("1403-06", "ar") == "1403-06"
    assert L.label("Billing", "fa") == "Billing"
    assert L.label("Month 3", "en") == "Month 3"


def test_labels_module_imports_no_report_or_face():
    code = ("import sys, xl_cskpi.labels; "
            "print(sorted(m for m in sys.modules if m.startswith(('xl_cskpi.reports', 'xlwings', 'openpyxl'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# --------------------------------------------------------------------------- Python face


def test_movements_in_persian_and_arabic():
    fa = x.mrr_movements(*BILLING, "gregorian", "fa")
    en = x.mrr_movements(*BILLING)
    assert list(fa.columns[:3]) == ["ماه", "MRR ابتدای ماه", "MRR جدید"]
    assert fa.columns[-1] == "مشتریان پایان ماه"
    assert list(x.mrr_movements(*BILLING, labels="ar").columns[:2]) == ["الشهر", "MRR في بداية الشهر"]
    # the numbers and the month labels (data) are unchanged
    assert fa.to_numpy().tolist() == en.to_numpy().tolist()
    assert fa["ماه"].tolist() == ["2024-09", "2024-10", "2024-11"]


def test_default_keeps_english_columns():
    assert x.mrr_movements(*BILLING).columns[0] == "Month"
    assert x.mrr_movements(*BILLING, labels="en").columns[1] == "Starting MRR"
    assert x.mrr_movements(*BILLING, labels=None).columns[1] == "Starting MRR"  # blank = en
    assert x.nps_breakdown(SCORES, labels="EN")["group"][0] == "Promoters (9-10)"


def test_nps_breakdown_row_labels():
    fa = x.nps_breakdown(SCORES, 0.9, "fa")
    assert list(fa.columns) == ["گروه", "شمار", "سهم", "امتیاز"]
    assert fa["گروه"].tolist() == ["ترویج‌کنندگان (۹ تا ۱۰)", "بی‌طرف‌ها (۷ تا ۸)", "منتقدان (۰ تا ۶)",
                                  "پاسخ‌دهندگان", "امتیاز NPS", "حاشیهٔ خطا (90٪)"]
    ar = x.nps_breakdown(SCORES, labels="ar")
    assert ar.iloc[:, 0].tolist()[:3] == ["المروّجون (٩-١٠)", "المحايدون (٧-٨)", "المنتقدون (٠-٦)"]
    assert ar.iloc[4, 3] == pytest.approx(30.0)  # hand: 50 % promoters - 20 % detractors


def test_cohorts_headers():
    ar = x.cohort_retention(*ACTIVITY, "month", "gregorian", "ar")
    assert list(ar.columns) == ["الفوج", "العملاء", "الشهر 0", "الشهر 1"]
    assert x.cohort_retention(*ACTIVITY, "week", labels="fa").columns[2] == "هفته 0"


def test_complaints_total_blank_and_statuses():
    fa = x.complaint_summary(*CALLS["COMPLAINT_SUMMARY"], labels="fa")
    assert list(fa.columns) == ["دسته", "در انتظار", "حل‌شده", "ارجاع‌شده", "جمع"]
    assert fa["دسته"].tolist() == ["(خالی)", "Billing", "جمع"]  # the category stays data
    # a status spelled otherwise than the standard one is data: left as written
    t = x.complaint_summary(["a"], ["Waiting on customer"], labels="ar")
    assert list(t.columns) == ["الفئة", "Waiting on customer", "الإجمالي"]


def test_feedback_theme_names_stay_data():
    ar = x.feedback_themes(*CALLS["FEEDBACK_THEMES"], labels="ar")
    assert list(ar.columns) == ["الموضوع", "عدد الإشارات", "النسبة"]
    assert ar.iloc[:, 0].tolist() == ["Price", "Support", "(بلا موضوع)"]
    assert ar.iloc[:, 1].tolist() == [1, 1, 1]


def test_change_test_distributions_and_subscriptions():
    assert list(call("NPS_CHANGE_TEST", "fa").columns)[:2] == ["پاسخ‌دهندگان دورهٔ قبل", "NPS دورهٔ قبل"]
    assert list(call("CSAT_DISTRIBUTION", "ar").columns) == ["الدرجة", "العدد", "النسبة"]
    assert list(call("SUBSCRIPTION_MRR", "fa").columns) == ["مشتری", "ماه", "MRR"]


@pytest.mark.parametrize("name", TABLES)
def test_false_gives_the_rows_without_header(name):
    en = call(name)
    body = call(name, False)
    assert isinstance(body, np.ndarray) and body.shape == en.shape
    expected = en.to_numpy(dtype=object)
    same = [(a == b) or (pd.isna(a) and pd.isna(b)) for a, b in zip(body.ravel(), expected.ravel())]
    assert all(same)
    assert call(name, 0).shape == en.shape  # Calc passes FALSE as 0


@pytest.mark.parametrize("name", TABLES + ["HEALTH_STATUS"])
def test_unknown_labels_value_names_the_choices(name):
    args = CALLS.get(name, ([[80]],))
    n_own = len(_own(name))
    args = tuple(args) + (None,) * (n_own - len(args))
    for bad in ("de", "persian", 2, "fa,ar"):
        with pytest.raises(InvalidInput) as e:
            REGISTRY[name].func(*args, bad)
        msg = str(e.value)
        assert msg.startswith(f"{name}: labels ") and '"en", "fa", "ar"' in msg and "#VALUE!" in msg


def test_health_status_words():
    assert x.health_status(76, labels="fa") == "سالم"
    assert x.health_status([[76], [48.6], [25], [None]], 70, 40, "ar").tolist() == \
        ["بصحة جيدة", "معرَّض للخطر", "حرج", None]
    assert x.health_status(25, labels="en") == "Critical"
    with pytest.raises(InvalidInput, match="labels is FALSE"):
        x.health_status(76, labels=False)  # no header to leave out


# --------------------------------------------------------------------------- segments


def test_nps_per_segment_against_pandas():
    scores = [10, 9, 3, 7, 0, 0, 10, None, 8]
    seg = ["West", "West", "West", "East", "East", "East", "East", None, None]
    t = x.nps_breakdown(scores, segments=seg)
    # independent computation: per segment, 100 x (share 9-10 - share 0-6), with pandas
    df = pd.DataFrame({"s": scores, "g": seg}).dropna(subset=["s"])
    df["g"] = df["g"].fillna("(blank)")
    expected = df.groupby("g")["s"].apply(lambda s: 100 * ((s >= 9).mean() - (s <= 6).mean()))
    assert list(t.columns) == ["segment", "group", "count", "share", "points"]
    nps = t[t["group"] == "NPS"].set_index("segment")["points"]
    assert list(nps.index) == ["(blank)", "East", "West"]  # alphabetical; a blank segment with data
    for g, v in expected.items():
        assert nps[g] == pytest.approx(v)
    assert nps["West"] == pytest.approx(100 / 3)  # hand: 2 promoters, 1 detractor of 3
    assert nps["East"] == pytest.approx(-25.0)    # hand: 1 promoter, 2 detractors of 4
    assert len(t) == 3 * 6
    fa = x.nps_breakdown(scores, labels="fa", segments=seg)
    assert fa["بخش"].drop_duplicates().tolist() == ["(خالی)", "East", "West"]  # names are data


def test_segments_in_persian_and_numbers_sorted():
    t = x.csat_distribution([5, 4, 4, 1, 2], 5, "fa", [[10], [2], [2], [10], [10]])
    assert list(t.columns) == ["بخش", "امتیاز", "شمار", "سهم"]
    assert t["بخش"].tolist() == [2.0] * 5 + [10.0] * 5  # numbers in numeric order
    counts = pd.crosstab(pd.Series([10, 2, 2, 10, 10]), pd.Series([5, 4, 4, 1, 2]))  # independent
    got = t.pivot(index="بخش", columns="امتیاز", values="شمار").reindex(columns=counts.columns)
    assert (got.to_numpy() == counts.to_numpy()).all()


def test_segments_bad_input():
    with pytest.raises(InvalidInput, match=r"NPS_BREAKDOWN: segments has 2 cells but scores has 3"):
        x.nps_breakdown([9, 9, 9], segments=["a", "b"])
    # a bad score is named by its row of the sheet, not of its segment
    with pytest.raises(Exception, match=r"cell 3"):
        x.nps_breakdown([9, 9, 11], segments=["a", "b", "b"])
    # a segment whose responses are all blank has nothing to break down: named
    with pytest.raises(DivisionByZero, match=r"in segment 'b'"):
        x.nps_breakdown([9, None], segments=["a", "b"])
    # 1 and 1.0 are one segment; NaN (pandas' blank) next to a response is the (blank) segment
    t = x.nps_breakdown([9, 10, 0], segments=[1, 1.0, float("nan")])
    assert t["segment"].drop_duplicates().tolist() == [1, "(blank)"]
    # a blank segments range is no segmentation
    assert len(x.nps_breakdown(SCORES, segments=[None] * 10)) == 6


def test_feedback_themes_per_segment():
    t = x.feedback_themes(["price high", "price", "ok"], ["Price"], ["price"], segments=["q1", "q2", "q2"])
    assert t.values.tolist() == [["q1", "Price", 1, 1.0], ["q1", "(no theme)", 0, 0.0],
                                 ["q2", "Price", 1, 0.5], ["q2", "(no theme)", 1, 0.5]]


def test_movements_per_segment_span_the_whole_export():
    # hand: plan Basic = A pays 100 in Sep, 150 in Oct, nothing in Nov; plan Pro = B pays 50 in Oct
    # and Nov. The export runs Sep-Nov, so Basic's A churns 150 in November (a bridge of Basic's
    # rows alone would stop in October and never show that churn) and Pro has an empty September.
    t = x.mrr_movements(*BILLING, segments=["Basic", "Basic", "Pro", "Pro"])
    cols = ["segment", "Month", "Starting MRR", "New MRR", "Expansion MRR", "Churned MRR", "Ending MRR",
            "Churned customers"]
    assert t[cols].values.tolist() == [
        ["Basic", "2024-09", 0.0, 100.0, 0.0, 0.0, 100.0, 0],
        ["Basic", "2024-10", 100.0, 0.0, 50.0, 0.0, 150.0, 0],
        ["Basic", "2024-11", 150.0, 0.0, 0.0, 150.0, 0.0, 1],
        ["Pro", "2024-09", 0.0, 0.0, 0.0, 0.0, 0.0, 0],
        ["Pro", "2024-10", 0.0, 50.0, 0.0, 0.0, 50.0, 0],
        ["Pro", "2024-11", 50.0, 0.0, 0.0, 0.0, 50.0, 0],
    ]
    fa = x.mrr_movements(*BILLING, "gregorian", "fa", ["Basic", "Basic", "Pro", "Pro"])
    assert list(fa.columns[:3]) == ["بخش", "ماه", "MRR ابتدای ماه"]


def test_movement_segments_add_up_to_the_whole():
    # independent check: with each customer in one segment, every column of the segments' bridges
    # summed per month (pandas groupby) is the whole export's bridge
    rng = np.random.default_rng(7)
    ids = rng.integers(0, 40, 600)
    months = [f"2024-{m:02d}" for m in rng.integers(1, 13, 600)]
    mrr = rng.choice([0, 10, 20, 50], 600).astype(float)
    plan = np.array(["basic", "pro", "team"])[ids % 3]
    whole = x.mrr_movements(ids.tolist(), months, mrr.tolist())
    parts = x.mrr_movements(ids.tolist(), months, mrr.tolist(), segments=plan.tolist())
    summed = parts.drop(columns="segment").groupby("Month", sort=True).sum().reset_index()
    assert sorted(parts["segment"].unique()) == ["basic", "pro", "team"]
    pd.testing.assert_frame_equal(summed, whole, check_dtype=False)


def test_plan_change_churns_from_one_segment_into_the_other():
    # hand: C pays 30 on Basic in September and 30 on Pro in October
    t = x.mrr_movements(["C", "C"], ["2024-09", "2024-10"], [30, 30], segments=["Basic", "Pro"])
    oct_ = t[t["Month"] == "2024-10"].set_index("segment")
    assert oct_.loc["Basic", "Churned MRR"] == 30.0 and oct_.loc["Pro", "New MRR"] == 30.0


def test_complaints_per_segment_have_every_status_column():
    keys = ["Billing", "Billing", "Delivery", "billing", "Delivery", "Access"]
    statuses = ["Pending", "Resolved", "Escalated", "resolved", "Resolved", "pending"]
    region = ["north", "south", "south", "north", "north", "south"]
    t = x.complaint_summary(keys, statuses, segments=region)
    assert list(t.columns) == ["segment", "Key", "Pending", "Resolved", "Escalated", "Total"]
    # independent: pandas crosstab of each region's rows, statuses matched case-insensitively
    df = pd.DataFrame({"k": [k.lower() for k in keys], "s": [v.lower() for v in statuses], "r": region})
    for r, rows in df.groupby("r"):
        want = pd.crosstab(rows["k"], rows["s"]).reindex(columns=["pending", "resolved", "escalated"],
                                                        fill_value=0)
        got = t[(t["segment"] == r) & (t["Key"] != "Total")]
        got = got.assign(k=got["Key"].str.lower()).set_index("k")[["Pending", "Resolved", "Escalated"]]
        assert (got.sort_index().to_numpy() == want.sort_index().to_numpy()).all(), r
    # hand: north has no escalated complaint -- a 0 column, not a missing one; its total is 3
    north_total = t[(t["segment"] == "north") & (t["Key"] == "Total")].iloc[0]
    assert north_total[["Pending", "Resolved", "Escalated", "Total"]].tolist() == [1, 2, 0, 3]
    fa = x.complaint_summary(keys, statuses, labels="fa", segments=region)
    assert list(fa.columns)[:2] == ["بخش", "دسته"] and fa["دسته"].tolist().count("جمع") == 2


# --------------------------------------------------------------------------- classic face


@pytest.fixture(scope="module")
def classic():
    with classic_xlwings() as (ours, xl_udfs):
        yield types.SimpleNamespace(udfs=ours, xl=xl_udfs)


@pytest.mark.parametrize("lang", ["fa", "ar", False])
@pytest.mark.parametrize("name", TABLES)
def test_every_table_udf_with_labels(classic, name, lang):
    """Worksheet-shaped input, labels fa/ar/FALSE: the same cells as the Python function's result."""
    from xl_cskpi import excel

    n_own = len(_own(name))
    args = tuple(CALLS[name]) + (None,) * (n_own - len(CALLS[name]))
    got = getattr(classic.udfs, name)(*[shaped(v) if v is not None else [[None]] for v in args], [[lang]])
    want = excel.cell_output(REGISTRY[name].func(*args, lang))
    assert got == want
    english = excel.cell_output(REGISTRY[name].func(*args))
    if lang is False:
        assert got == english[1:]  # the same rows without the header
    else:
        assert len(got) == len(english) and got[1:][0][1:] == english[1:][0][1:]  # numbers unchanged
        assert got[0] != english[0]  # the header reads in the language
        acronyms = {"MRR", "ARR", "NRR", "GRR", "NPS", "CSAT", "CES"}   # written the same in fa/ar reports
        assert all(h == "z" or h in acronyms or h != e for h, e in zip(got[0], english[0]))


def test_udf_persian_movements(classic):
    got = classic.udfs.MRR_MOVEMENTS(*[shaped(v) for v in BILLING], [[None]], [["fa"]])
    assert got[0][:2] == ["ماه", "MRR ابتدای ماه"]
    assert got[1][:3] == ["2024-09", 0.0, 100.0]  # hand: A pays 100 in September, all new


def test_udf_arabic_breakdown_and_false(classic):
    got = classic.udfs.NPS_BREAKDOWN(shaped(SCORES), [[None]], [["ar"]])
    assert got[0] == ["الفئة", "العدد", "النسبة", "النقاط"]
    assert got[5][0] == "درجة NPS" and got[5][3] == pytest.approx(30.0)
    bare = classic.udfs.NPS_BREAKDOWN(shaped(SCORES), [[None]], [[False]])
    assert len(bare) == 6 and bare[0][0] == "Promoters (9-10)"  # no header row
    assert bare[4][1] == ""  # a blank cell
    cohort = classic.udfs.COHORT_RETENTION(*[shaped(v) for v in ACTIVITY], [[None]], [[None]], [[False]])
    # hand: A and B start in September, A is back in October (1 of 2); C starts in October alone
    assert cohort == [["2024-09", 2.0, 1.0, 0.5], ["2024-10", 1.0, 1.0, ""]]


def test_udf_blank_labels_cell_is_english(classic):
    got = classic.udfs.CSAT_DISTRIBUTION(shaped([5, 4]), [[None]], [[None]])
    assert got[0] == ["score", "count", "share"]


def test_udf_unknown_labels_is_value_error_text(classic):
    got = classic.udfs.COMPLAINT_SUMMARY(shaped(["a"]), shaped(["pending"]), [["de"]])
    assert got.startswith("#VALUE! COMPLAINT_SUMMARY: labels is 'de'; use one of \"en\", \"fa\", \"ar\"")


def test_udf_health_status_and_segments(classic):
    got = classic.udfs.HEALTH_STATUS(shaped([76, None, 10]), [[None]], [[None]], [["fa"]])
    assert got == [["سالم"], [""], ["بحرانی"]]
    seg = classic.udfs.NPS_BREAKDOWN(shaped([10, 0]), [[None]], [["ar"]], shaped(["x", "y"]))
    assert seg[0][:2] == ["الشريحة", "الفئة"]
    assert [r[0] for r in seg[1:]] == ["x"] * 6 + ["y"] * 6
    assert seg[5][4] == pytest.approx(100.0) and seg[11][4] == pytest.approx(-100.0)


def test_udf_movements_per_segment(classic):
    seg = [["Basic"], ["Basic"], ["Pro"], ["Pro"]]
    got = classic.udfs.MRR_MOVEMENTS(*[shaped(v) for v in BILLING], [[None]], [["ar"]], seg)
    assert got[0][:3] == ["الشريحة", "الشهر", "MRR في بداية الشهر"]
    assert got[3][:2] == ["Basic", "2024-11"] and got[3][6] == 150.0  # hand: A's churn in November
    assert len(got) == 1 + 6


def test_vba_wrapper_declares_labels_and_segments(classic):
    import io
    out = io.StringIO()

    class _Workbook:
        Name = "xl_cskpi.xlam"

    classic.xl.generate_vba_wrapper("xl_cskpi.udfs", classic.udfs, out, _Workbook())
    vba = out.getvalue()
    assert ("Function MRR_MOVEMENTS(customer_ids, months, mrr, Optional calendar, Optional labels, "
            "Optional segments)\n" in vba)
    assert "Function NPS_BREAKDOWN(scores, Optional confidence, Optional labels, Optional segments)\n" in vba
    assert "Function HEALTH_STATUS(score, Optional healthy_from, Optional at_risk_from, Optional labels)\n" in vba


# --------------------------------------------------------------------------- LibreOffice face


def test_calc_script_passes_labels_to_the_same_adapter():
    from xl_cskpi import libreoffice as lo

    ns: dict = {}
    exec(compile(lo.script_source(), "xl_cskpi_calc.py", "exec"), ns)  # noqa: S102
    call = ns["call"]
    scores = ((9.0,), (10.0,), (3.0,))  # Calc's shape of a range
    fa = call("NPS_BREAKDOWN", (scores, None, "fa", None))
    assert fa[0] == ("گروه", "شمار", "سهم", "امتیاز")
    assert fa[1][0] == "ترویج‌کنندگان (۹ تا ۱۰)"
    bare = call("NPS_BREAKDOWN", (scores, None, 0.0, None))  # Calc hands FALSE over as 0
    assert len(bare) == 6 and bare[0][0] == "Promoters (9-10)"
    assert call("HEALTH_STATUS", (75.0, None, None, "ar")) == "بصحة جيدة"
    assert call("MRR_MOVEMENTS", (("A",), ("2024-09",), (1.0,), None, "xx")).startswith(
        "#VALUE! MRR_MOVEMENTS: labels is 'xx'")
