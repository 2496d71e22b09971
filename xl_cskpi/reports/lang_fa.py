"""Persian (fa) texts and number formats of the report workbooks.

Same keys as ``STRINGS["en"]`` in :mod:`xl_cskpi.reports.i18n`, plus Persian sheet names and column
headers of the data tables (``sheet.<Table>``, ``col.<Table>.<column>``). Business terms are the ones
Iranian customer-success and finance teams use (نرخ ریزش مشتری, امتیاز خالص ترویج‌کنندگان,
ارزش طول عمر مشتری); the well-known acronyms (NPS, CSAT, MRR, ...) follow in parentheses.

Persian letters throughout: ی and ک (never the Arabic ي and ك), the zero-width non-joiner (ZWNJ,
U+200C) in compounds such as «مشتری‌ها» and «می‌شود», Persian digits in running text. Numbers in cells
keep Latin digits in their formats: Excel and LibreOffice show Persian digits where the system's
digit substitution asks for them, and the values stay numbers for every formula.

Money reads «تومان», the unit Iranian businesses quote prices in; :data:`MONEY_FORMATS` has the rial
variant for books kept in rials (assign it to ``NUMBER_FORMATS["money"]`` to switch).
"""

from __future__ import annotations

#: Money formats for the two Iranian units (the amounts themselves are never converted).
MONEY_FORMATS = {
    "toman": '#,##0 "تومان"',
    "rial": '#,##0 "ریال"',
}

#: Overrides of ``NUMBER_FORMATS["en"]``; kinds not listed here keep the English format.
NUMBER_FORMATS = {
    "money": MONEY_FORMATS["toman"],
    "ratio": '0.0"×"',
    "months": '0.0" ماه"',
    "days": '0.0" روز"',
    "hours": '0.0" ساعت"',
    "date": "yyyy/mm/dd",
    "datetime": "yyyy/mm/dd hh:mm",
    "month": "yyyy/mm",
}

