"""Asset keys that Python assets and checks name (dbt's own keys come from its manifest)."""

from dagster import AssetKey

RAW_GROUP = "raw"


def raw_key(name: str) -> AssetKey:
    """Asset key of a raw table; equal to dbt's key for source ``raw.<name>``."""
    return AssetKey([RAW_GROUP, name])


DELIVERY_KEY = raw_key("delivery")
PUBLICATION_KEY = AssetKey(["published", "doorstroom"])
