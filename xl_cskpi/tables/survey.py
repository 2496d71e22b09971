"""Survey statistics and qualitative feedback, as spilled tables.

* :func:`nps_breakdown` -- promoters, passives, detractors, respondents, NPS and its margin of error;
* :func:`nps_change_test` -- is the NPS change between two periods statistically significant?
* :func:`csat_distribution`, :func:`ces_distribution` -- count and share per score value;
* :func:`feedback_themes` -- a theme tally of free-text comments against keyword lists, insensitive
  to case, Arabic/Persian letter variants, diacritics and zero-width non-joiners.

The scoring rules (what a valid response is) are those of :mod:`xl_cskpi.kpi.survey`, whose
helpers these tables share. In the tables a blank cell is ``NaN``.
"""

from __future__ import annotations

import math
import re
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

from .. import cells
from ..cells import fold_text, fold_text_reference  # noqa: F401  (re-exported)
from ..errors import DivisionByZero, InvalidInput
from ..kpi.survey import (
    is_blank,
    confidence_z,
    nps_counts,
    nps_interval,
    nps_points,
    nps_variance,
    scale_max_value,
    scale_scores,
)
from ..registry import kpi

__all__ = ["nps_breakdown", "nps_change_test", "csat_distribution", "ces_distribution",
           "feedback_themes", "fold_text", "fold_text_reference"]


def _confidence_level(confidence: Any) -> float:
    """The confidence level as a fraction (blank is 0.95), after :func:`confidence_z` checked it."""
    return 0.95 if is_blank(confidence) else cells.number(confidence, "confidence")


# --------------------------------------------------------------------------- NPS breakdown


@kpi(category="Surveys", returns="table", row_labels=("group",), rows=("scores",), args={
    "scores": "NPS responses, whole numbers 0-10",
    "confidence": "Confidence level of the margin of error, a fraction; blank gives 0.95",
})
def nps_breakdown(scores, confidence=0.95):
    """NPS breakdown: count and share of promoters, passives, detractors; NPS and margin of error.

    Columns: ``group``, ``count``, ``share`` (of respondents), ``points`` (NPS points). Rows:
    Promoters (9-10), Passives (7-8), Detractors (0-6) -- their points are each group's
    contribution, +100 x share for promoters, 0 for passives, -100 x share for detractors, so the
    three add up to the NPS -- then Respondents (share 1), NPS, and the margin of error at the
    confidence level (NPS_MARGIN_OF_ERROR's adjusted-Wald margin, Lewis & Sauro). Cells that do not apply are blank (NaN).

    Edge cases: as NPS: blanks skipped; no responses is ``#DIV/0!``; a response that is not a
    whole number 0-10 is ``#NUM!`` naming its cell; text is ``#VALUE!``; confidence outside (0, 1)
    is ``#NUM!``.

    Source: Bain & Company, Net Promoter System (promoters 9-10, passives 7-8, detractors 0-6);
    B. Rocks, "Interval Estimation for the 'Net Promoter Score'", The American Statistician, 2016.

    Example -- 10 responses: 5 promoters, 3 passives, 2 detractors:

    >>> nps_breakdown([10, 9, 9, 10, 9, 8, 7, 7, 3, 6]).round(2)
                        group  count  share  points
    0        Promoters (9-10)    5.0    0.5   50.00
    1          Passives (7-8)    3.0    0.3    0.00
    2        Detractors (0-6)    2.0    0.2  -20.00
    3             Respondents   10.0    1.0     NaN
    4                     NPS    NaN    NaN   30.00
    5  Margin of error (95 %)    NaN    NaN   42.13
    """
    z = confidence_z(confidence)
    level = _confidence_level(confidence)
    c = nps_counts(scores)
    score = nps_points(c)
    n = c.respondents
    margin = nps_interval(c, z)[2]    # NPS_MARGIN_OF_ERROR's (adjusted-Wald), so the table and the KPI agree
    nan = np.nan
    return pd.DataFrame({
        "group": ["Promoters (9-10)", "Passives (7-8)", "Detractors (0-6)", "Respondents", "NPS",
                  f"Margin of error ({level * 100:g} %)"],
        "count": [c.promoters, c.passives, c.detractors, n, nan, nan],
        "share": [c.promoters / n, c.passives / n, c.detractors / n, 1.0, nan, nan],
        "points": [100.0 * c.promoters / n, 0.0, -100.0 * c.detractors / n, nan, score, margin],
    }).astype({"count": float, "share": float, "points": float})


# --------------------------------------------------------------------------- NPS change


