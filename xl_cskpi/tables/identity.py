"""Grouping an object column by *identity*: the cells' addresses, without reading the objects.

Readers give each distinct id one Python object (``pandas.read_csv`` and pyarrow point every repeat
of an id at the object made for its first appearance), so a column's cell addresses already group
it. :func:`identity_groups` numbers the distinct objects in order of first appearance; the row
readers of :mod:`xl_cskpi.tables.rows` then read one object per address by value.

The work must not depend on the order of the rows: a billing export sorted by month or not at all
visits a million distinct objects in a scattered order, and a hash table of a million addresses
then misses the processor's cache on nearly every row. So the addresses are **counted, not
hashed** whenever they lie close together, as the objects a reader makes one after another do
(Python's allocator packs small objects of one size into 4 KiB pools of 256 KiB arenas): the
addresses are cut into 64 KiB pages, the few distinct pages get a dense number, and each
address becomes a slot of a page-by-offset table of a few bytes per row, where the first row of
every object is found by one ``np.minimum.at``. Addresses spread over more pages than that (a
column of objects made at different times among other allocations) are hashed partition by
partition instead (:func:`_partitioned_groups`), each partition's table in the cache.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["identity_groups", "identity_slots", "Addresses"]


class Addresses:
    """The cells of an object array seen as their addresses (``uintp``), without touching the objects."""

    def __init__(self, arr: np.ndarray):
        self.arr = arr  # kept alive as long as the view
        self.__array_interface__ = {"shape": arr.shape, "typestr": np.dtype(np.uintp).str, "version": 3,
                                    "data": (arr.__array_interface__["data"][0], True)}


#: Addresses (in 16-byte units) per page of the page-by-offset table (:func:`_counted_groups`):
#: 2**12 * 16 bytes = 64 KiB.
IDENTITY_PAGE_BITS = 12
#: The page-by-offset table is used when it has at most this many slots per row (or at most
#: ``IDENTITY_MIN_SLOTS``); else the addresses are hashed partition by partition.
IDENTITY_SLOTS_PER_ROW = 4
IDENTITY_MIN_SLOTS = 1 << 20
#: Rows per partition when the addresses are hashed (:func:`_partitioned_groups`): the hash table
#: of one partition's distinct addresses stays in the processor's cache.
IDENTITY_PART_ROWS = 100_000


def identity_groups(arr: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes (int64) numbering the distinct *objects* (by address) of a 1-D object column in order
    of first appearance, and the first row holding each (ascending): what ``pandas.factorize`` of
    the addresses gives, whatever the row order, at a cost that hardly depends on it."""
    n = len(arr)
    # two live objects are at least 16 bytes apart (8 on 32-bit Python: a reference count and a
    # type pointer), so the address without its low bits still tells them apart
    addresses = np.asarray(Addresses(arr)) >> (4 if arr.itemsize == 8 else 3)
    if arr.itemsize == 8 and n:
        counted = _counted_groups(addresses.view(np.int64), n)
        if counted is not None:
            return counted
    return _partitioned_groups(addresses, n, arr.itemsize)


def identity_slots(arr: np.ndarray) -> tuple[np.ndarray, int] | None:
    """Each cell's *slot* (int64) in a page-by-offset table of the addresses of a 1-D object column,
    and the table's size: cells holding the same object share a slot, distinct objects never do.
    ``None`` when the addresses spread over too many pages (more than ``IDENTITY_SLOTS_PER_ROW``
    slots per row) or the platform is not 64-bit.

    For tables that only *count* per customer (cohorts): a slot can index a grid directly, without
    the scattered gather that numbers the objects in order of first appearance
    (:func:`identity_groups`); in a reader-made column a quarter to a third of the slots hold one."""
    n = len(arr)
    if arr.itemsize != 8 or not n:
        return None
    return _slots((np.asarray(Addresses(arr)) >> 4).view(np.int64), n)


