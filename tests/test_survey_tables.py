"""Survey tables: NPS_BREAKDOWN, NPS_CHANGE_TEST, CSAT/CES_DISTRIBUTION, FEEDBACK_THEMES."""

import math
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from xl_cskpi import (
    ces_distribution,
    csat,
    csat_distribution,
    feedback_themes,
    nps,
    nps_breakdown,
    nps_change_test,
    nps_margin_of_error,
)
from xl_cskpi.errors import DivisionByZero, InvalidInput, OutOfRange
from xl_cskpi.tables.survey import fold_text, fold_text_reference

TEN = [10, 9, 9, 10, 9, 8, 7, 7, 3, 6]  # 5 promoters, 3 passives, 2 detractors
scores_0_10 = st.lists(st.integers(0, 10), min_size=1, max_size=300)


# --------------------------------------------------------------------------- NPS_BREAKDOWN


def test_breakdown_hand_example():
    t = nps_breakdown(TEN).set_index("group")
    assert list(t.columns) == ["count", "share", "points"]
    assert list(t.index) == ["Promoters (9-10)", "Passives (7-8)", "Detractors (0-6)", "Respondents",
                             "NPS", "Margin of error (95 %)"]
    # hand: counts 5/3/2 of 10; contributions +50, 0, -20 points
    assert t["count"].iloc[:4].tolist() == [5, 3, 2, 10]
    assert t["share"].iloc[:4].tolist() == pytest.approx([0.5, 0.3, 0.2, 1.0])
    assert t["points"].iloc[:3].tolist() == pytest.approx([50.0, 0.0, -20.0])
    assert t.loc["NPS", "points"] == pytest.approx(30.0)
    # hand, adjusted-Wald (Lewis & Sauro: +3/4 promoter, +3/2 passive, +3/4 detractor, n + 3 = 13):
    # p = 5.75/13, d = 2.75/13, var = p + d - (p - d)^2 = 0.600592; 1.959964 x sqrt(var / 13) x 100
    assert t.loc["Margin of error (95 %)", "points"] == pytest.approx(42.1275, abs=1e-4)
    # cells that do not apply are blank
    assert t.loc[["NPS", "Margin of error (95 %)"], ["count", "share"]].isna().all().all()
    assert np.isnan(t.loc["Respondents", "points"])


def test_breakdown_confidence_and_input_shapes():
    t = nps_breakdown([[10, None], ["۹", "٣"], [" ", 8]], "90%")
    assert t["group"].iloc[5] == "Margin of error (90 %)"
    assert t["count"].iloc[3] == 4
    with pytest.raises(DivisionByZero, match="NPS_BREAKDOWN: scores"):
        nps_breakdown([[None, ""]])
    with pytest.raises(OutOfRange, match="NPS_BREAKDOWN: scores has 11"):
        nps_breakdown([11])
    with pytest.raises(InvalidInput, match="scores"):
        nps_breakdown(["n/a"])
    with pytest.raises(OutOfRange, match="confidence"):
        nps_breakdown(TEN, 95)


@given(scores_0_10, st.floats(0.5, 0.999))
def test_breakdown_adds_up(s, confidence):
    t = nps_breakdown(s, confidence)
    counts, shares, points = t["count"], t["share"], t["points"]
    # counts of the three groups add up to the respondents, shares to 1
    assert counts.iloc[:3].sum() == counts.iloc[3] == len(s)
    assert shares.iloc[:3].sum() == pytest.approx(1.0)
    # the contributions add up to the NPS, which is NPS()
    assert points.iloc[:3].sum() == pytest.approx(points.iloc[4], abs=1e-9)
    assert points.iloc[4] == pytest.approx(nps(s))
    assert points.iloc[5] == pytest.approx(nps_margin_of_error(s, confidence))


# --------------------------------------------------------------------------- NPS_CHANGE_TEST

MEHR = [10] * 5 + [8] * 3 + [2] * 2      # NPS 30, variance 0.61, n 10
ABAN = [9] * 12 + [7] * 6 + [0] * 2      # NPS 50, variance 0.6 + 0.1 - 0.25 = 0.45, n 20