@kpi(category="Surveys", returns="table", args={
    "scores_before": "NPS responses (0-10) of the earlier period",
    "scores_after": "NPS responses (0-10) of the later period",
    "confidence": "Confidence level of the test, a fraction; blank gives 0.95",
})
def nps_change_test(scores_before, scores_after, confidence=0.95):
    """Is the NPS change between two periods significant? Difference, standard error, z, p-value.

    Formula: a two-sided z-test (Wald) for the difference of two independent NPS estimates. With
    each response coded +1/0/-1 and ``v = p+ + p- - (p+ - p-)^2`` the variance of one response in a
    period, ``SE = 100 x sqrt(v_before / n_before + v_after / n_after)`` points,
    ``z = (NPS_after - NPS_before) / SE``, ``p = 2 x (1 - Phi(|z|))``; the change is significant when
    ``p < 1 - confidence``.

    One row with the columns ``respondents_before``, ``nps_before``, ``respondents_after``,
    ``nps_after``, ``change`` (points), ``standard_error`` (points), ``z``, ``p_value``,
    ``significant`` (TRUE/FALSE). The two periods must be different respondents (independent
    samples); the same panel asked twice needs a paired test.

    Edge cases: either period without responses is ``#DIV/0!``; when every response of both
    periods is in one group (SE = 0) the test is undefined: ``#DIV/0!``; responses that are not
    whole numbers 0-10 are ``#NUM!``; confidence outside (0, 1) is ``#NUM!``.

    Source: B. Rocks, "Interval Estimation for the 'Net Promoter Score'", The American
    Statistician 70(4), 2016 (variance of an NPS estimate); J. Lewis and J. Sauro, MeasuringU,
    "How to Statistically Compare Two Net Promoter Scores" (the two-sample test; here without
    their adjusted-Wald correction of +3/4 promoter, +3/4 detractor, +3 respondents).

    Example -- Mehr: 5 promoters, 3 passives, 2 detractors of 10 (NPS 30); Aban: 12 promoters,
    6 passives, 2 detractors of 20 (NPS 50). SE = 100 x sqrt(0.61/10 + 0.45/20) = 28.9 points:

    >>> t = nps_change_test([10] * 5 + [8] * 3 + [2] * 2, [9] * 12 + [7] * 6 + [0] * 2)
    >>> t[["nps_before", "nps_after", "change", "standard_error", "z", "p_value"]].round(3)
       nps_before  nps_after  change  standard_error      z  p_value
    0        30.0       50.0    20.0          28.896  0.692    0.489
    >>> bool(t.loc[0, "significant"])
    False
    """
    confidence_z(confidence)
    level = _confidence_level(confidence)
    before = nps_counts(scores_before, "scores_before")
    after = nps_counts(scores_after, "scores_after")
    nps_before = nps_points(before, "scores_before")
    nps_after = nps_points(after, "scores_after")
    se = 100.0 * math.sqrt(nps_variance(before) / before.respondents
                           + nps_variance(after) / after.respondents)
    if se == 0:
        raise DivisionByZero("and scores_before each have every response in one group "
                             "(standard error 0); the test needs responses that differ",
                             argument="scores_after")
    change = nps_after - nps_before
    z = change / se
    p = 2.0 * (1.0 - NormalDist().cdf(abs(z)))
    return pd.DataFrame({
        "respondents_before": [before.respondents],
        "nps_before": [nps_before],
        "respondents_after": [after.respondents],
        "nps_after": [nps_after],
        "change": [change],
        "standard_error": [se],
        "z": [z],
        "p_value": [p],
        "significant": [bool(p < 1.0 - level)],
    })


# --------------------------------------------------------------------------- distributions


def _distribution(scores: Any, top: int) -> pd.DataFrame:
    s = scale_scores(scores, top)
    if s.size == 0:
        raise DivisionByZero("has no responses; a distribution needs at least one score",
                             argument="scores")
    counts = np.bincount(s, minlength=top + 1)[1:]
    return pd.DataFrame({
        "score": np.arange(1, top + 1),
        "count": counts,
        "share": counts / s.size,
    })


