"""Customer health family: HEALTH_SCORE and HEALTH_STATUS."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from xl_cskpi import health_score, health_status
from xl_cskpi.errors import DivisionByZero, InvalidInput, OutOfRange


def test_one_customer():
    # hand calculation (Gainsight weighted average): 0.5x80 + 0.3x60 + 0.2x90 = 76
    assert health_score([[80, 60, 90]], [[0.5, 0.3, 0.2]]) == pytest.approx(76.0)
    # weights need not sum to 1: 50/30/20 gives the same
    assert health_score([80, 60, 90], [50, 30, 20]) == pytest.approx(76.0)
    # weights as a column, scores as text with Persian digits
    assert health_score([["۸۰", "60", "٩٠"]], [[5], [3], [2]]) == pytest.approx(76.0)
    assert isinstance(health_score([[80, 60, 90]], [[1, 1, 1]]), float)


def test_block_spills_one_score_per_customer():
    # hand calculation, weights 50/30/20:
    #   row 1: 76; row 2 (NPS blank): (50x40 + 20x70) / 70 = 48.571...; row 3: all blank -> NaN;
    #   row 4: 0.5x10 + 0.3x20 + 0.2x30 = 17
    block = [[80, 60, 90], [40, None, 70], [None, "", None], [10, 20, 30]]
    out = health_score(block, [[50, 30, 20]])
    assert isinstance(out, np.ndarray) and out.shape == (4,)
    assert out[0] == pytest.approx(76.0)
    assert out[1] == pytest.approx(3400 / 70)
    assert np.isnan(out[2])
    assert out[3] == pytest.approx(17.0)


def test_block_from_pandas_and_numpy():
    df = pd.DataFrame({"usage": [80, 40], "nps": [60, np.nan], "support": [90, 70]})
    out = health_score(df, pd.Series([50, 30, 20]))
    assert out == pytest.approx([76.0, 3400 / 70])  # as above
    # numpy: a blank is None in an object array; NaN in a float array is not a blank (contract)
    obj = np.array([[80, 60, 90], [40, None, 70]], dtype=object)
    assert health_score(obj, np.array([50, 30, 20])) == pytest.approx(out)
    with pytest.raises(InvalidInput, match=r"scores has NaN in cell 5 \(row 2, column 2\)"):
        health_score(df.to_numpy(), np.array([50, 30, 20]))


def test_zero_weight_measure_is_ignored():
    # the only present measure has weight 0 -> no weighted data for that customer
    assert np.isnan(health_score([[None, 50], [80, 50]], [1, 0])[0])
    with pytest.raises(DivisionByZero, match="HEALTH_SCORE: scores has no score"):
        health_score([[None, 50]], [1, 0])


def test_health_score_errors():
    with pytest.raises(OutOfRange, match="weights has a negative weight"):
        health_score([[1, 2]], [1, -1])
    with pytest.raises(DivisionByZero, match="weights are all 0"):
        health_score([[1, 2]], [0, 0])
    with pytest.raises(InvalidInput, match="weights is blank in cell 2"):
        health_score([[1, 2]], [1, None])
    with pytest.raises(InvalidInput, match="weights is empty"):
        health_score([[1, 2]], [])
    with pytest.raises(InvalidInput, match="scores has 2 column"):
        health_score([[1, 2], [3, 4]], [1, 1, 1])
    with pytest.raises(InvalidInput, match=r"scores has 'high' in cell 2 \(row 1, column 2\)"):
        health_score([[1, "high"]], [1, 1])
    with pytest.raises(InvalidInput, match="scores"):
        health_score([[1, True]], [1, 1])
    with pytest.raises(DivisionByZero, match="scores has no values"):
        health_score([], [1, 1])
    with pytest.raises(InvalidInput, match="weights"):
        health_score([[1, 2]], ["a", 1])


rows = st.integers(1, 8).flatmap(lambda m: st.tuples(
    st.lists(st.lists(st.one_of(st.none(), st.floats(0, 100)), min_size=m, max_size=m),
             min_size=2, max_size=10),
    st.lists(st.floats(0.01, 10), min_size=m, max_size=m)))


@given(rows)
def test_score_lies_between_lowest_and_highest_score(data):
    block, weights = data
    out = health_score(block, [weights])
    for row, score in zip(block, out):
        present = [v for v in row if v is not None]
        if not present:
            assert np.isnan(score)
        else:
            assert min(present) - 1e-9 <= score <= max(present) + 1e-9


@given(rows, st.floats(0.1, 1000))
def test_weights_scale_invariance_and_row_order(data, k):
    block, weights = data
    a = health_score(block, weights)
    b = health_score(block, [w * k for w in weights])
    assert b == pytest.approx(a, nan_ok=True, rel=1e-9)
    rev = health_score(block[::-1], weights)
    assert rev[::-1] == pytest.approx(a, nan_ok=True, rel=1e-12)


# --------------------------------------------------------------------------- HEALTH_STATUS


def test_health_status_bands():
    # default bands: >= 70 Healthy, >= 40 At risk, else Critical; a threshold belongs to the upper band
    assert health_status(70) == "Healthy"
    assert health_status(69.99) == "At risk"
    assert health_status(40) == "At risk"
    assert health_status(39.9) == "Critical"
    assert health_status([["٨٥"]]) == "Healthy"
    assert health_status(75, 80, 50) == "At risk"
    assert health_status(75, None, None) == "Healthy"  # blank thresholds take defaults


def test_health_status_column_and_chaining():
    out = health_status([[76], [48.6], [None], [12]])
    assert out.tolist() == ["Healthy", "At risk", None, "Critical"]
    scores = health_score([[80, 60, 90], [None, None, None], [10, 20, 30]], [50, 30, 20])
    assert health_status(scores).tolist() == ["Healthy", None, "Critical"]  # 76, NaN, 17


def test_health_status_errors():
    with pytest.raises(OutOfRange, match="HEALTH_STATUS: at_risk_from is 80, above healthy_from"):
        health_status(50, 70, 80)
    with pytest.raises(InvalidInput, match="score is empty"):
        health_status(None)
    with pytest.raises(InvalidInput, match="score has 'good'"):
        health_status("good")
    with pytest.raises(InvalidInput, match="healthy_from"):
        health_status(50, "high")


@given(st.lists(st.floats(-50, 150), min_size=2, max_size=30), st.floats(0, 100), st.floats(0, 100))
def test_status_is_monotone_in_score(scores, a, b):
    at_risk, healthy = sorted((a, b))
    out = health_status(scores, healthy, at_risk)
    rank = {"Critical": 0, "At risk": 1, "Healthy": 2}
    pairs = sorted(zip(scores, (rank[x] for x in out)))
    assert [r for _, r in pairs] == sorted(r for _, r in pairs)


def test_excel_face_spills_a_column():
    from xl_cskpi.excel import call
    from xl_cskpi.registry import REGISTRY

    block = [[80.0, 60.0, 90.0], [None, None, None], [10.0, 20.0, 30.0]]
    weights = [[50.0, 30.0, 20.0]]
    # hand: 76, no scores (empty cell), 17
    assert call(REGISTRY["HEALTH_SCORE"], (block, weights)) == [[76.0], [""], [17.0]]
    assert call(REGISTRY["HEALTH_SCORE"], ([[80.0, 60.0, 90.0]], weights)) == 76.0  # one row: one cell
    assert call(REGISTRY["HEALTH_STATUS"], ([[76.0], [None], [17.0]], None, None)) == \
        [["Healthy"], [""], ["Critical"]]
    assert call(REGISTRY["HEALTH_STATUS"], ([[65.0]], [[60.0]], None)) == "Healthy"
