"""Reading exports: the road from a user's CSV/XLSX files to a report's canonical tables.

One room, one idea per module (reports ask it for canonical tables; they never parse files):

==============  ===========================================================================
``check``       :class:`ExportError` (exit 2), :class:`Finding`/:class:`DataCheck` (the data check
                every ``report`` prints and writes as a sheet), :class:`ReadOptions` (the reading
                rules a user chose on the command line)
``read``        files -> DataFrames of raw cells: workbooks, zipped CSVs, folders and globs, hostile files
``text``        the CSV reader: encodings, delimiters, ``sep=`` lines, title lines, repeated headers
``archive``     archives and sheets measured before anything inflates them (zip bombs, hidden rows)
``headers``     header normalisation (case, spaces, Persian/Arabic letters, ZWNJ, digits)
``profiles``    built-in header sets of real exports (Stripe, Zendesk, HubSpot, Typeform, Qualtrics, ...)
``questions``   survey questions by wording and values (0-10, CSAT/CES scales, satisfaction words)
``mapping``     which file feeds which table, column by column (``mapfile``: ``--map``/``--map-file``;
                ``inspection``: ``inspect``; ``frames``: what matching changes in a frame)
``combine``     several files of one export combined (monthly exports), rows said as file and row
``zones``       time zones of date-time columns (offsets, ``(UTC)`` headers, Unix times)
``statuses``    ticket and complaint status vocabularies (en/fa/ar synonyms -> canonical)
==============  ===========================================================================

Typing a column (numbers, dates) is :mod:`xl_cskpi.cells`' job: one decision per column, the
same rules for worksheet ranges and export columns.
"""

from .check import DataCheck, ExportError, Finding, ReadOptions

__all__ = ["DataCheck", "ExportError", "Finding", "ReadOptions"]