STRINGS = {
    # ------------------------------------------------------------ sheets and common labels
    "sheet.instructions": "راهنما",
    "sheet.settings": "تنظیمات",
    "sheet.dashboard": "داشبورد",
    "label.kpi": "شاخص کلیدی عملکرد",
    "label.value": "مقدار",
    "label.target": "هدف",
    "label.status": "وضعیت",
    "label.setting": "تنظیم",
    "label.note": "معنای آن",
    "status.on": "در حد هدف",
    "status.watch": "نیازمند توجه",
    "status.off": "دور از هدف",
    "setting.amber_band": "بازهٔ زرد (سهمی از هدف که شاخص در آن زرد می‌شود)",
    "instructions.how": "راهنمای استفاده از این کتاب کار",
    "instructions.1": "۱. خروجی‌های سامانه‌های خود را زیر سطر عنوان در برگه‌های داده ({sheets}) بچسبانید، یا "
                      "دستور 'xl-cskpi report {report} --data FILE... -o OUT.xlsx' را اجرا کنید. "
                      "جدول‌ها با چسباندن داده بزرگ می‌شوند.",
    "instructions.2": "۲. نام ستون‌های سطر عنوان را تغییر ندهید؛ ستون‌های اضافی خودتان را بعد از آخرین ستون "
                      "جدول بگذارید.",
    "instructions.3": "۳. هدف‌ها را در برگهٔ «{settings}» تعیین کنید. شاخص‌ها در حد هدف سبز، در بازهٔ زرد، "
                      "زرد و فراتر از آن قرمز می‌شوند.",
    "instructions.4": "۴. سلول‌های شاخص، توابع اکسل xl_cskpi را فرا می‌خوانند (افزونه را نصب کنید: "
                      "'pip install xl_cskpi'؛ راهنما در README). بدون افزونه، خطای ‎#NAME?‎ نمایش داده "
                      "می‌شود؛ دستور 'xl-cskpi report ... --values' به جای فرمول‌ها اعداد محاسبه‌شده را "
                      "می‌نویسد.",
    "instructions.5": "۵. توابع به‌کاررفته در این کتاب کار: {functions}.",
    "instructions.tables": "جدول‌های داده و ستون‌های آن‌ها",
    "instructions.generated": "ساخته‌شده با xl_cskpi نسخهٔ {version}؛ برای ساخت دوباره: "
                              "'xl-cskpi templates --lang fa'.",

    # ------------------------------------------------------------ churn & retention
    "report.churn_retention.title": "ریزش و نگهداشت مشتری",
    "report.churn_retention.intro": "نرخ ریزش، نگهداشت و تمدید مشتریان به تفکیک ماه، از شمار ماهانهٔ "
                                    "مشتریان (خروجی خلاصهٔ صورت‌حساب یا CRM).",
    "kpi.churn_rate": "نرخ ریزش مشتری (آخرین ماه)",
    "kpi.retention_rate": "نرخ نگهداشت مشتری (آخرین ماه)",
    "kpi.renewal_rate": "نرخ تمدید (همهٔ ماه‌ها)",
    "kpi.customers_end": "مشتریان فعال (پایان آخرین ماه)",
    "setting.target_churn": "نرخ ریزش ماهانهٔ هدف (حداکثر)",
    "setting.target_retention": "نرخ نگهداشت ماهانهٔ هدف (حداقل)",
    "setting.target_renewal": "نرخ تمدید هدف (حداقل)",
    "chart.churn_trend": "ریزش و نگهداشت مشتری به تفکیک ماه",
    "series.churn": "نرخ ریزش",
    "series.retention": "نرخ نگهداشت",

    # ------------------------------------------------------------ overview
    "report.overview.title": "نمای کلی موفقیت مشتری",
    "report.overview.intro": "شاخص‌های اصلی نظرسنجی‌ها، نگهداشت، درآمد و پشتیبانی در یک صفحه.",
    "kpi.nps": "امتیاز خالص ترویج‌کنندگان (NPS)",
    "kpi.csat": "رضایت مشتری (CSAT، دو گزینهٔ برتر)",
    "kpi.mrr": "درآمد ماهانهٔ تکرارشونده (MRR)",
    "kpi.nrr": "نرخ نگهداشت خالص درآمد (NRR)",
    "kpi.avg_resolution_hours": "میانگین زمان حل (ساعت)",
    "setting.target_nps": "NPS هدف (حداقل، امتیاز)",
    "setting.target_csat": "CSAT هدف (حداقل)",
    "setting.target_nrr": "نگهداشت خالص درآمد هدف (حداقل)",
    "setting.target_resolution_hours": "میانگین زمان حل هدف (ساعت، حداکثر)",

    # ------------------------------------------------------------ survey scores
    "report.survey_scores.title": "امتیازهای نظرسنجی",
    "report.survey_scores.intro": "NPS همراه با تفکیک و حاشیهٔ خطا، CSAT، CES و eNPS از خروجی نظرسنجی‌ها "
                                  "(هر سطر یک پاسخ؛ امتیاز خالی یعنی آن پرسش پرسیده نشده است).",
    "kpi.nps_margin_of_error": "حاشیهٔ خطای NPS (امتیاز، در سطح اطمینان)",
    "kpi.nps_responses": "شمار پاسخ‌های NPS",
    "kpi.csat_average": "میانگین امتیاز رضایت (۱ تا ۵)",
    "kpi.ces": "امتیاز تلاش مشتری (CES، ۱ تا ۷، بیشتر یعنی آسان‌تر)",
    "kpi.enps": "امتیاز خالص ترویج‌کنندگان کارکنان (eNPS)",
    "setting.target_ces": "CES هدف (حداقل)",
    "setting.target_enps": "eNPS هدف (حداقل، امتیاز)",
    "setting.confidence": "سطح اطمینان حاشیهٔ خطا",
    "setting.calendar": "تقویم ماه‌ها: gregorian (میلادی)، jalali (شمسی) یا hijri (قمری)",
    "sheet.nps_breakdown": "تفکیک NPS",
    "sheet.csat_distribution": "توزیع CSAT",
    "spill.nps_breakdown": "ترویج‌کنندگان، بی‌طرف‌ها و منتقدان (NPS_BREAKDOWN)",
    "spill.csat_distribution": "پاسخ‌ها به تفکیک امتیاز CSAT (CSAT_DISTRIBUTION)",
    "chart.nps_groups": "پاسخ‌دهندگان NPS به تفکیک گروه",
    "chart.csat_scores": "سهم پاسخ‌ها به تفکیک امتیاز CSAT",
    "series.responses": "پاسخ‌ها",
    "series.share": "سهم",
    "series.nps": "امتیاز NPS",
    "sheet.survey_trend": "روند ماهانه",
    "trend.survey_trend": "امتیازهای نظرسنجی به تفکیک ماه",
    "trend.survey_trend.label": "ماه",
    "trend.survey_trend.nps": "امتیاز NPS",
    "trend.survey_trend.csat": "رضایت (CSAT)",
    "trend.survey_trend.ces": "تلاش مشتری (CES)",
    "trend.survey_trend.responses": "شمار پاسخ‌های NPS",
    "chart.nps_trend": "NPS به تفکیک ماه",

    # ------------------------------------------------------------ revenue
    "report.revenue.title": "درآمد",
    "report.revenue.intro": "MRR، پل ماهانهٔ MRR (جدید، افزایشی، کاهشی، ریزش‌کرده، بازگشتی)، نگهداشت خالص و "
                            "ناخالص درآمد، نسبت سریع و درآمد افزایشی، از خروجی ماهانهٔ صورت‌حساب و خروجی MRR "
                            "هر مشتری (ابتدای دوره در برابر پایان آن).",
    "kpi.grr": "نرخ نگهداشت ناخالص درآمد (GRR)",
    "kpi.expansion_mrr": "MRR افزایشی (دوره)",
    "kpi.quick_ratio": "نسبت سریع SaaS (همهٔ ماه‌ها)",
    "setting.target_grr": "نگهداشت ناخالص درآمد هدف (حداقل)",
    "setting.target_quick_ratio": "نسبت سریع هدف (حداقل)",
    "sheet.mrr_movements": "تغییرات MRR",
    "spill.mrr_movements": "پل MRR به تفکیک ماه (MRR_MOVEMENTS)",
    "chart.mrr_trend": "MRR پایان هر ماه",
    "chart.mrr_bridge": "تغییرات MRR به تفکیک ماه",
    "series.ending_mrr": "MRR پایان ماه",
    "series.new_mrr": "جدید",
    "series.expansion_mrr": "افزایشی",
    "series.contraction_mrr": "کاهشی",
    "series.churned_mrr": "ریزش",

    # ------------------------------------------------------------ unit economics
    "report.unit_economics.title": "اقتصاد واحد",
    "report.unit_economics.intro": "هزینهٔ جذب و نگهداشت هر مشتری و ارزش او، از خروجی ماهانهٔ مالی.",
    "kpi.cac": "هزینهٔ جذب مشتری (CAC)",
    "kpi.arpa": "میانگین درآمد هر حساب (ماهانه)",
    "kpi.monthly_churn": "ریزش ماهانهٔ مشتری (تجمیعی)",
    "kpi.lifespan_months": "طول عمر مورد انتظار مشتری (۱ ÷ ریزش)",
    "kpi.gross_margin": "حاشیهٔ سود ناخالص (میانگین)",
    "kpi.ltv": "ارزش طول عمر مشتری (LTV، بر پایهٔ سود ناخالص)",
    "kpi.clv": "ارزش طول عمر مشتری (CLV، بر پایهٔ درآمد)",
    "kpi.ltv_cac_ratio": "نسبت LTV به CAC",
    "kpi.cac_payback": "دورهٔ بازگشت CAC (ماه)",
    "kpi.crc": "هزینهٔ نگهداشت مشتری (هر مشتری، دوره)",
    "kpi.net_cash": "خالص وجه نقد (دوره)",
    "setting.target_ltv_cac": "نسبت LTV به CAC هدف (حداقل)",
    "setting.target_cac_payback": "دورهٔ بازگشت CAC هدف (ماه، حداکثر)",
    "setting.purchases_per_year": "شمار خرید در سال (صورت‌حساب ماهانه: ۱۲)",
    "chart.spend_revenue": "هزینهٔ فروش و بازاریابی و درآمد به تفکیک ماه",
    "series.spend": "هزینهٔ فروش و بازاریابی",
    "series.revenue": "درآمد",

    # ------------------------------------------------------------ support & complaints
    "report.support_complaints.title": "پشتیبانی و شکایت‌ها",
    "report.support_complaints.intro": "زمان حل و نخستین پاسخ، رعایت SLA و شکایت‌ها به تفکیک دسته و وضعیت، "
                                       "از خروجی تیکت‌ها و شکایت‌ها.",
    "kpi.median_resolution_hours": "میانهٔ زمان حل (ساعت)",
    "kpi.p90_resolution_hours": "صدک ۹۰ زمان حل (ساعت)",
    "kpi.first_response_hours": "میانهٔ زمان نخستین پاسخ (ساعت)",
    "kpi.sla_compliance": "رعایت SLA (حل‌شده در مهلت SLA)",
    "kpi.tickets": "تیکت‌ها",
    "kpi.complaints": "شکایت‌ها",
    "kpi.complaints_pending": "در انتظار",
    "kpi.complaints_escalated": "ارجاع‌شده به سطح بالاتر",
    "kpi.complaints_resolved": "حل‌شده",
    "setting.sla_hours": "مهلت حل در SLA (ساعت)",
    "setting.target_first_response_hours": "میانهٔ نخستین پاسخ هدف (ساعت، حداکثر)",
    "setting.target_sla": "رعایت SLA هدف (حداقل)",
    "setting.target_escalated": "شکایت‌های ارجاع‌شده (حداکثر)",
    "sheet.complaint_summary": "شکایت‌ها به تفکیک دسته",
    "spill.complaint_summary": "شکایت‌ها به تفکیک دسته و وضعیت (COMPLAINT_SUMMARY)",
    "chart.complaint_status": "شکایت‌ها به تفکیک وضعیت",
    "series.complaints": "شکایت‌ها",

    # ------------------------------------------------------------ customer health
    "report.customer_health.title": "سلامت مشتری",
    "report.customer_health.intro": "امتیاز وزنی سلامت و وضعیت هر مشتری؛ وزن‌ها و بازه‌ها را در برگهٔ "
                                    "تنظیمات تعیین کنید.",
    "kpi.average_health": "میانگین امتیاز سلامت",
    "kpi.customers_scored": "مشتریان امتیازدهی‌شده",
    "kpi.healthy": "سالم",
    "kpi.at_risk": "در معرض خطر",
    "kpi.critical": "بحرانی",
    "kpi.healthy_share": "سهم مشتریان سالم",
    "setting.health_weights.1": "وزن استفاده از محصول",
    "setting.health_weights.2": "وزن پشتیبانی",
    "setting.health_weights.3": "وزن NPS",
    "setting.health_weights.4": "وزن پرداخت",
    "setting.healthy_from": "سالم از امتیاز",
    "setting.at_risk_from": "در معرض خطر از امتیاز (کمتر از آن: بحرانی)",
    "setting.target_healthy_share": "سهم هدف مشتریان سالم",
    "chart.health_bands": "مشتریان به تفکیک وضعیت سلامت",
    "series.customers": "مشتریان",

    # ------------------------------------------------------------ cohort retention
    "report.cohort_retention.title": "نگهداشت گروه‌های مشتریان (کوهورت)",
    "report.cohort_retention.intro": "سهم هر گروه ثبت‌نام ماهانه که ۰، ۱، ۲ و ... ماه بعد هنوز فعال است، "
                                     "از خروجی ماهانهٔ صورت‌حساب.",
    "kpi.month1_retention": "نگهداشت ماه اول (میانگین گروه‌ها)",
    "kpi.month3_retention": "نگهداشت ماه سوم (میانگین گروه‌ها)",
    "kpi.month6_retention": "نگهداشت ماه ششم (میانگین گروه‌ها)",
    "kpi.cohorts": "شمار گروه‌ها",
    "setting.target_month1_retention": "نگهداشت ماه اول هدف (حداقل)",
    "setting.target_month3_retention": "نگهداشت ماه سوم هدف (حداقل)",
    "sheet.cohort_retention": "گروه‌ها",
    "spill.cohort_retention": "مثلث نگهداشت گروه‌ها (COHORT_RETENTION)",
    "chart.cohort_sizes": "مشتریان هر گروه",

    # ------------------------------------------------------------ funnel
    "report.funnel.title": "قیف جذب و تجربهٔ مشتری",
    "report.funnel.intro": "نرخ تبدیل، تبدیل سرنخ به فرصت، معرفی و جذب، رهاسازی سبد خرید در برابر میانگین "
                           "مؤسسهٔ Baymard، بازده کمپین‌ها، ترافیک و ضریب ویروسی، از خروجی کمپین‌ها.",
    "kpi.conversion_rate": "نرخ تبدیل سرنخ",
    "kpi.lead_to_opportunity": "نرخ تبدیل سرنخ به فرصت فروش",
    "kpi.acquisition_rate": "نرخ جذب مشتری",
    "kpi.referral_rate": "نرخ معرفی",
    "kpi.cart_abandonment": "نرخ رهاسازی سبد خرید (در برابر میانگین Baymard)",
    "kpi.campaign_roi": "بازده سرمایهٔ کمپین‌ها (همهٔ کمپین‌ها)",
    "kpi.direct_traffic_share": "سهم ترافیک مستقیم",
    "kpi.pages_per_visit": "صفحه در هر بازدید",
    "kpi.viral_coefficient": "ضریب ویروسی (K-factor)",
    "setting.active_customers": "مشتریان فعال در دوره",
    "setting.customers_start": "مشتریان در ابتدای دوره",
    "setting.baymard_cart_abandonment": "میانگین نرخ رهاسازی سبد خرید مؤسسهٔ Baymard",
    "setting.target_conversion": "نرخ تبدیل سرنخ هدف (حداقل)",
    "setting.target_campaign_roi": "بازده کمپین هدف (حداقل)",
    "chart.campaign_roi": "بازده سرمایه به تفکیک کمپین",
    "series.roi": "بازده سرمایه (ROI)",

    # ------------------------------------------------------------ data sheets (sheet.<Table>)
    "sheet.Months": "ماه‌ها",
    "sheet.Subscriptions": "اشتراک‌ها",
    "sheet.Accounts": "حساب‌ها",
    "sheet.Responses": "پاسخ‌های نظرسنجی",
    "sheet.EmployeeSurvey": "نظرسنجی کارکنان",
    "sheet.Tickets": "تیکت‌ها",
    "sheet.ComplaintLog": "شکایت‌ها",
    "sheet.Health": "سلامت مشتری",
    "sheet.Finance": "مالی",
    "sheet.Campaigns": "کمپین‌ها",

    # ------------------------------------------------------------ column headers (col.<Table>.<column>)
    "col.Months.month": "ماه",
    "col.Months.customers_start": "مشتریان ابتدای ماه",
    "col.Months.customers_new": "مشتریان جدید",
    "col.Months.customers_lost": "مشتریان ازدست‌رفته",
    "col.Months.customers_end": "مشتریان پایان ماه",
    "col.Months.renewals_due": "تمدیدهای سررسیدشده",
    "col.Months.renewals": "تمدیدها",
    "col.Months.churn_rate": "نرخ ریزش",
    "col.Months.retention_rate": "نرخ نگهداشت",

    "col.Subscriptions.customer_id": "شناسهٔ مشتری",
    "col.Subscriptions.month": "ماه",
    "col.Subscriptions.mrr": "درآمد ماهانهٔ تکرارشونده (MRR)",
    "col.Subscriptions.plan": "طرح",

    "col.Accounts.customer_id": "شناسهٔ مشتری",
    "col.Accounts.previous_mrr": "MRR دورهٔ قبل",
    "col.Accounts.current_mrr": "MRR دورهٔ جاری",
    "col.Accounts.plan": "طرح",

    "col.Responses.submitted_at": "تاریخ پاسخ",
    "col.Responses.customer_id": "شناسهٔ مشتری",
    "col.Responses.nps_score": "امتیاز NPS",
    "col.Responses.csat_score": "امتیاز CSAT",
    "col.Responses.ces_score": "امتیاز CES",
    "col.Responses.comment": "نظر مشتری",
    "col.Responses.month": "ماه",

    "col.EmployeeSurvey.submitted_at": "تاریخ پاسخ",
    "col.EmployeeSurvey.team": "تیم",
    "col.EmployeeSurvey.enps_score": "امتیاز eNPS",

    "col.Tickets.ticket_id": "شناسهٔ تیکت",
    "col.Tickets.customer_id": "شناسهٔ مشتری",
    "col.Tickets.channel": "کانال",
    "col.Tickets.priority": "اولویت",
    "col.Tickets.opened_at": "زمان ثبت",
    "col.Tickets.first_response_at": "زمان نخستین پاسخ",
    "col.Tickets.resolved_at": "زمان حل",

    "col.ComplaintLog.complaint_id": "شناسهٔ شکایت",
    "col.ComplaintLog.customer_id": "شناسهٔ مشتری",
    "col.ComplaintLog.received_at": "تاریخ دریافت",
    "col.ComplaintLog.category": "دسته",
    "col.ComplaintLog.status": "وضعیت",

    "col.Health.customer_id": "شناسهٔ مشتری",
    "col.Health.usage": "استفاده از محصول",
    "col.Health.support": "پشتیبانی",
    "col.Health.nps": "رضایت (NPS)",
    "col.Health.payment": "پرداخت",
    "col.Health.health_score": "امتیاز سلامت مشتری",
    "col.Health.health_status": "وضعیت سلامت مشتری",

    "col.Finance.month": "ماه",
    "col.Finance.customers_start": "مشتریان ابتدای ماه",
    "col.Finance.customers_new": "مشتریان جدید",
    "col.Finance.customers_lost": "مشتریان ازدست‌رفته",
    "col.Finance.revenue": "درآمد",
    "col.Finance.gross_margin": "حاشیهٔ سود ناخالص",
    "col.Finance.sales_marketing_spend": "هزینهٔ فروش و بازاریابی",
    "col.Finance.retention_costs": "هزینهٔ نگهداشت مشتری",
    "col.Finance.operating_cash_flow": "جریان نقد عملیاتی",
    "col.Finance.investments": "سرمایه‌گذاری‌ها",
    "col.Finance.working_capital_increase": "افزایش سرمایهٔ در گردش",

    "col.Campaigns.campaign": "کمپین",
    "col.Campaigns.channel": "کانال",
    "col.Campaigns.visits": "بازدیدها",
    "col.Campaigns.direct_visits": "بازدیدهای مستقیم",
    "col.Campaigns.pageviews": "بازدید صفحه‌ها",
    "col.Campaigns.leads": "سرنخ‌ها",
    "col.Campaigns.opportunities": "فرصت‌های فروش",
    "col.Campaigns.conversions": "تبدیل‌ها",
    "col.Campaigns.referred_leads": "سرنخ‌های معرفی‌شده",
    "col.Campaigns.invites_converted": "دعوت‌های پذیرفته‌شده",
    "col.Campaigns.carts_created": "سبدهای خرید ایجادشده",
    "col.Campaigns.orders_completed": "سفارش‌های تکمیل‌شده",
    "col.Campaigns.cost": "هزینه",
    "col.Campaigns.revenue": "درآمد",
    "col.Campaigns.roi": "بازده سرمایه (ROI)",
}
