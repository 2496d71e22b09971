"""Arabic (ar) texts and number formats of the report workbooks.

Same keys as ``STRINGS["en"]`` in :mod:`xl_cskpi.reports.i18n`, plus Arabic sheet names and column
headers of the data tables (``sheet.<Table>``, ``col.<Table>.<column>``). Business terms are the ones
Arabic customer-experience and finance teams use (معدل الاحتفاظ بالعملاء, صافي نقاط الترويج,
قيمة عمر العميل); the well-known acronyms (NPS, CSAT, MRR, ...) follow in parentheses.

Arabic letters throughout: ي and ك (never the Persian ی and ک), Arabic-Indic digits in running
text. Numbers in cells keep Latin digits in their formats: Excel and LibreOffice show Arabic-Indic
digits where the system's digit substitution asks for them, and the values stay numbers.

Money reads «ر.س» (Saudi riyal, the country whose Umm al-Qura calendar the reports bucket by);
:data:`MONEY_FORMATS` has other Gulf and Egyptian variants and a plain one (assign one to
``NUMBER_FORMATS["money"]`` to switch; amounts are never converted).
"""

from __future__ import annotations

#: Money formats by currency (the amounts themselves are never converted).
MONEY_FORMATS = {
    "SAR": '#,##0 "ر.س"',
    "AED": '#,##0 "د.إ"',
    "KWD": '#,##0.000 "د.ك"',
    "EGP": '#,##0 "ج.م"',
    "plain": "#,##0",
}

#: Overrides of ``NUMBER_FORMATS["en"]``; kinds not listed here keep the English format.
NUMBER_FORMATS = {
    "money": MONEY_FORMATS["SAR"],
    "ratio": '0.0"×"',
    "months": '0.0" شهر"',
    "days": '0.0" يوم"',
    "hours": '0.0" ساعة"',
    "date": "dd/mm/yyyy",
    "datetime": "dd/mm/yyyy hh:mm",
    "month": "mm/yyyy",
}

