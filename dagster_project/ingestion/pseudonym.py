"""INSZ pseudonymisation: HMAC-SHA256 under the secret key, computed inside DuckDB.

HMAC(K, m) = H((K' xor opad) || H((K' xor ipad) || m)) with K' the key padded to
SHA-256's 64-byte block. The two padded keys live only in a temporary table of the
connection, never in SQL text, a log or a persisted table.
"""

from __future__ import annotations

import hashlib
import hmac
import re

import duckdb

BLOCK_SIZE = 64


def _padded_keys(key: bytes) -> tuple[bytes, bytes]:
    if len(key) > BLOCK_SIZE:
        key = hashlib.sha256(key).digest()
    key = key.ljust(BLOCK_SIZE, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def install(con: duckdb.DuckDBPyConnection, key: bytes) -> None:
    """Make ``hmac_sha256(ipad, opad, value)`` and the key table ``_pseudonym_key`` available."""
    ipad, opad = _padded_keys(key)
    con.execute(
        "create or replace temp table _pseudonym_key as select ?::blob as ipad, ?::blob as opad",
        [ipad, opad],
    )
    con.execute(
        "create or replace temp macro hmac_sha256(ipad, opad, v) as "
        "sha256(opad || unhex(sha256(ipad || encode(v))))"
    )


def pseudonym(value: str, key: bytes) -> str:
    """The pseudonym of one value in Python (tests and support tooling)."""
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def key_fingerprint(key: bytes) -> str:
    """A short non-secret identifier of the key, to notice a key change between loads."""
    return pseudonym("doorstroom key fingerprint", key)[:16]


# The same pattern as the SQL macro mask_numbers (sql_functions.sql): 9 or more digits,
# short runs of separators allowed between them, could be (part of) an INSZ.
_NUMBER_LIKE = re.compile(r"[0-9](?:[^0-9A-Za-z;]{0,3}[0-9]){8,}")


def mask_numbers(text: str) -> str:
    """``text`` with every number-like run that could hold an INSZ replaced by ``<masked>``.

    The last line of defence for messages built from text that did not come from this
    project (a driver's error): messages of its own never quote a data row at all.
    """
    return _NUMBER_LIKE.sub("<masked>", text)
