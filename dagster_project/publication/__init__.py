"""Publication: the analysts' read-only DuckDB file, replaced whole and atomically.

``catalogue`` says which warehouse relations are published (marked in dbt's YAML);
``publish`` writes them into a new file and swaps it in; ``publication_row`` reads the
record of what a published file was made from.
"""

from .catalogue import published_models, published_tables
from .publish import PublishedTable, publication_row, publish, read_publication, remove_leftovers

__all__ = [
    "PublishedTable",
    "publication_row",
    "publish",
    "published_models",
    "published_tables",
    "read_publication",
    "remove_leftovers",
]
