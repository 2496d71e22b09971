"""One customer id written on two keyboards is one customer (reviewer's G38, session 5).

A Persian CRM's customer-month MRR: C۱ (Persian digit) in Farvardin and C1 in Ordibehesht, ك-3 (Arabic
kaf) then ک-3 (Persian kaf). They were four customers: 1403-02 NRR 57.1 %, 150 churned and 150 new.
By hand, nobody moved: C1 100, C2 200, ک-3 50 in both months, NRR 350 / 350 = 100 %.
"""

from __future__ import annotations

import math

from xl_cskpi.exports.check import ReadOptions
from xl_cskpi.reports import reports
from xl_cskpi.reports.builder import build
from xl_cskpi.reports.fill import load_data

R = reports()


def test_ids_written_two_ways_are_one_customer(tmp_path):
    p = tmp_path / "mrr.csv"
    p.write_text("customer_id,month,mrr\nC۱,1403-01,100\nC2,1403-01,200\nC1,1403-02,100\nC2,1403-02,200\n"
                 "ك-3,1403-01,50\nک-3,1403-02,50\ncus_AbC,1403-01,10\ncus_abc,1403-02,10\n", encoding="utf-8")
    data, check = load_data(R["revenue"], [p], ReadOptions(lang="fa"))
    ids = data["Subscriptions"]["customer_id"].tolist()
    assert ids == ["C۱", "C2", "C۱", "C2", "ك-3", "ك-3", "cus_AbC", "cus_abc"]   # the first spelling; case kept
    found = [f for f in check.findings if f.code == "ids_folded"]
    assert len(found) == 1 and found[0].fields["count"] == 2
    v = build(R["revenue"], tmp_path / "r.xlsx", data=data, values=True, check=check, period="1403-02",
              settings={"calendar": "jalali"}, lang="fa")
    # cus_AbC and cus_abc stay two customers (Stripe ids are case-sensitive): 10 churned, 10 new
    assert math.isclose(v["nrr"], 350 / 360, rel_tol=1e-12)