def _slots(units: np.ndarray, n: int) -> tuple[np.ndarray, int] | None:
    """:func:`identity_slots` of the addresses in 16-byte units (``units``, below 2**59, not changed)."""
    bits = IDENTITY_PAGE_BITS
    # low bits that every address shares (objects of one size in a pool of Python's allocator all
    # lie at the same offset modulo their size's power of two): addresses with the same remainder
    # modulo 2**shift are 2**shift apart, so dropping those bits keeps them apart and packs the table
    varying = int(np.bitwise_or.reduce(units)) ^ int(np.bitwise_and.reduce(units))
    shift = min((varying & -varying).bit_length() - 1, 8) if varying else 0
    if shift:
        units = units >> shift
    pages = units >> bits
    lo, hi = int(pages.min()), int(pages.max())
    if hi - lo < 1 << 20:  # pages numbered by a mark over their span (a few MB at most)
        pages -= lo
        mark = np.zeros(hi - lo + 1, dtype=bool)
        mark[pages] = True
        number = np.cumsum(mark, dtype=np.int64)
        number -= 1
        n_pages = int(number[-1]) + 1
        slot = number[pages]
    else:  # pages far apart: a hash table of the few distinct pages (in the cache)
        codes, uniques = pd.factorize(pages)
        n_pages = len(uniques)
        slot = codes.astype(np.int64, copy=False)
    del pages
    size = n_pages << bits
    if size > max(IDENTITY_SLOTS_PER_ROW * n, IDENTITY_MIN_SLOTS):
        return None
    slot <<= bits
    slot |= units & ((1 << bits) - 1)
    return slot, size


def _counted_groups(units: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray] | None:
    """:func:`identity_groups` by counting over a page-by-offset table of the addresses (``units``:
    addresses in 16-byte units, below 2**59, not changed); ``None`` when they spread over too many
    pages."""
    slots = _slots(units, n)
    if slots is None:
        return None
    slot, size = slots
    small = np.int32 if n < 2**31 - 1 else np.int64  # a smaller table: fewer cache misses
    table = np.full(size, n, dtype=small)
    np.minimum.at(table, slot, np.arange(n, dtype=small))  # each object's first row
    is_first = np.zeros(n, dtype=bool)
    is_first[table[table < n]] = True
    first_rows = np.flatnonzero(is_first)  # in order of first appearance
    del is_first
    table[slot[first_rows]] = np.arange(len(first_rows), dtype=small)  # slot -> code
    codes = table[slot].astype(np.int64, copy=False)
    return codes, first_rows


def _first_of_codes(codes: np.ndarray) -> np.ndarray:
    """The first row of each code, for codes numbered in order of first appearance (no ``-1``)."""
    running = np.maximum.accumulate(codes)
    first = np.flatnonzero(running[1:] != running[:-1])
    first += 1
    return np.concatenate(([0], first)) if len(codes) else first


def _partitioned_groups(addresses: np.ndarray, n: int, itemsize: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`identity_groups` by hashing: the addresses split into partitions by a multiplicative
    hash (a stable counting sort of a one-byte key), each partition hashed alone (its table fits
    the cache), the codes renumbered in order of first appearance (a sort of the distinct objects'
    first rows)."""
    bits = min(8, (n // IDENTITY_PART_ROWS).bit_length())
    if bits == 0 or itemsize != 8 or np.count_nonzero(addresses[1:] == addresses[:-1]) > n // 2:
        # a short column, or one grouped by id (customer-major): one table, hit on nearly every row
        codes, _ = pd.factorize(addresses)
        return codes, _first_of_codes(codes)
    part = (addresses * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(64 - bits)
    part = part.astype(np.uint8)
    order = np.argsort(part, kind="stable")  # a radix sort: linear, rows in order within a partition
    counts = np.bincount(part, minlength=1 << bits)
    del part
    grouped = addresses[order]
    del addresses
    small = np.int32 if n < 2**31 else np.int64
    local = np.empty(n, dtype=small)  # codes numbered partition by partition
    start = k = 0
    for count in counts.tolist():
        if count:
            c, u = pd.factorize(grouped[start:start + count])
            np.add(c, k, out=local[start:start + count], casting="unsafe")
            start += count
            k += len(u)
    del grouped
    first_grouped = order[_first_of_codes(local)]  # each local code's first row
    first_rows = np.sort(first_grouped)  # in order of first appearance
    at = np.empty(n, dtype=small)  # only the k slots written below are read
    at[first_rows] = np.arange(len(first_rows), dtype=small)
    renumber = at[first_grouped]
    del at, first_grouped
    codes = np.empty(n, dtype=np.int64)
    codes[order] = renumber[local]
    return codes, first_rows