STRINGS = {
    # ------------------------------------------------------------ sheets and common labels
    "sheet.instructions": "التعليمات",
    "sheet.settings": "الإعدادات",
    "sheet.dashboard": "لوحة المؤشرات",
    "label.kpi": "مؤشر الأداء الرئيسي",
    "label.value": "القيمة",
    "label.target": "المستهدف",
    "label.status": "الحالة",
    "label.setting": "الإعداد",
    "label.note": "ماذا يعني",
    "status.on": "ضمن المستهدف",
    "status.watch": "تحت المراقبة",
    "status.off": "خارج المستهدف",
    "setting.amber_band": "النطاق الأصفر (نسبة من المستهدف يظهر المؤشر ضمنها باللون الأصفر)",
    "instructions.how": "طريقة استخدام هذا المصنف",
    "instructions.1": "١. الصق البيانات المصدَّرة من أنظمتك في أوراق البيانات ({sheets}) أسفل صف العناوين، "
                      "أو شغّل الأمر 'xl-cskpi report {report} --data FILE... -o OUT.xlsx'. "
                      "تتوسع الجداول تلقائيًا عند اللصق.",
    "instructions.2": "٢. لا تغيّر أسماء الأعمدة في صف العناوين؛ ضع أعمدتك الإضافية بعد آخر عمود في الجدول.",
    "instructions.3": "٣. حدّد المستهدفات في ورقة «{settings}». يظهر المؤشر باللون الأخضر عند بلوغ المستهدف، "
                      "وبالأصفر ضمن النطاق الأصفر، وبالأحمر خارجه.",
    "instructions.4": "٤. تستدعي خلايا المؤشرات دوال Excel من xl_cskpi (ثبّت الوظيفة الإضافية: "
                      "'pip install xl_cskpi' وراجع ملف README). بدون الوظيفة الإضافية تظهر ‎#NAME?‎؛ "
                      "ويكتب الأمر 'xl-cskpi report ... --values' القيم المحسوبة بدلًا من الصيغ.",
    "instructions.5": "٥. الدوال المستخدمة في هذا المصنف: {functions}.",
    "instructions.tables": "جداول البيانات وأعمدتها",
    "instructions.generated": "أُنشئ بواسطة xl_cskpi الإصدار {version}؛ لإعادة الإنشاء: "
                              "'xl-cskpi templates --lang ar'.",

    # ------------------------------------------------------------ churn & retention
    "report.churn_retention.title": "تسرب العملاء والاحتفاظ بهم",
    "report.churn_retention.intro": "معدلات تسرب العملاء والاحتفاظ بهم والتجديد حسب الشهر، من الأعداد "
                                    "الشهرية للعملاء (ملخص مصدَّر من نظام الفوترة أو إدارة علاقات العملاء CRM).",
    "kpi.churn_rate": "معدل تسرب العملاء (آخر شهر)",
    "kpi.retention_rate": "معدل الاحتفاظ بالعملاء (آخر شهر)",
    "kpi.renewal_rate": "معدل التجديد (جميع الأشهر)",
    "kpi.customers_end": "العملاء النشطون (نهاية آخر شهر)",
    "setting.target_churn": "معدل التسرب الشهري المستهدف (حد أقصى)",
    "setting.target_retention": "معدل الاحتفاظ الشهري المستهدف (حد أدنى)",
    "setting.target_renewal": "معدل التجديد المستهدف (حد أدنى)",
    "chart.churn_trend": "تسرب العملاء والاحتفاظ بهم حسب الشهر",
    "series.churn": "معدل التسرب",
    "series.retention": "معدل الاحتفاظ",

    # ------------------------------------------------------------ overview
    "report.overview.title": "نظرة عامة على نجاح العملاء",
    "report.overview.intro": "أهم مؤشرات الاستبيانات والاحتفاظ والإيرادات والدعم في صفحة واحدة.",
    "kpi.nps": "صافي نقاط الترويج (NPS)",
    "kpi.csat": "رضا العملاء (CSAT، أعلى درجتين)",
    "kpi.mrr": "الإيراد الشهري المتكرر (MRR)",
    "kpi.nrr": "صافي الاحتفاظ بالإيرادات (NRR)",
    "kpi.avg_resolution_hours": "متوسط وقت الحل (ساعات)",
    "setting.target_nps": "NPS المستهدف (حد أدنى، نقاط)",
    "setting.target_csat": "CSAT المستهدف (حد أدنى)",
    "setting.target_nrr": "صافي الاحتفاظ بالإيرادات المستهدف (حد أدنى)",
    "setting.target_resolution_hours": "متوسط وقت الحل المستهدف (ساعات، حد أقصى)",

    # ------------------------------------------------------------ survey scores
    "report.survey_scores.title": "نتائج الاستبيانات",
    "report.survey_scores.intro": "NPS مع تفصيله وهامش الخطأ، وCSAT وCES وeNPS من بيانات الاستبيانات "
                                  "المصدَّرة (صف لكل رد؛ الدرجة الفارغة تعني أن السؤال لم يُطرح).",
    "kpi.nps_margin_of_error": "هامش خطأ NPS (نقاط، عند مستوى الثقة)",
    "kpi.nps_responses": "عدد ردود NPS",
    "kpi.csat_average": "متوسط درجة الرضا (١-٥)",
    "kpi.ces": "درجة جهد العميل (CES، ١-٧، الأعلى أسهل)",
    "kpi.enps": "صافي نقاط الترويج للموظفين (eNPS)",
    "setting.target_ces": "CES المستهدف (حد أدنى)",
    "setting.target_enps": "eNPS المستهدف (حد أدنى، نقاط)",
    "setting.confidence": "مستوى الثقة لهامش الخطأ",
    "setting.calendar": "تقويم الأشهر: gregorian (ميلادي) أو jalali (هجري شمسي) أو hijri (هجري قمري، أم القرى)",
    "sheet.nps_breakdown": "تفصيل NPS",
    "sheet.csat_distribution": "توزيع CSAT",
    "spill.nps_breakdown": "المروّجون والمحايدون والمنتقدون (NPS_BREAKDOWN)",
    "spill.csat_distribution": "الردود حسب درجة CSAT (CSAT_DISTRIBUTION)",
    "chart.nps_groups": "المستجيبون في NPS حسب الفئة",
    "chart.csat_scores": "نسبة الردود حسب درجة CSAT",
    "series.responses": "الردود",
    "series.share": "النسبة",
    "series.nps": "درجة NPS",
    "sheet.survey_trend": "الاتجاه الشهري",
    "trend.survey_trend": "نتائج الاستبيانات حسب الشهر",
    "trend.survey_trend.label": "الشهر",
    "trend.survey_trend.nps": "درجة NPS",
    "trend.survey_trend.csat": "الرضا (CSAT)",
    "trend.survey_trend.ces": "جهد العميل (CES)",
    "trend.survey_trend.responses": "عدد ردود NPS",
    "chart.nps_trend": "NPS حسب الشهر",

    # ------------------------------------------------------------ revenue
    "report.revenue.title": "الإيرادات",
    "report.revenue.intro": "MRR وجسر MRR الشهري (الجديد، التوسع، الانكماش، المفقود، المستعاد)، وصافي وإجمالي "
                            "الاحتفاظ بالإيرادات، والنسبة السريعة والتوسع، من بيانات الفوترة الشهرية المصدَّرة "
                            "وبيانات MRR لكل عميل (بداية الفترة مقابل نهايتها).",
    "kpi.grr": "إجمالي الاحتفاظ بالإيرادات (GRR)",
    "kpi.expansion_mrr": "إيراد التوسع MRR (الفترة)",
    "kpi.quick_ratio": "النسبة السريعة SaaS (جميع الأشهر)",
    "setting.target_grr": "إجمالي الاحتفاظ بالإيرادات المستهدف (حد أدنى)",
    "setting.target_quick_ratio": "النسبة السريعة المستهدفة (حد أدنى)",
    "sheet.mrr_movements": "حركات MRR",
    "spill.mrr_movements": "جسر MRR حسب الشهر (MRR_MOVEMENTS)",
    "chart.mrr_trend": "MRR في نهاية كل شهر",
    "chart.mrr_bridge": "حركات MRR حسب الشهر",
    "series.ending_mrr": "MRR في نهاية الشهر",
    "series.new_mrr": "جديد",
    "series.expansion_mrr": "توسع",
    "series.contraction_mrr": "انكماش",
    "series.churned_mrr": "تسرب",

    # ------------------------------------------------------------ unit economics
    "report.unit_economics.title": "اقتصاديات الوحدة",
    "report.unit_economics.intro": "تكلفة اكتساب العميل والاحتفاظ به وقيمته، من البيانات المالية الشهرية "
                                   "المصدَّرة.",
    "kpi.cac": "تكلفة اكتساب العميل (CAC)",
    "kpi.arpa": "متوسط الإيراد لكل حساب (شهريًا)",
    "kpi.monthly_churn": "تسرب العملاء الشهري (مجمَّع)",
    "kpi.lifespan_months": "العمر المتوقع للعميل (١ ÷ التسرب)",
    "kpi.gross_margin": "هامش الربح الإجمالي (المتوسط)",
    "kpi.ltv": "قيمة عمر العميل (LTV، على أساس الربح الإجمالي)",
    "kpi.clv": "قيمة عمر العميل (CLV، على أساس الإيراد)",
    "kpi.ltv_cac_ratio": "نسبة LTV إلى CAC",
    "kpi.cac_payback": "فترة استرداد CAC (أشهر)",
    "kpi.crc": "تكلفة الاحتفاظ بالعميل (لكل عميل، الفترة)",
    "kpi.net_cash": "صافي النقد (الفترة)",
    "setting.target_ltv_cac": "نسبة LTV إلى CAC المستهدفة (حد أدنى)",
    "setting.target_cac_payback": "فترة استرداد CAC المستهدفة (أشهر، حد أقصى)",
    "setting.purchases_per_year": "عدد المشتريات في السنة (الفوترة الشهرية: ١٢)",
    "chart.spend_revenue": "إنفاق المبيعات والتسويق والإيرادات حسب الشهر",
    "series.spend": "إنفاق المبيعات والتسويق",
    "series.revenue": "الإيرادات",

    # ------------------------------------------------------------ support & complaints
    "report.support_complaints.title": "الدعم والشكاوى",
    "report.support_complaints.intro": "أوقات الحل وأول رد، والالتزام باتفاقية مستوى الخدمة (SLA)، والشكاوى "
                                       "حسب الفئة والحالة، من بيانات التذاكر والشكاوى المصدَّرة.",
    "kpi.median_resolution_hours": "وسيط وقت الحل (ساعات)",
    "kpi.p90_resolution_hours": "المئين التسعون لوقت الحل (ساعات)",
    "kpi.first_response_hours": "وسيط وقت أول رد (ساعات)",
    "kpi.sla_compliance": "الالتزام باتفاقية مستوى الخدمة (الحل ضمن مهلة SLA)",
    "kpi.tickets": "التذاكر",
    "kpi.complaints": "الشكاوى",
    "kpi.complaints_pending": "قيد الانتظار",
    "kpi.complaints_escalated": "مُصعَّدة",
    "kpi.complaints_resolved": "محلولة",
    "setting.sla_hours": "مهلة الحل في SLA (ساعات)",
    "setting.target_first_response_hours": "وسيط أول رد المستهدف (ساعات، حد أقصى)",
    "setting.target_sla": "الالتزام بـSLA المستهدف (حد أدنى)",
    "setting.target_escalated": "الشكاوى المصعَّدة (حد أقصى)",
    "sheet.complaint_summary": "الشكاوى حسب الفئة",
    "spill.complaint_summary": "الشكاوى حسب الفئة والحالة (COMPLAINT_SUMMARY)",
    "chart.complaint_status": "الشكاوى حسب الحالة",
    "series.complaints": "الشكاوى",

    # ------------------------------------------------------------ customer health
    "report.customer_health.title": "صحة العملاء",
    "report.customer_health.intro": "درجة صحة مرجَّحة وحالة لكل عميل؛ حدّد الأوزان والنطاقات في ورقة "
                                    "الإعدادات.",
    "kpi.average_health": "متوسط درجة الصحة",
    "kpi.customers_scored": "العملاء الذين تم تقييمهم",
    "kpi.healthy": "بصحة جيدة",
    "kpi.at_risk": "معرَّض للخطر",
    "kpi.critical": "حرج",
    "kpi.healthy_share": "نسبة العملاء بصحة جيدة",
    "setting.health_weights.1": "وزن استخدام المنتج",
    "setting.health_weights.2": "وزن الدعم",
    "setting.health_weights.3": "وزن NPS",
    "setting.health_weights.4": "وزن السداد",
    "setting.healthy_from": "بصحة جيدة ابتداءً من الدرجة",
    "setting.at_risk_from": "معرَّض للخطر ابتداءً من الدرجة (أقل منها: حرج)",
    "setting.target_healthy_share": "النسبة المستهدفة للعملاء بصحة جيدة",
    "chart.health_bands": "العملاء حسب حالة الصحة",
    "series.customers": "العملاء",

    # ------------------------------------------------------------ cohort retention
    "report.cohort_retention.title": "الاحتفاظ حسب الأفواج",
    "report.cohort_retention.intro": "نسبة كل فوج اشتراك شهري لا يزال نشطًا بعد ٠ و١ و٢ ... أشهر، من بيانات "
                                     "الفوترة الشهرية المصدَّرة.",
    "kpi.month1_retention": "الاحتفاظ في الشهر الأول (متوسط الأفواج)",
    "kpi.month3_retention": "الاحتفاظ في الشهر الثالث (متوسط الأفواج)",
    "kpi.month6_retention": "الاحتفاظ في الشهر السادس (متوسط الأفواج)",
    "kpi.cohorts": "عدد الأفواج",
    "setting.target_month1_retention": "الاحتفاظ المستهدف في الشهر الأول (حد أدنى)",
    "setting.target_month3_retention": "الاحتفاظ المستهدف في الشهر الثالث (حد أدنى)",
    "sheet.cohort_retention": "الأفواج",
    "spill.cohort_retention": "مثلث الاحتفاظ حسب الأفواج (COHORT_RETENTION)",
    "chart.cohort_sizes": "العملاء في كل فوج",

    # ------------------------------------------------------------ funnel
    "report.funnel.title": "قمع الاكتساب وتجربة العملاء",
    "report.funnel.intro": "معدلات التحويل، ومن عميل محتمل إلى فرصة، والإحالة والاكتساب، والتخلي عن سلة "
                           "التسوق مقارنة بمتوسط معهد Baymard، والعائد على الحملات، والزيارات والانتشار، من "
                           "بيانات الحملات المصدَّرة.",
    "kpi.conversion_rate": "معدل تحويل العملاء المحتملين",
    "kpi.lead_to_opportunity": "معدل التحويل من عميل محتمل إلى فرصة بيع",
    "kpi.acquisition_rate": "معدل اكتساب العملاء",
    "kpi.referral_rate": "معدل الإحالة",
    "kpi.cart_abandonment": "معدل التخلي عن سلة التسوق (مقارنة بمتوسط Baymard)",
    "kpi.campaign_roi": "العائد على الاستثمار للحملات (جميع الحملات)",
    "kpi.direct_traffic_share": "نسبة الزيارات المباشرة",
    "kpi.pages_per_visit": "الصفحات لكل زيارة",
    "kpi.viral_coefficient": "معامل الانتشار الفيروسي (K-factor)",
    "setting.active_customers": "العملاء النشطون في الفترة",
    "setting.customers_start": "العملاء في بداية الفترة",
    "setting.baymard_cart_abandonment": "متوسط معدل التخلي عن سلة التسوق لدى معهد Baymard",
    "setting.target_conversion": "معدل تحويل العملاء المحتملين المستهدف (حد أدنى)",
    "setting.target_campaign_roi": "العائد المستهدف على الحملات (حد أدنى)",
    "chart.campaign_roi": "العائد على الاستثمار حسب الحملة",
    "series.roi": "العائد على الاستثمار (ROI)",

    # ------------------------------------------------------------ data sheets (sheet.<Table>)
    "sheet.Months": "الأشهر",
    "sheet.Subscriptions": "الاشتراكات",
    "sheet.Accounts": "الحسابات",
    "sheet.Responses": "ردود الاستبيان",
    "sheet.EmployeeSurvey": "استبيان الموظفين",
    "sheet.Tickets": "التذاكر",
    "sheet.ComplaintLog": "الشكاوى",
    "sheet.Health": "صحة العملاء",
    "sheet.Finance": "المالية",
    "sheet.Campaigns": "الحملات",

    # ------------------------------------------------------------ column headers (col.<Table>.<column>)
    "col.Months.month": "الشهر",
    "col.Months.customers_start": "العملاء في بداية الشهر",
    "col.Months.customers_new": "العملاء الجدد",
    "col.Months.customers_lost": "العملاء المفقودون",
    "col.Months.customers_end": "العملاء في نهاية الشهر",
    "col.Months.renewals_due": "التجديدات المستحقة",
    "col.Months.renewals": "التجديدات",
    "col.Months.churn_rate": "معدل التسرب",
    "col.Months.retention_rate": "معدل الاحتفاظ",

    "col.Subscriptions.customer_id": "معرّف العميل",
    "col.Subscriptions.month": "الشهر",
    "col.Subscriptions.mrr": "الإيراد الشهري المتكرر (MRR)",
    "col.Subscriptions.plan": "الباقة",

    "col.Accounts.customer_id": "معرّف العميل",
    "col.Accounts.previous_mrr": "MRR السابق",
    "col.Accounts.current_mrr": "MRR الحالي",
    "col.Accounts.plan": "الباقة",

    "col.Responses.submitted_at": "تاريخ الرد",
    "col.Responses.customer_id": "معرّف العميل",
    "col.Responses.nps_score": "درجة NPS",
    "col.Responses.csat_score": "درجة CSAT",
    "col.Responses.ces_score": "درجة CES",
    "col.Responses.comment": "تعليق العميل",
    "col.Responses.month": "الشهر",

    "col.EmployeeSurvey.submitted_at": "تاريخ الرد",
    "col.EmployeeSurvey.team": "الفريق",
    "col.EmployeeSurvey.enps_score": "درجة eNPS",

    "col.Tickets.ticket_id": "رقم التذكرة",
    "col.Tickets.customer_id": "معرّف العميل",
    "col.Tickets.channel": "القناة",
    "col.Tickets.priority": "الأولوية",
    "col.Tickets.opened_at": "وقت الفتح",
    "col.Tickets.first_response_at": "وقت أول رد",
    "col.Tickets.resolved_at": "وقت الحل",

    "col.ComplaintLog.complaint_id": "رقم الشكوى",
    "col.ComplaintLog.customer_id": "معرّف العميل",
    "col.ComplaintLog.received_at": "تاريخ الاستلام",
    "col.ComplaintLog.category": "الفئة",
    "col.ComplaintLog.status": "الحالة",

    "col.Health.customer_id": "معرّف العميل",
    "col.Health.usage": "استخدام المنتج",
    "col.Health.support": "الدعم",
    "col.Health.nps": "الرضا (NPS)",
    "col.Health.payment": "السداد",
    "col.Health.health_score": "درجة صحة العميل",
    "col.Health.health_status": "حالة صحة العميل",

    "col.Finance.month": "الشهر",
    "col.Finance.customers_start": "العملاء في بداية الشهر",
    "col.Finance.customers_new": "العملاء الجدد",
    "col.Finance.customers_lost": "العملاء المفقودون",
    "col.Finance.revenue": "الإيرادات",
    "col.Finance.gross_margin": "هامش الربح الإجمالي",
    "col.Finance.sales_marketing_spend": "إنفاق المبيعات والتسويق",
    "col.Finance.retention_costs": "تكاليف الاحتفاظ بالعملاء",
    "col.Finance.operating_cash_flow": "التدفق النقدي التشغيلي",
    "col.Finance.investments": "الاستثمارات",
    "col.Finance.working_capital_increase": "الزيادة في رأس المال العامل",

    "col.Campaigns.campaign": "الحملة",
    "col.Campaigns.channel": "القناة",
    "col.Campaigns.visits": "الزيارات",
    "col.Campaigns.direct_visits": "الزيارات المباشرة",
    "col.Campaigns.pageviews": "مشاهدات الصفحات",
    "col.Campaigns.leads": "العملاء المحتملون",
    "col.Campaigns.opportunities": "فرص البيع",
    "col.Campaigns.conversions": "التحويلات",
    "col.Campaigns.referred_leads": "العملاء المحتملون بالإحالة",
    "col.Campaigns.invites_converted": "الدعوات المقبولة",
    "col.Campaigns.carts_created": "سلال التسوق المنشأة",
    "col.Campaigns.orders_completed": "الطلبات المكتملة",
    "col.Campaigns.cost": "التكلفة",
    "col.Campaigns.revenue": "الإيرادات",
    "col.Campaigns.roi": "العائد على الاستثمار (ROI)",
}