@kpi(category="Surveys", returns="table", rows=("scores",), args={
    "scores": "Satisfaction responses, whole numbers from 1 to scale_max",
    "scale_max": "Top of the scale: 5 for 1-5 (default), 10 for 1-10",
})
def csat_distribution(scores, scale_max=5):
    """CSAT distribution: count and share of responses for every score from 1 to scale_max.

    Columns ``score``, ``count``, ``share``; one row per score value, including values nobody
    chose (count 0). The shares add up to 1; CSAT (top-2-box) is the sum of the last two shares.

    Edge cases: blanks skipped; no responses is ``#DIV/0!``; a response that is not a whole
    number from 1 to scale_max is ``#NUM!`` naming its cell; scale_max must be a whole number
    from 2 to 100.

    Source: the response distribution behind CSAT (Qualtrics, "What is CSAT").

    Example -- 8 ratings on 1-5: 5, 5, 4, 4, 4, 3, 2, 1:

    >>> csat_distribution([5, 5, 4, 4, 4, 3, 2, 1])
       score  count  share
    0      1      1  0.125
    1      2      1  0.125
    2      3      1  0.125
    3      4      3  0.375
    4      5      2  0.250
    """
    return _distribution(scores, scale_max_value(scale_max, 5))


@kpi(category="Surveys", returns="table", rows=("scores",), args={
    "scores": "Effort responses, whole numbers from 1 to scale_max",
    "scale_max": "Top of the scale: 7 for the CES 2.0 1-7 agreement scale (default)",
})
def ces_distribution(scores, scale_max=7):
    """CES distribution: count and share of responses for every score from 1 to scale_max.

    Columns ``score``, ``count``, ``share``; one row per score value (count 0 included). The
    shares add up to 1.

    Edge cases: blanks skipped; no responses is ``#DIV/0!``; a response that is not a whole
    number from 1 to scale_max is ``#NUM!`` naming its cell; scale_max must be a whole number
    from 2 to 100.

    Source: CEB (now Gartner), Customer Effort Score 2.0, 7-point agreement scale.

    Example -- 4 support contacts rated 7, 7, 6, 2:

    >>> ces_distribution([[7, 7], [6, 2]])["count"].tolist()
    [0, 1, 0, 0, 0, 1, 2]
    """
    return _distribution(scores, scale_max_value(scale_max, 7))


# --------------------------------------------------------------------------- feedback themes

_KEYWORD_SEPARATORS = re.compile(r"[,،;؛|\n]")


def _pattern(keywords: list[str]) -> str:
    """One regular expression for a theme: any keyword, literally, white space matching any run.

    The definition :func:`_theme_hits` computes in one vectorized pass (a test checks they agree).

    >>> print(_pattern(["late delivery", "a+b"]))
    late\\s+delivery|a\\+b
    """
    return "|".join(r"\s+".join(map(re.escape, k.split())) for k in keywords)


_BASE = 0x9E3779B97F4A7C15  # odd, so it has an inverse modulo 2**64
_MASK = (1 << 64) - 1
_CHUNK = 1 << 22  # characters per pass (memory: about 40 bytes a character)
_TABLE_BITS = 22


def _hash(word: str) -> int:
    """sum(code point[t] x BASE**t) mod 2**64: the hash :func:`_theme_hits` gives every window."""
    h, b = 0, 1
    for ch in word:
        h = (h + ord(ch) * b) & _MASK
        b = (b * _BASE) & _MASK
    return h


def _powers(base: int, n: int) -> np.ndarray:
    """base**0 .. base**(n-1) modulo 2**64 (uint64 arithmetic wraps around: that is the modulo)."""
    out = np.full(n, np.uint64(base), dtype=np.uint64)
    out[0] = 1
    with np.errstate(over="ignore"):
        return np.cumprod(out, dtype=np.uint64)


