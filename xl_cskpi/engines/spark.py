"""The Spark engine: PySpark in local mode or on a cluster, over files or a table name.

The SQL of :mod:`xl_cskpi.engines.sql` (DuckDB's dialect) is transpiled by sqlglot to Spark SQL,
with two renames sqlglot does not make in a way Spark runs:

* ``QUANTILE_CONT(x, p)`` becomes ``PERCENTILE(x, p)``: Spark's *exact* percentile, linear
  interpolation between the sorted values at ``floor((n - 1) p)`` and the next -- the rule of
  numpy's ``linear`` method, Excel's ``PERCENTILE.INC`` and DuckDB's ``quantile_cont``. (sqlglot
  writes ``PERCENTILE_CONT(x, p)``, which Spark refuses; ``percentile_approx`` is *not* used: it
  returns one of the values, an approximation, not the interpolated percentile);
* ``REGEXP_MATCHES(s, pattern)`` becomes ``s RLIKE pattern`` (both search; the patterns anchor);
* ``INTERVAL (n) MINUTE`` of an expression (a zone's offset, :mod:`xl_cskpi.engines.zones`) becomes
  ``MAKE_DT_INTERVAL(0, 0, n, 0)`` (Spark's INTERVAL takes literals only).

The session runs in UTC (``spark.sql.session.timeZone``): times of day are wall-clock times, as
pandas reads them; a session passed in ``options["spark"]`` is switched to UTC too.
"""

from __future__ import annotations

import functools
import os
import sys

import pandas as pd

from . import EngineError, EngineMissing
from .common import list_files, naive_times, progress, text_objects
from .run import execute


def _pyspark():
    try:
        import pyspark  # noqa: F401
        from pyspark.sql import SparkSession
    except ImportError:
        raise EngineMissing("needs PySpark, which is not installed; pip install 'xl_cskpi[spark]' "
                            "(or: pip install pyspark sqlglot; Spark needs Java 17)", argument="engine") from None
    return SparkSession


@functools.lru_cache(maxsize=256)
def to_spark(sql: str) -> str:
    """One statement of DuckDB SQL as Spark SQL (sqlglot, plus the renames of the module docstring)."""
    try:
        import sqlglot
        from sqlglot import exp
    except ImportError:
        raise EngineMissing("needs sqlglot to run the SQL on Spark; pip install 'xl_cskpi[spark]' "
                            "(or: pip install sqlglot)", argument="engine") from None
    tree = sqlglot.parse_one(sql, read="duckdb")

    def rename(node):
        if isinstance(node, (exp.PercentileCont, exp.Quantile)) or (
                isinstance(node, exp.Anonymous) and node.name.upper() == "QUANTILE_CONT"):
            args = [node.this, node.expression] if not isinstance(node, exp.Anonymous) else node.expressions
            return exp.Anonymous(this="PERCENTILE", expressions=list(args))
        unit = str(node.args.get("unit") or "").upper() if isinstance(node, exp.Interval) else ""
        if unit in ("MINUTE", "MICROSECOND") and not isinstance(node.this, exp.Literal):
            # INTERVAL (n) MINUTE / MICROSECOND of an expression (engines.zones, the SLA's as_of):
            # Spark's make_dt_interval (minutes, or seconds with a fraction)
            zero = exp.Literal.number(0)
            n = node.this if unit == "MINUTE" else exp.Div(this=node.this, expression=exp.Literal.number(1000000))
            secs = zero if unit == "MINUTE" else n
            return exp.Anonymous(this="MAKE_DT_INTERVAL", expressions=[zero, zero, n if unit == "MINUTE" else zero,
                                                                       secs])
        if isinstance(node, exp.RegexpLike):
            return exp.RegexpLike(this=node.this, expression=node.expression)
        return node

    tree = tree.transform(rename)
    return tree.sql(dialect="spark")


_TYPES = {"StringType": "string", "DateType": "date", "TimestampType": "timestamp",
          "TimestampNTZType": "timestamp", "IntegerType": "integer", "LongType": "integer",
          "ShortType": "integer", "ByteType": "integer", "DoubleType": "float", "FloatType": "float",
          "DecimalType": "float"}


