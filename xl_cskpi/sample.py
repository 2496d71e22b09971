"""Deterministic, realistic sample exports for ``xl-cskpi demo`` and the tests.

A subscription business over 2024: about 180 customers at the start of the year and a dozen new
ones a month on three plans, monthly churn around 2-4 %, upgrades and downgrades; surveys (NPS,
CSAT, CES, eNPS), support tickets with opened / first response / resolved times, complaints,
a monthly finance summary and marketing campaigns. Everything comes from one
``numpy.random.Generator`` with a fixed seed, so the same seed gives the same exports, byte for
byte. Column headers follow what common tools export (``created_at``/``solved_at`` for tickets,
as Zendesk does), which ``xl-cskpi report`` matches to the templates' columns through aliases.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["generate", "write_csv", "demo_settings", "EXPORTS", "SEED"]

SEED = 20240901
YEAR = 2024
PLANS = {"Basic": 49.0, "Pro": 149.0, "Enterprise": 499.0}

#: Export file stem -> the data table it fills.
EXPORTS = {
    "subscriptions": "Subscriptions",
    "customers": "Customers",
    "months": "Months",
    "accounts": "Accounts",
    "responses": "Responses",
    "employee_survey": "EmployeeSurvey",
    "tickets": "Tickets",
    "complaints": "ComplaintLog",
    "health": "Health",
    "finance": "Finance",
    "campaigns": "Campaigns",
    "rates": "Rates",
}

#: Month-end exchange rates of the sample's year (USD per unit), illustrative round values: the
#: sample business bills in USD only, so the revenue report's FX sheet reads "n/a" with them; a user
#: adds a currency column to the billing export to see rate moves (issue 16.3).
RATES_2024 = {"EUR": (1.08, 1.08, 1.08, 1.07, 1.09, 1.07, 1.08, 1.10, 1.11, 1.08, 1.06, 1.04),
              "GBP": (1.26, 1.26, 1.26, 1.25, 1.27, 1.26, 1.29, 1.31, 1.33, 1.29, 1.27, 1.25)}


def _months() -> pd.DatetimeIndex:
    return pd.date_range(f"{YEAR}-01-01", periods=12, freq="MS")


def generate(seed: int = SEED, customers_at_start: int = 180, new_per_month: float = 12.0,
             calendar: str = "gregorian") -> dict[str, pd.DataFrame]:
    """Every sample export as a DataFrame, keyed by export name (see :data:`EXPORTS`).

    ``calendar`` ("gregorian", "jalali", "hijri"): the calendar of the reports the sample feeds
    (``xl-cskpi demo --lang fa|ar``). A CRM's monthly customer counts (``months``) are counts per
    month of the company's own calendar: Gregorian months' counts relabelled as Jalali or Hijri
    months would be other periods' numbers under the report's month names, and would stop before
    the report's latest month (Gregorian December 2024 starts in Jumada I 1446; Jumada II 1446,
    2-31 December, would have no row). So with another calendar the customers' start and churn
    dates fall on days within their months (:func:`_calendar_months`) and ``months`` counts them per
    month of ``calendar`` ("1446-06" labels), and the monthly billing and finance exports are dated
    on the first days of the twelve months of ``calendar`` ending there (:func:`_monthly_in_calendar`).
    The other exports are the Gregorian sample's."""
    rng = np.random.default_rng(seed)
    months = _months()
    out: dict[str, pd.DataFrame] = {}

    # ---------------------------------------------------------------- customers and monthly MRR
    rows = []
    plan_names = list(PLANS)
    cid = 0
    active: dict[str, tuple[str, float]] = {}
    lost_in: dict[int, int] = {}
    new_in: dict[int, int] = {}
    start_of: dict[int, int] = {}
    first_month: dict[str, int] = {}

    def new_customer(m: int) -> None:
        nonlocal cid
        cid += 1
        key = f"C{cid:04d}"
        plan = plan_names[rng.choice(3, p=[0.55, 0.35, 0.10])]
        active[key] = (plan, PLANS[plan] * (1 + int(rng.integers(0, 3))) if plan != "Basic" else PLANS[plan])
        first_month[key] = m

    for _ in range(customers_at_start):
        new_customer(-1)
    for m in range(12):
        start_of[m] = len(active)
        churn = rng.uniform(0.02, 0.045)
        leaving = [k for k in sorted(active) if rng.random() < churn]
        for k in leaving:
            del active[k]
        lost_in[m] = len(leaving)
        n_new = int(rng.poisson(new_per_month))
        for _ in range(n_new):
            new_customer(m)
        new_in[m] = n_new
        for k in sorted(active):
            plan, mrr = active[k]
            r = rng.random()
            if r < 0.03:                                       # upgrade
                mrr = round(mrr * 1.5)
            elif r < 0.045 and mrr > PLANS["Basic"]:           # downgrade
                mrr = round(mrr * 0.7)
            active[k] = (plan, mrr)
            rows.append((k, months[m], float(mrr), plan))
    subs = pd.DataFrame(rows, columns=["customer_id", "month", "mrr", "plan"])
    out["subscriptions"] = subs

    # ---------------------------------------------------------------- customers (subscription spells)
    # one row per run of paying months (issue 16): start and churn dates for CUSTOMER_CHURN_RATE and
    # SURVIVAL_CURVE; the plan is the customer's (it never changes in this sample)
    from .tables.churn import spells_from_mrr

    spells = spells_from_mrr(subs["customer_id"], subs["month"], subs["mrr"])
    plan_of = subs.drop_duplicates("customer_id").set_index("customer_id")["plan"]
    out["customers"] = pd.DataFrame({"customer_id": spells["customer_id"].to_numpy(),
                                     "started_at": spells["start_date"].to_numpy(),
                                     "canceled_at": spells["end_date"].to_numpy(),
                                     "plan": plan_of.reindex(spells["customer_id"]).to_numpy()})

    # ---------------------------------------------------------------- monthly counts (a CRM summary)
    due = rng.integers(8, 16, size=12)
    renewed = np.minimum(due, np.round(due * rng.uniform(0.78, 0.96, size=12))).astype(int)
    if calendar != "gregorian":
        out["customers"], local_months = _calendar_months(out["customers"], calendar, seed)
    out["months"] = pd.DataFrame({
        "Month": months,
        "Customers at start": [start_of[m] for m in range(12)],
        "New customers": [new_in[m] for m in range(12)],
        "Churned customers": [lost_in[m] for m in range(12)],
        "Customers at end": [start_of[m] - lost_in[m] + new_in[m] for m in range(12)],
        "Renewals due": due,
        "Renewals": renewed,
    })
    if calendar != "gregorian":
        k = len(local_months)
        due = np.resize(due, k)
        out["months"] = local_months.assign(**{"Renewals due": due, "Renewals": np.resize(renewed, k)})

    # ---------------------------------------------------------------- MRR per customer, Jan vs Dec
    jan = subs[subs["month"] == months[0]].set_index("customer_id")["mrr"]
    dec = subs[subs["month"] == months[-1]].set_index("customer_id")["mrr"]
    ids = sorted(set(jan.index) | set(dec.index))
    plans = subs.drop_duplicates("customer_id", keep="last").set_index("customer_id")["plan"]
    out["accounts"] = pd.DataFrame({
        "Account ID": ids,
        "MRR start": [float(jan.get(i, 0.0)) for i in ids],
        "MRR end": [float(dec.get(i, 0.0)) for i in ids],
        "Plan": [plans[i] for i in ids],
    })

    # ---------------------------------------------------------------- survey responses
    n = 640
    day = rng.integers(0, 366, size=n)
    when = pd.Timestamp(f"{YEAR}-01-01") + pd.to_timedelta(np.sort(day), unit="D")
    nps = rng.choice(11, size=n, p=[.01, .01, .02, .02, .03, .04, .06, .12, .19, .22, .28]).astype(float)
    csat = rng.choice([1, 2, 3, 4, 5], size=n, p=[.04, .06, .12, .38, .40]).astype(float)
    ces = rng.choice(np.arange(1, 8), size=n, p=[.03, .04, .07, .12, .22, .28, .24]).astype(float)
    nps[rng.random(n) < 0.08] = np.nan
    csat[rng.random(n) < 0.35] = np.nan
    ces[rng.random(n) < 0.55] = np.nan
    comments = np.array([None, "Great support", "Price is too high", "Onboarding was slow",
                         "پشتیبانی عالی بود", "السعر مرتفع", "Love the reports"], dtype=object)
    comment = comments[rng.integers(0, len(comments), size=n)]
    comment[3] = '=HYPERLINK("http://example.com","click")'   # text that must stay text
    customers = sorted(set(subs["customer_id"]))
    out["responses"] = pd.DataFrame({
        "Date": when,
        "customer_id": np.array(customers, dtype=object)[rng.integers(0, len(customers), size=n)],
        "NPS": nps, "CSAT": csat, "CES": ces, "Comment": comment,
    })

    m = 85
    out["employee_survey"] = pd.DataFrame({
        "submitted_at": pd.Timestamp(f"{YEAR}-06-15") + pd.to_timedelta(rng.integers(0, 10, size=m), unit="D"),
        "team": np.array(["Support", "Success", "Sales", "Product"], dtype=object)[rng.integers(0, 4, size=m)],
        "enps_score": rng.choice(11, size=m, p=[.02, .02, .03, .04, .05, .08, .10, .16, .18, .17, .15]),
    })

    # ---------------------------------------------------------------- tickets
    t = 1400
    opened = (pd.Timestamp(f"{YEAR}-01-01 08:00") + pd.to_timedelta(rng.uniform(0, 365 * 24, size=t), unit="h"))
    opened = opened.sort_values().floor("min")
    first = opened + pd.to_timedelta(rng.exponential(3.0, size=t) + 0.05, unit="h")
    resolved = first + pd.to_timedelta(rng.gamma(1.6, 11.0, size=t), unit="h")
    first = pd.Series(first.floor("min"))
    resolved = pd.Series(resolved.floor("min"))
    resolved[rng.random(t) < 0.04] = pd.NaT                      # still open
    out["tickets"] = pd.DataFrame({
        "id": [f"T{i:05d}" for i in range(1, t + 1)],
        "requester": np.array(customers, dtype=object)[rng.integers(0, len(customers), size=t)],
        "channel": np.array(["email", "chat", "phone", "web"], dtype=object)[rng.integers(0, 4, size=t)],
        "priority": np.array(["low", "normal", "high", "urgent"], dtype=object)[
            rng.choice(4, size=t, p=[.25, .5, .2, .05])],
        "created_at": opened, "first_response_at": first.to_numpy(), "solved_at": resolved.to_numpy(),
    })
    # helpdesk columns (Zendesk's Assignee, Group, Reopens, Replies, Satisfaction Score) from a generator
    # of their own, so the other sample data stays as it was
    extra = np.random.default_rng(1403)
    solved = ~pd.isna(out["tickets"]["solved_at"]).to_numpy()
    out["tickets"]["assignee"] = np.array(["Sara K", "Reza M", "Noor A", "Li W", "Omid T"], dtype=object)[
        extra.choice(5, size=t, p=[.3, .25, .2, .15, .1])]
    out["tickets"]["group"] = np.array(["Tier 1", "Tier 2", "Billing"], dtype=object)[
        extra.choice(3, size=t, p=[.6, .25, .15])]
    out["tickets"]["reopens"] = np.where(solved, extra.choice(3, size=t, p=[.88, .1, .02]), 0)
    out["tickets"]["replies"] = np.where(solved, 1 + extra.poisson(0.8, size=t), extra.integers(0, 2, size=t))
    rated = solved & (extra.random(t) < 0.35)
    out["tickets"]["satisfaction"] = np.where(rated, np.where(extra.random(t) < 0.86, "Good", "Bad"), None)

    # ---------------------------------------------------------------- complaints
    c = 130
    out["complaints"] = pd.DataFrame({
        "complaint_id": [f"K{i:04d}" for i in range(1, c + 1)],
        "customer_id": np.array(customers, dtype=object)[rng.integers(0, len(customers), size=c)],
        "received_at": (pd.Timestamp(f"{YEAR}-01-01") + pd.to_timedelta(np.sort(rng.integers(0, 366, size=c)),
                                                                           unit="D")),
        "category": np.array(["Billing", "Delivery", "Product quality", "Service", "Privacy"], dtype=object)[
            rng.choice(5, size=c, p=[.32, .24, .22, .17, .05])],
        "status": np.array(["resolved", "pending", "escalated"], dtype=object)[rng.choice(3, size=c, p=[.7, .22, .08])],
    })

    # ---------------------------------------------------------------- health inputs (active in December)
    act = sorted(dec.index)
    k = len(act)
    usage = np.clip(rng.normal(68, 18, size=k), 0, 100).round()
    support = np.clip(rng.normal(75, 15, size=k), 0, 100).round()
    nps_h = np.clip(rng.normal(65, 25, size=k), 0, 100).round()
    nps_h[rng.random(k) < 0.3] = np.nan                          # not surveyed
    pay = np.where(rng.random(k) < 0.9, 100.0, rng.choice([0.0, 40.0, 70.0], size=k))
    out["health"] = pd.DataFrame({"customer_id": act, "usage": usage, "support": support, "nps": nps_h,
                                  "payment": pay})

    # ---------------------------------------------------------------- finance (monthly)
    revenue = subs.groupby("month")["mrr"].sum().reindex(months).to_numpy()
    news = np.array([new_in[i] for i in range(12)])
    out["finance"] = pd.DataFrame({
        "month": months,
        "customers_start": [start_of[i] for i in range(12)],
        "new_customers": news,
        "churned_customers": [lost_in[i] for i in range(12)],
        "revenue": revenue.round(2),
        "gross_margin": rng.uniform(0.74, 0.82, size=12).round(3),
        "sales_marketing_spend": (news * rng.uniform(900, 1400, size=12)).round(-1),
        "retention_costs": rng.uniform(3000, 4500, size=12).round(-1),
        "operating_cash_flow": (revenue * rng.uniform(0.18, 0.30, size=12)).round(-1),
        "investments": rng.uniform(1000, 6000, size=12).round(-1),
        "working_capital_increase": rng.uniform(-1500, 2500, size=12).round(-1),
    })

    # ---------------------------------------------------------------- campaigns
    names = ["Spring webinar", "Search - brand", "Search - generic", "LinkedIn ABM", "Partner referral",
             "Newsletter", "Summer promo", "Black Friday"]
    q = len(names)
    visits = rng.integers(3000, 40000, size=q)
    leads = (visits * rng.uniform(0.02, 0.06, size=q)).astype(int)
    opps = (leads * rng.uniform(0.2, 0.45, size=q)).astype(int)
    conv = (opps * rng.uniform(0.2, 0.5, size=q)).astype(int)
    carts = (visits * rng.uniform(0.03, 0.08, size=q)).astype(int)
    cost = rng.uniform(2000, 25000, size=q).round(-1)
    # the campaigns won the year's new customers and the referrals are a tenth of the customer base,
    # so the funnel's rates read against the same company's counts (demo_settings) are plausible:
    # raw draws (817 conversions for 146 new customers) gave an acquisition rate of 454 %
    referred = (leads * rng.uniform(0.02, 0.12, size=q)).astype(int)
    conv = _allocate(int(sum(new_in[m] for m in range(12))), conv)
    referred = _allocate(round(0.1 * (start_of[11] - lost_in[11] + new_in[11])), referred)
    out["campaigns"] = pd.DataFrame({
        "campaign": names,
        "channel": ["event", "search", "search", "social", "partner", "email", "email", "email"],
        "sessions": visits,
        "direct_visits": (visits * rng.uniform(0.1, 0.35, size=q)).astype(int),
        "pageviews": (visits * rng.uniform(1.8, 4.2, size=q)).astype(int),
        "leads": leads, "opportunities": opps, "conversions": conv,
        "referred_leads": referred,
        "invites_converted": rng.integers(0, 12, size=q),
        "carts_created": carts,
        "orders_completed": (carts * rng.uniform(0.25, 0.4, size=q)).astype(int),
        "cost": cost,
        "revenue": (cost * rng.uniform(0.6, 3.5, size=q)).round(-1),
    })
    # ---------------------------------------------------------------- exchange rates (no randomness)
    ends = months + pd.offsets.MonthEnd(0)
    out["rates"] = pd.DataFrame([(d, cur, rate) for cur, values in RATES_2024.items() for d, rate in zip(ends, values)],
                                columns=["date", "currency", "rate"])
    if calendar != "gregorian":
        _monthly_in_calendar(out, months, local_months["Month"].iloc[-1], calendar)
    return out


