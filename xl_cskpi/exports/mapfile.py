"""``--map`` and ``--map-file``: the user's header mapping and status words, parsed.

:func:`parse_map` reads ``--map FIELD=HEADER`` / ``Table.FIELD=HEADER`` / ``status.VALUE=canonical``;
:func:`read_map_file` the same from a TOML file. :mod:`xl_cskpi.exports.mapping` applies them (and
re-exports both functions).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from .check import ExportError
from .statuses import COMPLAINT, PRIORITY, TICKET

__all__ = ["parse_map", "read_map_file"]


_CANONICAL = set(TICKET) | set(COMPLAINT) | set(PRIORITY)


def _status_value(canon: str, where: str) -> str:
    c = canon.strip().lower().replace("_", "-").replace(" ", "-")
    c = "on-hold" if c in ("onhold", "hold") else c
    if c not in _CANONICAL:
        raise ExportError(f"{where}: {canon!r} is no status; use one of ticket statuses "
                          f"{', '.join(TICKET)}; complaint statuses {', '.join(COMPLAINT)}; "
                          f"priorities {', '.join(PRIORITY)}")
    return c


_FIELD = re.compile(r"[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?")


def parse_map(items: Iterable[str]) -> tuple[dict[str, str], dict[str, str]]:
    """``--map`` values -> ``(columns, statuses)``.

    ``FIELD=HEADER`` or ``Table.FIELD=HEADER`` (``nps_score=How likely...``, ``Tickets.opened_at=Created``)
    go to ``columns``; ``status.VALUE=canonical`` (``status.Waiting on Customer=pending``) to
    ``statuses``. The header is everything after the first ``=`` (it may hold ``=``); a status value
    everything between ``status.`` and the last ``=``. A malformed item is an :class:`ExportError`.

    >>> parse_map(["nps_score=How likely?", "status.Waiting on Customer=pending"])
    ({'nps_score': 'How likely?'}, {'Waiting on Customer': 'pending'})
    """
    columns: dict[str, str] = {}
    statuses: dict[str, str] = {}
    for item in items:
        text = str(item).strip()
        if text.lower().startswith("status."):
            value, eq, canon = text[len("status."):].rpartition("=")
            if not eq or not value.strip() or not canon.strip():
                raise ExportError(f"--map {text}: write status.VALUE=CANONICAL, e.g. --map \"status.Waiting on "
                                  "Customer=pending\"")
            statuses[value.strip()] = _status_value(canon, f"--map {text}")
            continue
        key, eq, header = text.partition("=")
        key = key.strip()
        if not eq or not header.strip() or not _FIELD.fullmatch(key):
            raise ExportError(f"--map {text}: write FIELD=HEADER (e.g. --map nps_score=\"How likely are you "
                              "to recommend us?\") or status.VALUE=CANONICAL")
        columns[key] = header.strip()
    return columns, statuses


def read_map_file(path: str | Path) -> tuple[dict[str, str], dict[str, str]]:
    """A TOML map file -> ``(columns, statuses)``.

    .. code-block:: toml

        [columns]
        nps_score = "How likely are you to recommend us to a friend?"
        "Tickets.opened_at" = "Created"
        [columns.ComplaintLog]          # or per table
        status = "Case state"
        [status]
        "Waiting on Customer" = "pending"
        "Escalated to L2" = "escalated"

    Python 3.11+ reads TOML with the standard library (tomllib); 3.10 needs the ``tomli`` package.
    """
    path = Path(path)
    try:
        import tomllib  # type: ignore[import-not-found]
    except ModuleNotFoundError:  # pragma: no cover - Python 3.10
        try:
            import tomli as tomllib  # type: ignore[no-redef]
        except ModuleNotFoundError:
            raise ExportError(f"{path}: reading a TOML map file on Python 3.10 needs 'pip install tomli' "
                              "(or Python 3.11+)") from None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ExportError(f"{path}: no such map file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ExportError(f"{path}: cannot read the map file ({e})") from None
    except tomllib.TOMLDecodeError as e:
        raise ExportError(f"{path}: not a valid TOML map file ({e}); write [columns] FIELD = \"HEADER\" "
                          "and [status] \"VALUE\" = \"canonical\"") from None
    unknown = [k for k in data if k not in ("columns", "status", "statuses")]
    if unknown:
        raise ExportError(f"{path}: unknown section [{unknown[0]}]; use [columns] and [status]")
    columns: dict[str, str] = {}
    for key, value in (data.get("columns") or {}).items():
        if isinstance(value, dict):
            for fld, header in value.items():
                if not isinstance(header, str):
                    raise ExportError(f"{path}: [columns.{key}] {fld} must be a header in quotes")
                columns[f"{key}.{fld}"] = header
        elif isinstance(value, str) and _FIELD.fullmatch(key):
            columns[key] = value
        else:
            raise ExportError(f"{path}: [columns] {key} = {value!r}: write FIELD = \"HEADER\"")
    statuses: dict[str, str] = {}
    for section in ("status", "statuses"):
        for value, canon in (data.get(section) or {}).items():
            if not isinstance(canon, str):
                raise ExportError(f"{path}: [{section}] {value!r} must map to a status in quotes")
            statuses[str(value)] = _status_value(canon, f"{path}: [{section}] {value!r}")
    return columns, statuses