def session(options: dict):
    """The SparkSession: ``options["spark"]``, the active one, or a new one on ``spark_master``."""
    SparkSession = _pyspark()
    spark = options.get("spark") or SparkSession.getActiveSession()
    if spark is None:
        master = options.get("spark_master") or "local[*]"
        progress(options, f"starting Spark ({master})")
        builder = (SparkSession.builder.appName("xl-cskpi").master(master)
                   .config("spark.sql.session.timeZone", "UTC")
                   .config("spark.sql.execution.arrow.pyspark.enabled", "true")
                   .config("spark.ui.showConsoleProgress", "true" if sys.stderr.isatty() else "false"))
        if master.startswith("local"):
            builder = builder.config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "8")
        try:
            spark = builder.getOrCreate()
        except Exception as e:  # no Java, a master that does not answer
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise EngineMissing(f"could not start Spark on {master}: {first} (Spark needs Java 17: "
                                "apt-get install openjdk-17-jre-headless; check --spark-master)",
                                argument="engine") from None
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    return spark


class SparkRunner:
    def __init__(self, spark):
        self.spark = spark
        self.df = None

    def source(self, source, options: dict) -> None:
        spark = self.spark
        if isinstance(source, pd.DataFrame):
            frame = text_objects(naive_times(source))
            self.df = spark.createDataFrame(frame)
        elif type(source).__name__ == "DataFrame" and hasattr(source, "createOrReplaceTempView"):
            self.df = source
        elif isinstance(source, (str, os.PathLike)):
            text = str(source)
            looks_like_table = not any(ch in text for ch in "*?[/\\") and not os.path.exists(text) \
                and not text.lower().endswith((".csv", ".parquet"))
            if looks_like_table:
                progress(options, f"reading the table {text} with Spark")
                try:
                    self.df = spark.table(text)
                except Exception:
                    raise EngineError(f"{text} is neither a file nor a table Spark knows; give a path, a glob "
                                      "or a table name", argument="data") from None
            else:
                files, kind = list_files(text)
                progress(options, f"reading {len(files)} {kind} file{'s' if len(files) > 1 else ''} with Spark")
                from pyspark.errors import PySparkException
                sep = ","
                if kind == "csv":
                    from .numbers import files_delimiter, sep_line
                    sep = files_delimiter(files, options)   # the report's delimiter (engines.numbers)
                    bad = next((f for f in files if sep_line(f)), None)
                    if bad is not None:
                        raise EngineError(f"{bad} starts with a 'sep=' line above its header, which Spark's CSV "
                                          "reader cannot skip; remove that line, or use --engine duckdb",
                                          argument="data")
                try:
                    self.df = (spark.read.parquet(*files) if kind == "parquet"   # CSV: text, as DuckDB
                               else spark.read.csv(files, header=True, inferSchema=False, sep=sep))
                    self.df.schema  # noqa: B018  (reads the footers now: a bad file fails here)
                except PySparkException as e:
                    first = str(e).strip().splitlines()[0]
                    hint = ("; Spark reads micro- and millisecond timestamps only: write the Parquet with "
                            "coerce_timestamps='us' (pandas/pyarrow), or use --engine duckdb"
                            if "TIMESTAMP(NANOS" in first else "")
                    raise EngineError(f"cannot be read by Spark: {first}{hint}", argument="data") from None
        else:
            raise EngineError(f"is a {type(source).__name__}; give a DataFrame, a file, a folder, a glob or "
                              "a table name", argument="data")
        self.df.createOrReplaceTempView("src")

    def types(self) -> dict[str, str]:
        return {f.name: _TYPES.get(type(f.dataType).__name__, "other") for f in self.df.schema.fields}

    def _sql(self, sql: str, collect: bool):
        from pyspark.errors import PySparkException
        try:
            frame = self.spark.sql(to_spark(sql))
            return frame.toPandas() if collect else frame
        except PySparkException as e:
            first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
            raise EngineError(f"could not be computed by Spark: {first}", argument="data") from None

    def execute(self, sql: str) -> None:
        self._sql(sql, collect=False)

    def query(self, sql: str) -> pd.DataFrame:
        return self._sql(sql, collect=True)

    def register(self, name: str, df: pd.DataFrame) -> None:
        frame = self.spark.createDataFrame(df)
        if "d" in df.columns:
            frame = frame.selectExpr("CAST(d AS DATE) AS d", *[c for c in df.columns if c != "d"])
        frame.createOrReplaceTempView(name)


def compute(table: str, source, calendar: str, options: dict) -> pd.DataFrame:
    runner = SparkRunner(session(options))
    runner.source(source, options)
    return execute(runner, table, calendar, options)