def test_change_test_hand_example():
    t = nps_change_test(MEHR, ABAN)
    assert list(t.columns) == ["respondents_before", "nps_before", "respondents_after", "nps_after",
                               "change", "standard_error", "z", "p_value", "significant"]
    assert len(t) == 1
    r = t.iloc[0]
    assert (r.respondents_before, r.respondents_after) == (10, 20)
    assert (r.nps_before, r.nps_after, r.change) == pytest.approx((30.0, 50.0, 20.0))
    # hand: SE = 100 x sqrt(0.61 / 10 + 0.45 / 20) = 100 x sqrt(0.0835) = 28.8964
    assert r.standard_error == pytest.approx(28.8964, abs=1e-4)
    assert r.z == pytest.approx(20 / 28.8964, abs=1e-5)
    # standard normal table: 2 x (1 - Phi(0.6921)) = 0.4889
    assert r.p_value == pytest.approx(0.4889, abs=1e-4)
    assert not r.significant
    # at a 50 % confidence level p = 0.489 < 0.5: significant
    assert bool(nps_change_test(MEHR, ABAN, 0.5).iloc[0].significant)


def test_change_test_clear_improvement():
    before = [10] * 20 + [8] * 30 + [0] * 50   # NPS -30, variance 0.7 - 0.09 = 0.61
    after = [10] * 60 + [8] * 30 + [0] * 10    # NPS 50, variance 0.7 - 0.25 = 0.45
    r = nps_change_test(before, after).iloc[0]
    # hand: SE = 100 x sqrt(0.0061 + 0.0045) = 10.2956; z = 80 / 10.2956 = 7.770
    assert r.standard_error == pytest.approx(10.2956, abs=1e-4)
    assert r.z == pytest.approx(7.770, abs=1e-3)
    assert r.p_value < 1e-10
    assert bool(r.significant)


def test_change_test_errors():
    with pytest.raises(DivisionByZero, match="NPS_CHANGE_TEST: scores_before"):
        nps_change_test([None], TEN)
    with pytest.raises(DivisionByZero, match="scores_after has no responses"):
        nps_change_test(TEN, [])
    with pytest.raises(DivisionByZero, match="standard error 0"):
        nps_change_test([10, 10], [0, 0, 0])
    with pytest.raises(OutOfRange, match="scores_after has 10.5"):
        nps_change_test(TEN, [[9], [10.5]])
    with pytest.raises(InvalidInput, match="scores_before"):
        nps_change_test(["yes"], TEN)
    with pytest.raises(OutOfRange, match="confidence"):
        nps_change_test(TEN, TEN, 1.5)


@given(scores_0_10, scores_0_10, st.floats(0.5, 0.999))
def test_change_test_properties(a, b, confidence):
    try:
        t = nps_change_test(a, b, confidence).iloc[0]
    except DivisionByZero:
        # only when neither period has any spread: each has all its responses in one group
        def groups(s):
            return {(x >= 9) - (x <= 6) for x in s}
        assert len(groups(a)) == 1 and len(groups(b)) == 1
        return
    back = nps_change_test(b, a, confidence).iloc[0]
    assert t.change == pytest.approx(nps(b) - nps(a))
    assert back.change == pytest.approx(-t.change)
    assert back.standard_error == pytest.approx(t.standard_error)
    assert back.p_value == pytest.approx(t.p_value)
    assert 0.0 <= t.p_value <= 1.0
    assert t.p_value == pytest.approx(2 * (1 - NormalDist().cdf(abs(t.z))), abs=1e-12)
    assert bool(t.significant) == (t.p_value < 1 - confidence)


# --------------------------------------------------------------------------- distributions


def test_csat_distribution_hand_example():
    t = csat_distribution([5, 5, 4, 4, 4, 3, 2, 1])
    assert list(t.columns) == ["score", "count", "share"]
    assert t["score"].tolist() == [1, 2, 3, 4, 5]
    assert t["count"].tolist() == [1, 1, 1, 3, 2]
    assert t["share"].tolist() == pytest.approx([0.125, 0.125, 0.125, 0.375, 0.25])
    # CSAT is the top two shares
    assert t["share"].iloc[-2:].sum() == pytest.approx(csat([5, 5, 4, 4, 4, 3, 2, 1]))


def test_distributions_scales_and_shapes():
    t = csat_distribution([[10, None], ["۹", "٣"]], 10)
    assert t["score"].tolist() == list(range(1, 11))
    assert t["count"].tolist() == [0, 0, 1, 0, 0, 0, 0, 0, 1, 1]
    c = ces_distribution([7, 7, 6, 2])
    assert len(c) == 7 and c["count"].tolist() == [0, 1, 0, 0, 0, 1, 2]
    assert len(ces_distribution([1, 5], 5)) == 5


