"""Row-level analytics that return tables (MRR movements, cohorts, breakdowns).

Each module declares its functions with :func:`xl_cskpi.registry.kpi`; import new modules here.
"""
