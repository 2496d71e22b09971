"""The DuckDB engine: embedded, larger than memory (a memory limit, spilling to a temporary folder).

The SQL of :mod:`xl_cskpi.engines.sql` runs as written (it is DuckDB's dialect). Files are read
where they lie (``read_parquet``/``read_csv`` over the list of files, never loaded whole into
Python); a pandas DataFrame is scanned in place. Settings: ``memory_limit`` (default "4GB"),
``temp_directory`` (default: a folder in the system's temporary directory) where aggregates and
windows spill when the limit is reached, ``threads``, and ``preserve_insertion_order = false``
(order is never relied on: every result is keyed by period), which lets DuckDB stream.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile

import pandas as pd

from . import EngineError, EngineMissing
from .common import list_files, naive_times, progress, text_objects
from .run import execute
from .sql import lit

_TYPES = [(r"^(VARCHAR|TEXT|STRING)", "string"), (r"^DATE$", "date"), (r"^TIMESTAMP", "timestamp"),
          (r"^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$", "integer"),
          (r"^(FLOAT|DOUBLE|REAL|DECIMAL)", "float")]


def _duckdb():
    try:
        import duckdb
    except ImportError:
        raise EngineMissing("needs DuckDB, which is not installed; pip install 'xl_cskpi[duckdb]' "
                            "(or: pip install duckdb)", argument="engine") from None
    return duckdb


class DuckRunner:
    def __init__(self, options: dict):
        duckdb = _duckdb()
        self.con = duckdb.connect(config={"allow_unsigned_extensions": False})
        limit = str(options.get("memory_limit") or "4GB")
        if not re.fullmatch(r"\s*\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*", limit, re.I):
            raise EngineError(f"is {limit!r}; give a size such as 4GB or 512MB", argument="memory_limit")
        tmp = options.get("temp_directory") or os.path.join(tempfile.gettempdir(), "xl_cskpi_duckdb")
        self.limit, self.tmp = limit, tmp
        self.con.execute(f"SET memory_limit = {lit(limit)}")
        self.con.execute(f"SET temp_directory = {lit(str(tmp))}")
        self.con.execute("SET preserve_insertion_order = false")
        self.con.execute("SET TimeZone = 'UTC'")
        if options.get("threads"):
            self.con.execute(f"SET threads = {int(options['threads'])}")
        show = bool(options.get("progress_bar")) and sys.stderr.isatty()
        self.con.execute(f"SET enable_progress_bar = {'true' if show else 'false'}")
        self._registered: list[object] = []

    def source(self, source, options: dict) -> None:
        if isinstance(source, pd.DataFrame):
            source = text_objects(naive_times(source))
            self._registered.append(source)
            self.con.register("src_df", source)
            self.con.execute("CREATE OR REPLACE TEMP VIEW src AS SELECT * FROM src_df")
            return
        if not isinstance(source, (str, os.PathLike)):
            raise EngineError(f"is a {type(source).__name__}; give a DataFrame, a file, a folder or a glob of "
                              "CSV/Parquet files", argument="data")
        files, kind = list_files(source)
        listing = "[" + ", ".join(lit(f) for f in files) + "]"
        progress(options, f"reading {len(files)} {kind} file{'s' if len(files) > 1 else ''} with DuckDB")
        if kind == "parquet":
            reader = f"read_parquet({listing}, union_by_name = true)"
        else:
            # every cell as text, read by the SQL's own rules: ids keep leading zeros, no type guessing
            from .numbers import files_delimiter, sep_line
            sep = files_delimiter(files, options)   # the report's delimiter (engines.numbers)
            lines = {sep_line(f) for f in files}     # Excel's "sep=;" line above the header
            if len(lines) > 1:
                raise EngineError("mixes CSV files that start with a 'sep=' line and files that do not; remove "
                                  "that line from the files that have it", argument="data")
            reader = (f"read_csv({listing}, union_by_name = true, header = true, all_varchar = true, "
                      f"delim = {lit(sep)}, skip = {int(lines.pop())})")
        try:
            self.con.execute(f"CREATE OR REPLACE TEMP VIEW src AS SELECT * FROM {reader}")
        except Exception as e:  # duckdb.Error: an unreadable file
            raise EngineError(f"cannot be read by DuckDB: {str(e).splitlines()[0]}", argument="data") from None

    def types(self) -> dict[str, str]:
        out = {}
        for name, typ, *_ in self.con.execute("DESCRIBE SELECT * FROM src").fetchall():
            kind = next((k for pat, k in _TYPES if re.match(pat, typ.upper())), "other")
            out[name] = kind
        return out

    def _run(self, sql: str):
        duckdb = _duckdb()
        try:
            return self.con.execute(sql)
        except duckdb.OutOfMemoryException as e:
            raise EngineError(f"needs more memory than memory_limit={self.limit} allows, even spilling to "
                              f"{self.tmp} ({str(e).splitlines()[0]}); raise --memory-limit or free disk space there",
                              argument="data") from None
        except duckdb.Error as e:
            raise EngineError(f"could not be computed by DuckDB: {str(e).splitlines()[0]}", argument="data") from None

    def execute(self, sql: str) -> None:
        self._run(sql)

    def query(self, sql: str) -> pd.DataFrame:
        return self._run(sql).df()

    def register(self, name: str, df: pd.DataFrame) -> None:
        self._registered.append(df)
        self.con.register(name, df)

    def close(self) -> None:
        self.con.close()


def compute(table: str, source, calendar: str, options: dict) -> pd.DataFrame:
    runner = DuckRunner(options)
    try:
        runner.source(source, options)
        return execute(runner, table, calendar, options)
    finally:
        runner.close()