def _theme_hits(comments: list[str], keywords: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Every (comment, keyword) pair where the keyword occurs in the comment, as two index arrays.

    One pass over all the comments' characters per keyword *length*, not per keyword: the comments
    are joined (NUL-separated, white-space runs made one space, as :func:`_pattern` matches them)
    into one code-point array; a polynomial hash of every window of each keyword length comes from
    one prefix sum (modulo 2**64, normalised by the inverse power of the base), windows whose hash
    is a keyword's are candidates, and each candidate is confirmed by comparing its code points
    with the keyword's, so a hash collision can never count a mention. Comments are taken in
    chunks of about four million characters to bound memory.
    """
    by_len: dict[int, list[int]] = {}
    for k, w in enumerate(keywords):
        by_len.setdefault(len(w), []).append(k)
    inverse = pow(_BASE, -1, 1 << 64)
    found_c: list[np.ndarray] = []
    found_k: list[np.ndarray] = []
    start = 0
    while start < len(comments):
        stop, size = start, 0
        while stop < len(comments) and (size == 0 or size + len(comments[stop]) < _CHUNK):
            size += len(comments[stop]) + 1
            stop += 1
        part = [c.replace("\x00", "\ufffd") for c in comments[start:stop]]  # NUL separates comments
        big = re.sub(r"\s+", " ", "\x00".join(part)) + "\x00"
        cp = np.frombuffer(big.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        n = cp.size
        ends = np.flatnonzero(cp == 0)  # the separator after each comment
        with np.errstate(over="ignore"):
            prefix = np.zeros(n + 1, dtype=np.uint64)
            np.cumsum(cp.astype(np.uint64) * _powers(_BASE, n), out=prefix[1:])
            inv = _powers(inverse, n)
            for length, ks in by_len.items():
                if length > n:
                    continue
                windows = (prefix[length:] - prefix[:n - length + 1]) * inv[:n - length + 1]
                hashes = np.array([_hash(keywords[k]) for k in ks], dtype=np.uint64)
                order = np.argsort(hashes, kind="stable")
                sorted_h = hashes[order]
                # a bit table of the keywords' top hash bits filters the windows in one gather
                table = np.zeros(1 << _TABLE_BITS, dtype=bool)
                table[sorted_h >> np.uint64(64 - _TABLE_BITS)] = True
                pos = np.flatnonzero(table[windows >> np.uint64(64 - _TABLE_BITS)])
                j = np.minimum(np.searchsorted(sorted_h, windows[pos]), len(sorted_h) - 1)
                keep = sorted_h[j] == windows[pos]
                pos, j = pos[keep], j[keep]
                if pos.size == 0:
                    continue
                kw_cp = np.array([[ord(c) for c in keywords[k]] for k in ks], dtype=np.uint32)
                # keywords sharing a hash (a collision among keywords) are each tried in turn
                for dup in range(len(ks)):
                    cand = j + dup
                    ok = (cand < len(ks)) & (sorted_h[np.minimum(cand, len(ks) - 1)] == windows[pos])
                    if not ok.any():
                        break
                    kidx = np.asarray(ks)[order[cand[ok]]]
                    p = pos[ok]
                    rows = np.searchsorted(np.asarray(ks), kidx)
                    same = (cp[p[:, None] + np.arange(length)] == kw_cp[rows]).all(axis=1)
                    found_c.append(np.searchsorted(ends, p[same]) + start)
                    found_k.append(kidx[same])
        start = stop
    if not found_c:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(found_c).astype(np.int64), np.concatenate(found_k).astype(np.int64)


def _theme_keywords(themes: Any, keywords: Any) -> dict[str, tuple[str, list[str]]]:
    """{folded theme: (theme as first written, [folded keywords])}, in the order given."""
    if is_blank(keywords):
        _, cols = cells.flatten(themes)
        if cols != 2:
            raise InvalidInput("needs keywords: give a keywords range, or select two columns "
                               "(theme | comma-separated keywords)", argument="themes")
        both = cells.texts(themes, "themes", keep_blanks=True).reshape(-1, 2)
        names, words = both[:, 0], both[:, 1]
    else:
        r = cells.aligned(themes=(themes, "text"), keywords=(keywords, "text"))
        names, words = r["themes"], r["keywords"]
    out: dict[str, tuple[str, list[str]]] = {}
    rows: list[tuple[int, str, list[str]]] = []
    for i, (name, kw) in enumerate(zip(names.tolist(), words.tolist())):
        if name is None:
            if kw is not None:
                raise InvalidInput(f"is blank in row {i + 1}, which has keywords ({cells.describe(kw)});"
                                   " name the theme", argument="themes")
            continue
        parts = [p.strip() for p in _KEYWORD_SEPARATORS.split(kw)] if kw is not None else [name]
        rows.append((i, name, [p for p in parts if p] or [name]))
    # fold every theme name and keyword in one call
    flat = [s for _, name, parts in rows for s in (name, *parts)]
    folded_all = iter(" ".join(f.split()) for f in fold_text(pd.Series(flat, dtype=object)))
    for i, name, parts in rows:
        key = next(folded_all)
        folded = [next(folded_all) for _ in parts]
        if any(not f for f in folded):
            kw = words.tolist()[i]
            raise InvalidInput(f"has a keyword with no letters in row {i + 1} ({cells.describe(kw)})",
                               argument="keywords")
        label, seen = out.setdefault(key, (name, []))
        seen.extend(f for f in folded if f not in seen)
    if not out:
        raise InvalidInput("is empty; list at least one theme", argument="themes")
    return out


@kpi(category="Surveys", returns="table", row_labels=("theme",), rows=("comments",), args={
    "comments": "Free-text comments, one per cell (blanks skipped)",
    "themes": "Theme names, one per row; or two columns: theme | comma-separated keywords",
    "keywords": "Keywords per theme row, separated by commas (or ، ;); blank: the theme's name",
})
def feedback_themes(comments, themes, keywords=None):
    """Theme tally of comments: how many comments mention each theme's keywords, and their share.

    A comment mentions a theme when any of the theme's keywords occurs in it as text (like
    COUNTIF with ``"*keyword*"``: "price" also finds "prices"), ignoring case, Arabic/Persian letter
    variants (ي/ی, ك/ک, ى/ی, ة/ه, أ/إ/آ/ا), diacritics (harakat), tatweel and zero-width
    non-joiners. Columns ``theme``, ``mentions`` (comments mentioning the theme, each counted
    once), ``share`` (mentions / non-blank comments); themes in the order given, then a row
    "(no theme)" with the comments that mention none. A comment may mention several themes, so
    the shares of the themes need not add up to 1.

    Keywords per theme are separated by commas, Arabic commas or semicolons; a theme without
    keywords is matched by its own name; a theme listed on several rows gets all their keywords.
    Every keyword of every theme is looked for in one vectorized pass over the distinct comments
    (one pass per keyword length, not per theme): 50,000 comments and 2,000 themes take seconds.

    Edge cases: no non-blank comments is ``#DIV/0!``; no themes, a blank theme with keywords, a
    keyword with no letters, themes and keywords of different sizes, or a logical value among the
    comments are ``#VALUE!``.

    Source: keyword-based thematic coding of open-ended survey answers (G. Guest, K. MacQueen,
    E. Namey, "Applied Thematic Analysis", 2012); Persian/Arabic letter folding as in the Hazm
    normalizer and Unicode NFKC.

    Example -- four comments after Mehr's survey, two themes:

    >>> comments = ["قيمت بالاست", "پشتیبانی کُند بود", "Price too high, support slow", None, "عالی"]
    >>> feedback_themes(comments, [["Price", "price, قیمت"], ["Support", "support، پشتیبانی"]])
            theme  mentions  share
    0       Price         2   0.50
    1     Support         2   0.50
    2  (no theme)         1   0.25
    """
    from .sla import distinct_texts

    # fold and match each distinct comment once (exports repeat short answers a lot), all the
    # themes' keywords in one vectorized pass (_theme_hits); the column is read once per distinct
    # cell too (identity first: a reader's column points every repeat of a text at one object)
    got = distinct_texts(comments)
    if got is None:
        text = cells.texts(comments, "comments")
        total = text.size
    else:
        cell_codes, cell_texts = got
        total = -1  # counted below, after the themes are read (their errors come first, as before)
    spec = _theme_keywords(themes, keywords)
    if got is not None:
        filled = np.array([t is not None for t in cell_texts.tolist()], dtype=bool)
        rows = np.bincount(cell_codes[cell_codes >= 0], minlength=len(cell_texts))[filled]
        total = int(rows.sum())
    if total == 0:
        raise DivisionByZero("has no comments; the shares need at least one", argument="comments")
    if got is None:
        codes, distinct = cells.factorize(text)
        weight = np.bincount(codes, minlength=len(distinct))  # rows per distinct comment
    else:  # distinct cells with the same text (" a" and "a") are one comment
        codes, distinct = cells.factorize(cell_texts[filled])
        weight = np.bincount(codes, weights=rows, minlength=len(distinct)).astype(np.int64)
    folded = fold_text(pd.Series(distinct, dtype=object)).tolist()
    keywords: list[str] = []
    keyword_id: dict[str, int] = {}
    pair_kw, pair_theme = [], []
    for t, (_, words) in enumerate(spec.values()):
        for w in words:
            pair_kw.append(keyword_id.setdefault(w, len(keyword_id)))
            pair_theme.append(t)
    keywords = list(keyword_id)
    hit_c, hit_k = _theme_hits(folded, keywords)
    # keyword hits -> (comment, theme) pairs, each pair once
    themes_n = len(spec)
    kw_themes = pd.DataFrame({"k": pair_kw, "t": pair_theme})
    pairs = pd.DataFrame({"c": hit_c, "k": hit_k}).merge(kw_themes, on="k")[["c", "t"]].drop_duplicates()
    theme_mentions = np.bincount(pairs["t"].to_numpy(dtype=np.int64),
                                 weights=weight[pairs["c"].to_numpy(dtype=np.int64)], minlength=themes_n)
    matched = np.zeros(len(distinct), dtype=bool)
    matched[pairs["c"].to_numpy(dtype=np.int64)] = True
    mentions = np.append(theme_mentions.round().astype(np.int64), int(weight[~matched].sum()))
    return pd.DataFrame({
        "theme": [label for label, _ in spec.values()] + ["(no theme)"],
        "mentions": mentions.astype(np.int64),
        "share": mentions / total,
    })