@pytest.mark.parametrize("func, top", [(csat_distribution, 5), (ces_distribution, 7)])
def test_distribution_errors(func, top):
    name = func.excel_name
    with pytest.raises(OutOfRange, match=rf"{name}: scores has {top + 1}"):
        func([top + 1])
    with pytest.raises(OutOfRange, match="whole number"):
        func([2.5])
    with pytest.raises(DivisionByZero, match="no responses"):
        func([[None], [" "]])
    with pytest.raises(InvalidInput, match="scores"):
        func([True])
    with pytest.raises(OutOfRange, match="scale_max"):
        func([1], 1000)


@given(st.integers(2, 10), st.data())
def test_distribution_counts_add_up(top, data):
    s = data.draw(st.lists(st.integers(1, top), min_size=1, max_size=300))
    for func in (csat_distribution, ces_distribution):
        t = func(s, top)
        assert len(t) == top
        assert t["count"].sum() == len(s)
        assert t["share"].sum() == pytest.approx(1.0)
        assert (t["count"] * t["score"]).sum() == sum(s)


# --------------------------------------------------------------------------- FEEDBACK_THEMES

THEMES = [["Price", "price, قیمت, گران"], ["Support", "support، پشتیبانی; کارشناس"],
          ["Delivery", "ارسال, delivery"]]


def tally(comments, themes=THEMES, keywords=None):
    t = feedback_themes(comments, themes, keywords)
    return dict(zip(t["theme"], t["mentions"]))


def test_themes_hand_example():
    comments = ["قيمت بالاست", "پشتیبانی کُند بود", "Price too high, support slow", None,
                "عالی", "   "]
    t = feedback_themes(comments, THEMES)
    assert list(t.columns) == ["theme", "mentions", "share"]
    # hand: 4 non-blank comments; price in 1 and 3, support in 2 and 3, delivery in none, 1 with none
    assert t["theme"].tolist() == ["Price", "Support", "Delivery", "(no theme)"]
    assert t["mentions"].tolist() == [2, 2, 0, 1]
    assert t["share"].tolist() == pytest.approx([0.5, 0.5, 0.0, 0.25])


@pytest.mark.parametrize("comment", [
    "PRICE is too high",                 # case
    "قيمت بالا",                          # Arabic yeh ي for Persian ی
    "قیمـــت بالا",                        # tatweel
    "قِیمَت بالا",                          # harakat
    "خیلی گرانه",                          # keyword inside a longer word (گران in گرانه)
])
def test_themes_price_variants(comment):
    assert tally([comment])["Price"] == 1


@pytest.mark.parametrize("comment, keyword", [
    ("كارت بانكي", "کارت بانکی"),         # Arabic kaf ك and yeh ي
    ("هزينة ارسال", "هزینه"),              # teh marbuta ة for heh ه
    ("أسعار مرتفعة", "اسعار"),             # alef with hamza above
    ("إلغاء الطلب", "الغا"),               # alef with hamza below
    ("آسان بود", "اسان"),                  # alef madda
    ("مستوى الخدمة", "مستوی"),             # alef maksura ى for yeh
    ("نمی\u200cخواهم", "نمیخواهم"),         # zero-width non-joiner in the comment
    ("نمیخواهم", "نمی\u200cخواهم"),         # ... or in the keyword
    ("قیمت ۲۴ درصد بالاتر", "24"),         # Persian digits
    ("ﻛﺘﺎﺏ", "کتاب"),                      # Arabic presentation forms (NFKC)
])
def test_themes_letter_variants(comment, keyword):
    assert tally([comment], [["T", keyword]])["T"] == 1


def test_themes_separate_keyword_range_duplicates_and_bare_names():
    comments = ["slow support", "price", "the app crashed", "crash again", "shipping late"]
    # themes and keywords as two aligned columns; "Bugs" twice (keywords combined); "Shipping"
    # without keywords is matched by its own name; a blank row is skipped
    themes = [["Support"], ["Bugs"], [None], ["Bugs"], ["Shipping"]]
    keywords = [["support"], ["crash"], [None], ["error, bug"], [None]]
    t = feedback_themes(comments, themes, keywords)
    assert t["theme"].tolist() == ["Support", "Bugs", "Shipping", "(no theme)"]
    assert t["mentions"].tolist() == [1, 2, 1, 1]
    assert t["share"].tolist() == pytest.approx([0.2, 0.4, 0.2, 0.2])


