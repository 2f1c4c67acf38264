"""The state version of the incremental episodes (dagster_project/incremental.py): what makes
the nightly run rebuild everything instead of merging."""

from __future__ import annotations

import copy

import duckdb

from dagster_project.defs.assets.transformation import manifest
from dagster_project.incremental import episode_nodes, full_rebuild_reason, state_version


def _node(m: dict, name: str) -> dict:
    return next(n for n in m["nodes"].values() if n.get("name") == name and n["resource_type"] == "model")


def test_the_episodes_depend_on_their_sources_staging_and_change_models():
    names = {uid.split(".")[-1] for uid in episode_nodes(manifest())}
    assert {
        "int_employment_spells_merged",
        "int_wop_coverage_merged",
        "int_nec_spells_subtracted",
        "int_person_fingerprints",
        "int_persons_changed",
        "int_episode_state",
        "stg_raw__tewerkstelling",
        "stg_raw__wop",
        "int_data_cutoff",
        "tewerkstelling",  # the raw source
    } <= names
    assert not names & {"wop_transitions", "int_cohort_wops_located", "transitions_by_sector"}


def test_a_changed_key_an_upstream_model_or_a_macro_change_the_version():
    m = manifest()
    base = state_version(m, "key-a")
    assert state_version(m, "key-a") == base
    assert state_version(m, "key-b") != base
    changed = copy.deepcopy(m)
    _node(changed, "stg_raw__tewerkstelling")["checksum"]["checksum"] = "edited"
    assert state_version(changed, "key-a") != base
    configured = copy.deepcopy(m)
    _node(configured, "int_employment_spells_merged")["config"]["changed_flag"] = "is_changed"
    assert state_version(configured, "key-a") != base
    macro = copy.deepcopy(m)
    uid = next(u for u, x in macro["macros"].items() if x["name"] == "merge_intervals")
    macro["macros"][uid]["macro_sql"] += " "
    assert state_version(macro, "key-a") != base


def test_a_model_the_episodes_do_not_read_leaves_the_version():
    """A mart is rebuilt every night anyway: editing it must not cost a full rebuild."""
    m = copy.deepcopy(manifest())
    base = state_version(m, "key-a")
    _node(m, "transitions_by_sector")["checksum"]["checksum"] = "edited"
    assert state_version(m, "key-a") == base


def test_the_reason_for_a_full_rebuild(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    assert full_rebuild_reason(con, "v1") == "no episodes built yet"
    con.execute("create schema intermediate")
    con.execute("create table intermediate.int_nec_spells_subtracted (person_id varchar)")
    assert full_rebuild_reason(con, "v1") == "the episodes' state is missing"
    con.execute("create table intermediate.int_episode_state (person_id varchar, state_version varchar)")
    con.execute("insert into intermediate.int_episode_state values ('p', 'v1')")
    assert full_rebuild_reason(con, "v1") is None
    reason = full_rebuild_reason(con, "v2")
    assert reason is not None and "another pseudonym key or other models" in reason and "v1" in reason
