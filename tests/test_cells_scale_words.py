"""Satisfaction answers written as labels (reviewer's G14, session 5): SurveyMonkey exports its standard
satisfaction choices as words; read as the 1-5 (or 1-7) scale they label. Sources: SurveyMonkey's standard
5-point choices (the reviewer's /tmp/r4/in/surveymonkey_csat_text.csv) and 7-point ones; Google Business
Messages' SurveyRating enum (VERY_DISSATISFIED 1 ... SOMEWHAT_SATISFIED 4, VERY_SATISFIED 5). Expected values
by hand.
"""

from __future__ import annotations

import numpy as np
import pytest

from xl_cskpi import csat
from xl_cskpi.cells.scale_words import labelled_scores
from xl_cskpi.errors import InvalidInput

REVIEWER = ["Very satisfied", "Dissatisfied", "Satisfied", "Neither satisfied nor dissatisfied", "Very dissatisfied"]


def test_the_reviewers_surveymonkey_answers():
    scores, top, mapping = labelled_scores(REVIEWER, "Overall how satisfied are you with Acme?")
    assert scores.tolist() == [5.0, 2.0, 4.0, 3.0, 1.0] and top == 5
    # satisfied = top two boxes: Very satisfied + Satisfied = 2 of 5 = 40 %; average (5+2+4+3+1)/5 = 3.0
    assert csat(scores.tolist(), top) == pytest.approx(0.4)
    assert scores.mean() == 3.0
    assert mapping["Very satisfied"] == 5 and mapping["Neither satisfied nor dissatisfied"] == 3


def test_udf_shaped_rows_blanks_and_spellings():
    rows = [["VERY SATISFIED"], [None], ["  satisfied "], ["Neutral"], ["somewhat dissatisfied"], [""], ["4"], [2]]
    scores, top, _ = labelled_scores(rows, "csat")
    assert top == 5
    got = [None if np.isnan(x) else x for x in scores.tolist()]
    assert got == [5.0, None, 4.0, 3.0, 2.0, None, 4.0, 2.0]
    # Persian and Arabic labels (folded: letter variants, harakat)
    fa = labelled_scores(["خیلی راضی", "راضي", "ناراضی", "نه راضی نه ناراضی", "خیلی ناراضی"], "csat")[0]
    assert fa.tolist() == [5.0, 4.0, 2.0, 3.0, 1.0]
    ar = labelled_scores(["راضٍ جدًا", "راضٍ", "محايد", "غير راضٍ"], "csat")[0]
    assert ar.tolist() == [5.0, 4.0, 3.0, 2.0]


def test_seven_points():
    seven = ["Extremely satisfied", "Very satisfied", "Somewhat satisfied", "Neither satisfied nor dissatisfied",
             "Somewhat dissatisfied", "Very dissatisfied", "Extremely dissatisfied"]
    scores, top, _ = labelled_scores(seven, "csat")
    assert scores.tolist() == [7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0] and top == 7
    # top two of seven: 6 and 7 -> 2 of 7
    assert csat(scores.tolist(), top) == pytest.approx(2 / 7)
    # a bare Satisfied is no rung of the seven
    with pytest.raises(InvalidInput, match=r"'Satisfied' in cell 2, which is no answer of the column's 7-point") as e:
        labelled_scores(["Extremely satisfied", "Satisfied"], "csat")
    assert e.value.position == 1


def test_bad_input():
    assert labelled_scores([5, 4, "3", None], "csat") is None          # numbers: not a labelled column
    with pytest.raises(InvalidInput, match=r"'meh' in cell 2") as e:
        labelled_scores(["Very satisfied", "meh"], "csat")
    assert e.value.position == 1
    with pytest.raises(InvalidInput, match="off the column's 5-point"):
        labelled_scores(["Very satisfied", 9], "csat")
    with pytest.raises(InvalidInput, match="two rungs"):
        labelled_scores(["Satisfied", "Somewhat satisfied", "Very satisfied"], "csat")
