"""Header profiles of billing exports added in session 5 (engineer B), registered by
:mod:`xl_cskpi.exports.profiles` (``PROFILES``): :func:`billing_profiles` takes the ``Profile`` class,
so this module imports nothing from ``profiles`` (no import cycle).

* Stripe invoices -- Dashboard > Billing > Invoices > Export (``id``, ``Number``, ``Customer``,
  ``Status``, ``Date (UTC)``, ``Amount Due``, ``Amount Paid``, ``Subscription``, ``Subtotal``, ``Total
  Discount Amount``, ``Applied Coupons``, ``Tax``, ``Total``, ``Period Start (UTC)``, ``Period End
  (UTC)``, ``Paid``). One row per invoice, each billing its period: read as invoice lines
  (:mod:`xl_cskpi.tables.invoice_lines`: an annual invoice of 1,200 is 100 a month for twelve months),
  ``Subtotal`` less ``Total Discount Amount`` (MRR is before tax and after discounts: ChartMogul,
  "Metric: Monthly Recurring Revenue"), statuses draft / open / paid / uncollectible / void (a void or
  uncollectible invoice is never counted). Stripe's *invoice-level* period of a subscription invoice
  "looks back one period" (docs.stripe.com/api/invoices/object, ``period_end``): a file whose Period
  End is the invoice date is refused by :func:`xl_cskpi.exports.billing_kinds.billing_frame`.
* Recurly -- subscriptions with the API's field names (``account_code``, ``plan_code``, ``state``,
  ``unit_amount_in_cents``, ``activated_at``, ``canceled_at``, ``expires_at``,
  ``current_period_started_at``, ``current_period_ends_at``, ``trial_ends_at``,
  ``plan_interval_length``, ``plan_interval_unit``; developers.recurly.com, subscription object).
  ``state`` canceled means "will not renew": paying until ``expires_at`` (the end read here);
  ``unit_amount_in_cents`` is divided by the currency's minor units (its header says cents).
"""

from __future__ import annotations

from typing import Any

__all__ = ["billing_profiles", "STRIPE_INVOICES", "RECURLY"]

STRIPE_INVOICES = "stripe_invoices"
RECURLY = "recurly"


def billing_profiles(Profile: Any) -> tuple:  # noqa: N803  (the class, passed in)
    """The profiles of this module, built with ``Profile``."""
    stripe_invoices = Profile(
        STRIPE_INVOICES, "billing", {"Billing": {
            "subscription_id": ("Subscription",),
            "customer_id": ("Customer", "Customer ID"),
            "status": ("Status",),
            "start": ("Period Start (UTC)",),
            "end": ("Period End (UTC)",),
            "amount": ("Subtotal",),
            "discount_amount": ("Total Discount Amount",),
            "currency": ("Currency",),
            "billed_at": ("Date (UTC)",),
        }},
        signature=("Amount Due", "Period Start (UTC)", "Period End (UTC)", "Customer|Customer ID"),
        fixed={"Billing": {"interval": ("(the period of each invoice)", "period")}},
        title="Stripe invoices export", rows="invoices",
        source="Stripe Dashboard > Billing > Invoices > Export")
    recurly = Profile(
        RECURLY, "billing", {"Billing": {
            "subscription_id": ("uuid", "subscription_uuid"),
            "customer_id": ("account_code",),
            "plan": ("plan_code", "plan_name"),
            "status": ("state",),
            "start": ("activated_at", "created_at"),
            "end": ("expires_at",),
            "amount": ("unit_amount_in_cents", "unit_amount"),
            "currency": ("currency",),
            "interval": ("plan_interval_unit",),
            "interval_count": ("plan_interval_length",),
            "quantity": ("quantity",),
            "trial_end": ("trial_ends_at",),
            "current_period_end": ("current_period_ends_at",),
            "billed_at": ("current_period_started_at",),
        }},
        signature=("account_code", "state", "activated_at", "plan_interval_unit"),
        title="Recurly subscriptions", rows="subscriptions",
        source="Recurly subscription object (developers.recurly.com)")
    return stripe_invoices, recurly