def test_themes_pandas_input_and_numbers_as_comments():
    # a text column of a pandas export, NaN for blanks; a two-column DataFrame of themes
    comments = pd.Series(["Price!", np.nan, "order 1001", "قیمت"], dtype="str")
    themes = pd.DataFrame({"theme": ["Price", "Ids"], "kw": ["price, قيمت", "1001"]})
    assert tally(comments, themes) == {"Price": 2, "Ids": 1, "(no theme)": 0}
    # numbers among the comments are read as text, whole numbers without ".0"
    assert tally([["Price!"], [None], [1001.0]], themes) == {"Price": 1, "Ids": 1, "(no theme)": 0}
    # an object column mixing text, NaN blanks and numbers (what read_excel gives)
    mixed = pd.Series(["Price!", np.nan, 1001.0, "قیمت"], dtype=object)
    assert tally(mixed, themes) == {"Price": 2, "Ids": 1, "(no theme)": 0}


def test_themes_errors():
    with pytest.raises(DivisionByZero, match="FEEDBACK_THEMES: comments has no comments"):
        feedback_themes([None, " "], THEMES)
    with pytest.raises(InvalidInput, match="themes needs keywords"):
        feedback_themes(["x"], [["Price"], ["Support"]])
    with pytest.raises(InvalidInput, match="themes is blank in row 2"):
        feedback_themes(["x"], [["Price", "p"], [None, "q"]])
    with pytest.raises(InvalidInput, match="themes is empty"):
        feedback_themes(["x"], [[None, None]])
    with pytest.raises(InvalidInput, match="themes has 2 cells but keywords has 3"):
        feedback_themes(["x"], ["A", "B"], ["a", "b", "c"])
    with pytest.raises(InvalidInput, match="keyword with no letters"):
        feedback_themes(["x"], [["A", "\u064e"]])
    with pytest.raises(InvalidInput, match="comments has a logical value"):
        feedback_themes(["fine", True], THEMES)


comment_text = st.text(alphabet="abc قیمتيكة\u200c\u064e ,", max_size=20)


@given(st.lists(st.one_of(st.none(), comment_text), max_size=60),
       st.lists(st.sampled_from(["a", "ab", "قیمت", "ک", "c, ة", "bc"]), min_size=1, max_size=4))
def test_theme_tally_is_bounded(comments, keyword_cells):
    themes = [[f"T{i}", k] for i, k in enumerate(keyword_cells)]
    n = sum(1 for c in comments if c is not None and c.strip())
    if n == 0:
        with pytest.raises(DivisionByZero):
            feedback_themes(comments, themes)
        return
    t = feedback_themes(comments, themes)
    mentions = t["mentions"].to_numpy()
    # each theme is mentioned by at most every comment; shares in [0, 1]
    assert ((0 <= mentions) & (mentions <= n)).all()
    assert ((0 <= t["share"]) & (t["share"] <= 1)).all()
    # a comment mentioning no theme is counted once; the others mention at least one
    with_theme = n - mentions[-1]
    assert with_theme <= mentions[:-1].sum() and (with_theme == 0 or mentions[:-1].max() >= 1)
    # shuffling the comments changes nothing
    assert feedback_themes(list(reversed(comments)), themes)["mentions"].tolist() == mentions.tolist()


def test_theme_tally_is_vectorized_on_a_large_export():
    import time

    rng = np.random.default_rng(3)
    pool = np.array(["قيمت بالا", "پشتیبانی عالی", "Delivery late", "ok", "گران و کُند"], dtype=object)
    comments = pool[rng.integers(0, len(pool), 200_000)]
    t0 = time.perf_counter()
    t = feedback_themes(comments, THEMES)
    elapsed = time.perf_counter() - t0
    counts = {w: int((comments == w).sum()) for w in pool}
    assert t["mentions"].tolist() == [
        counts["قيمت بالا"] + counts["گران و کُند"], counts["پشتیبانی عالی"], counts["Delivery late"],
        counts["ok"]]
    assert elapsed < 5.0, elapsed


def test_themes_white_space_runs_and_line_breaks():
    comments = ["late   delivery", "late\ndelivery again", "delivery was late", "late\u200c delivery"]
    assert tally(comments, [["Late", "late delivery"]])["Late"] == 3


arabic_and_more = st.characters(codec="utf-8", categories=("L", "M", "N", "P", "Z", "Cf", "Cc"))


