"""The Data check says what a column's numbers decided (T2's readings of the reviewer's G28 and G17)."""

from __future__ import annotations

from xl_cskpi.exports.check import ReadOptions
from xl_cskpi.reports import reports
from xl_cskpi.reports.fill import load_data


def test_the_data_check_says_what_the_column_decided(tmp_path):
    # reviewer's G28 file: 49,000 + 120,000 + 990,000 tomans (by hand)
    p = tmp_path / "fa.csv"
    p.write_text("customer_id,month,mrr\nC1,1403-01,۴۹٫۰۰۰ تومان\nC2,1403-01,۱۲۰٫۰۰۰ تومان\n"
                 "C3,1403-01,۹۹۰٫۰۰۰ تومان\n", encoding="utf-8")
    data, check = load_data(reports()["revenue"], [p], ReadOptions(lang="fa"))
    assert data["Subscriptions"]["mrr"].sum() == 1_159_000
    f = [f for f in check.findings if f.code == "arabic_thousands"]
    assert len(f) == 1 and f[0].level == "info" and f[0].row == 2 and f[0].column == "mrr"
    # reviewer's G17 file: usage 85%, 40%, 10% of a 0-100 score
    p = tmp_path / "health.csv"
    p.write_text("customer_id,usage,support,nps,payment\nA,85%,90,70,100\nB,40%,60,50,80\nC,10%,20,10,20\n")
    data, check = load_data(reports()["customer_health"], [p], ReadOptions())
    assert data["Health"]["usage"].tolist() == [85.0, 40.0, 10.0]
    f = [f for f in check.findings if f.code == "percent_points"]
    assert len(f) == 1 and f[0].fields["count"] == 3 and f[0].row == 2