def _monthly_in_calendar(out: dict[str, pd.DataFrame], months: pd.DatetimeIndex, last: str, calendar: str) -> None:
    """The monthly exports (billing ``subscriptions``, ``finance``) of a company keeping its books in
    ``calendar``: the sample's twelve months become the twelve months of ``calendar`` ending at
    ``last`` (the customer counts' last month), dated on each month's first day (1 Dey 1402 is
    2023-12-22). Gregorian months dated on the 1st would be shown under the local month holding the
    1st, with another period's amounts (the Data check's ``month_relabelled``), or, in Hijri, two in
    one month and none in the next (``month_calendar``)."""
    from . import calendars

    end = int(calendars.label_ordinals([last], "month", calendar)[0])
    starts = pd.to_datetime(calendars.period_start_dates(np.arange(end - len(months) + 1, end + 1), "month", calendar))
    to_local = dict(zip(months, starts))
    for name in ("subscriptions", "finance"):
        out[name] = out[name].assign(month=out[name]["month"].map(to_local).to_numpy())


def _calendar_months(customers: pd.DataFrame, calendar: str, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The customers with start and churn dates on days within their Gregorian months, and the
    monthly counts per month of ``calendar`` that lies wholly inside the sample's year.

    Dates: a spell starting in the export's first month began before it (a day of the previous
    year: the customers there at the start of the year); any other start and every churn date is a
    day of the month the Gregorian sample gives it (drawn by a generator of its own, so the other
    exports stay as they are). Counts, as ``engines.compute("monthly_churn")`` counts a customer
    list: at start = active the day before the month's first day, new = started in it, lost = ended
    in it, at end = new + at start - lost. Months running past 31 December (or begun before
    1 January) are left out: their counts would be part of a month."""
    from . import calendars

    rng = np.random.default_rng(seed + 1446)
    first_day = pd.Timestamp(f"{YEAR}-01-01")
    start = pd.to_datetime(customers["started_at"])
    end = pd.to_datetime(customers["canceled_at"])

    def within(d: pd.Series) -> pd.Series:        # a day of the date's Gregorian month
        days = d.dt.days_in_month.fillna(28).to_numpy()
        offset = np.floor(rng.random(len(d)) * days)
        return d + pd.to_timedelta(np.where(d.isna(), 0, offset), unit="D")

    begun = start == first_day
    start = within(start).where(~begun, first_day - pd.to_timedelta(rng.integers(1, 700, len(start)), unit="D"))
    end = within(end)
    people = customers.assign(started_at=start.to_numpy(), canceled_at=end.to_numpy())

    last_day = pd.Timestamp(f"{YEAR}-12-31")
    days = np.array([first_day.to_datetime64(), last_day.to_datetime64()], dtype="datetime64[D]")
    lo, hi = (int(x) for x in calendars.period_ordinals(days, "month", calendar))
    ords = np.arange(lo, hi + 2)
    firsts = pd.to_datetime(calendars.period_start_dates(ords, "month", calendar))
    rows = []
    for f, nxt in zip(firsts[:-1], firsts[1:]):
        if f < first_day or nxt - pd.Timedelta(days=1) > last_day:
            continue
        at_start = int(((start < f) & (end.isna() | (end >= f))).sum())
        new = int(((start >= f) & (start < nxt)).sum())
        lost = int(((end >= f) & (end < nxt)).sum())
        rows.append((f, at_start, new, lost, at_start + new - lost))
    labels = calendars.period_labels(np.array([r[0] for r in rows], dtype="datetime64[ns]"), "month", calendar)
    months = pd.DataFrame({"Month": [str(x) for x in labels],
                           "Customers at start": [r[1] for r in rows], "New customers": [r[2] for r in rows],
                           "Churned customers": [r[3] for r in rows], "Customers at end": [r[4] for r in rows]})
    return people, months


def _allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """``total`` split in whole numbers in proportion to ``weights`` (largest remainders), never
    above a weight: the sample's campaign counts scaled to the company's own totals."""
    w = np.asarray(weights, dtype=float)
    total = int(min(total, w.sum()))
    share = w / w.sum() * total if w.sum() > 0 else np.zeros_like(w)
    out = np.floor(share).astype(int)
    out[np.argsort(-(share - out), kind="stable")[:total - out.sum()]] += 1
    return np.minimum(out, np.asarray(weights, dtype=int))


def demo_settings(exports: dict[str, pd.DataFrame]) -> dict[str, object]:
    """Settings the demo fills from its own data (the funnel's customer counts, the churn period, the
    top of its CSAT survey's 1-5 scale)."""
    months = exports["months"]
    return {"active_customer_count": float(months["Customers at end"].iloc[-1]),
            "csat_scale": 5,
            "customers_start": float(months["Customers at start"].iloc[0]),
            # the churn report's period for the conventions: the second half of the sample's year
            "churn_from": pd.Timestamp(f"{YEAR}-07-01").to_pydatetime(),
            "churn_to": pd.Timestamp(f"{YEAR}-12-31").to_pydatetime()}


def write_csv(exports: dict[str, pd.DataFrame], directory: str | Path) -> dict[str, Path]:
    """Write every export as UTF-8 CSV (dates ISO); return the paths by export name."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, df in exports.items():
        p = directory / f"{name}.csv"
        df.to_csv(p, index=False, date_format="%Y-%m-%d %H:%M", lineterminator="\n")
        paths[name] = p
    return paths


if __name__ == "__main__":  # pragma: no cover
    print({k: len(v) for k, v in generate().items()})