@given(st.lists(st.text(alphabet=st.one_of(
    arabic_and_more, st.sampled_from("يىكةۀأإآٱ\u064e\u0650\u0651\u0640\u200c\u200d\x00İßΣς"),
), max_size=12), max_size=30))
def test_fold_text_vectorized_equals_the_definition(strings):
    s = pd.Series(strings, dtype=object)
    assert fold_text(s).tolist() == fold_text_reference(s).tolist()


# --------------------------------------------------------------------------- one vectorized pass
# issue 12 item 11: FEEDBACK_THEMES matches every keyword of every theme in one pass
# (tables.survey._theme_hits). The definition it must equal: one regular expression per theme
# (tables.survey._pattern) over the folded comments, as version 0.1 computed it.


def reference_tally(comments, themes):
    from xl_cskpi.tables.survey import _pattern, _theme_keywords

    spec = _theme_keywords(themes, None)
    text = [c.strip() for c in comments if c is not None and c.strip()]
    folded = fold_text(pd.Series(text, dtype=object))
    hits = np.column_stack([folded.str.contains(_pattern(words), regex=True).to_numpy(dtype=bool)
                            for _, words in spec.values()])
    return hits.sum(axis=0).tolist() + [int((~hits.any(axis=1)).sum())]


overlapping_text = st.lists(st.sampled_from(list("abc \t\n\u00a0\x00") + ["قیمت", "قيمت", "ك", "\u200c", "ab"]),
                            max_size=12).map("".join)


@given(st.lists(st.one_of(st.none(), overlapping_text), min_size=1, max_size=40),
       st.lists(st.sampled_from(["a", "ab", "abc", "bc", "b c", "a  b", "c, a", "قیمت", "ك", "ba, ab", "cab"]),
                min_size=1, max_size=6))
@example(["b", "b\x00a"], ["a"])  # CI found these: pandas' factorize read "b\x00a" as "b" (cells.factorize)
@example(["", "\x00"], ["a"])
def test_one_pass_equals_one_regex_per_theme(comments, keyword_cells):
    themes = [[f"T{i}", k] for i, k in enumerate(keyword_cells)]
    if not any(c is not None and c.strip() for c in comments):
        return
    got = feedback_themes(comments, themes)["mentions"].tolist()
    assert got == reference_tally(comments, themes)


def test_one_pass_over_many_themes_and_chunks(monkeypatch):
    # many themes sharing keywords, comments spread over several chunks of the joined text
    import xl_cskpi.tables.survey as survey

    monkeypatch.setattr(survey, "_CHUNK", 64)
    rng = np.random.default_rng(11)
    words = ["price", "prices", "late", "template", "قیمت", "پشتیبانی", "slow", "low", "ow"]
    comments = [" ".join(rng.choice(words, rng.integers(1, 6))) for _ in range(300)]
    themes = [[f"T{i}", ", ".join(rng.choice(words, 2, replace=False))] for i in range(40)]
    assert feedback_themes(comments, themes)["mentions"].tolist() == reference_tally(comments, themes)


# --------------------------------------------------------------------------- FEEDBACK_THEMES on a reader's column (issue 17.2)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["Price too high", " price ", "قيمت بالاست", "قیمت", "پشتیبانی کُند بود",
                                 "support slow", "", "  ", None, "عالی", "x\x00price", "Great"]), max_size=40),
       st.sampled_from(["excel", "reader", "plain"]), st.randoms(use_true_random=False))
def test_feedback_themes_read_once_per_distinct_comment_as_cell_by_cell(values, how, rnd):
    # the comments are read once per distinct cell (identity first); the reference is the cell-by-cell
    # reading (cells.texts of the whole column), which the function still uses for other input
    from unittest import mock

    from xl_cskpi.tables import rows as rows_module, sla as sla_module

    themes = [["Price", "price, قیمت"], ["Support", "support، پشتیبانی"]]

    def held(vals):
        if how == "excel":
            return [[v] for v in vals]
        if how == "reader":
            intern = {}
            return pd.Series([intern.setdefault(v, v) if isinstance(v, str) else np.nan for v in vals], dtype=object)
        return pd.Series(vals, dtype=object)

    def call(vals):
        try:
            return feedback_themes(held(vals), themes)
        except DivisionByZero as e:
            return str(e)

    with mock.patch.object(sla_module, "distinct_texts", lambda v: None):
        want = call(values)
    rnd.shuffle(values)
    with mock.patch.object(rows_module, "IDENTITY_MIN_ROWS", 1):
        got = call(values)
    if isinstance(want, str):
        assert got == want
    else:
        pd.testing.assert_frame_equal(got, want, check_exact=True)
