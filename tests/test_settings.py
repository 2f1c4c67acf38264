"""Strict settings (issue 11): demo mode only when asked for, keys long enough, the UI never
serves other folders under the public demo key, a warehouse name dbt-duckdb can take."""

from __future__ import annotations

import subprocess
import sys

import pytest

from dagster_project.defs.ui import ui_environment
from dagster_project.settings import (
    DEMO_PSEUDONYM_KEY,
    MIN_KEY_LENGTH,
    MissingPseudonymKey,
    SettingError,
    Settings,
    demo_mode,
    pseudonym_key,
)

GOOD_KEY = "k" * MIN_KEY_LENGTH


@pytest.mark.parametrize("value", ["no", "No", "NO", "false", "False", "off", "0", "", " "])
def test_demo_mode_off_values_never_switch_it_on(value):
    env = {"DOORSTROOM_DEMO": value}
    assert demo_mode(env) is False
    with pytest.raises(MissingPseudonymKey, match="DOORSTROOM_PSEUDONYM_KEY is not set"):
        pseudonym_key(env)


@pytest.mark.parametrize("value", ["1", "true", "yes", "on", "TRUE"])
def test_demo_mode_on_values(value):
    assert demo_mode({"DOORSTROOM_DEMO": value}) is True
    assert pseudonym_key({"DOORSTROOM_DEMO": value}) == DEMO_PSEUDONYM_KEY.encode()


@pytest.mark.parametrize("value", ["maybe", "2", "demo", "ja"])
def test_an_unknown_demo_value_is_an_error(value):
    with pytest.raises(SettingError, match="DOORSTROOM_DEMO has a value that is not understood"):
        pseudonym_key({"DOORSTROOM_DEMO": value})


def test_the_demo_key_only_over_the_demo_folders(tmp_path):
    other = {"DOORSTROOM_DEMO": "1", "DOORSTROOM_LANDING_DIR": str(tmp_path / "landing")}
    with pytest.raises(SettingError, match="only over the demo's own folders"):
        pseudonym_key(other)
    # With a key of its own, demo mode may run anywhere (the generator's tests do).
    assert pseudonym_key({**other, "DOORSTROOM_PSEUDONYM_KEY": GOOD_KEY}) == GOOD_KEY.encode()


def test_a_short_key_is_refused_without_showing_it():
    short = "x" * (MIN_KEY_LENGTH - 1)
    with pytest.raises(SettingError, match=r"too short \(31 characters, at least 32 needed\)") as info:
        pseudonym_key({"DOORSTROOM_PSEUDONYM_KEY": short})
    assert short not in str(info.value)
    with pytest.raises(SettingError, match="too short"):
        pseudonym_key({"DOORSTROOM_PSEUDONYM_KEY": "a"})
    assert pseudonym_key({"DOORSTROOM_PSEUDONYM_KEY": GOOD_KEY}) == GOOD_KEY.encode()


def test_the_public_demo_key_is_refused_outside_demo_mode():
    with pytest.raises(SettingError, match="the public demo key"):
        pseudonym_key({"DOORSTROOM_PSEUDONYM_KEY": DEMO_PSEUDONYM_KEY})


def test_the_ui_refuses_other_folders_without_a_key(tmp_path):
    other = {"DOORSTROOM_LANDING_DIR": str(tmp_path / "landing")}
    with pytest.raises(SettingError, match="not set and the folders are not the demo's own"):
        ui_environment(other)
    with pytest.raises(SettingError, match="not set and the folders are not the demo's own"):
        ui_environment({**other, "DOORSTROOM_DEMO": "1"})
    assert ui_environment({**other, "DOORSTROOM_PSEUDONYM_KEY": GOOD_KEY})["DOORSTROOM_PSEUDONYM_KEY"]
    assert "DOORSTROOM_DEMO" not in ui_environment({**other, "DOORSTROOM_PSEUDONYM_KEY": GOOD_KEY})
    with pytest.raises(SettingError, match="too short"):
        ui_environment({**other, "DOORSTROOM_PSEUDONYM_KEY": "short"})
    defaults = Settings.from_env({})
    demo = {
        "DOORSTROOM_LANDING_DIR": str(defaults.landing_dir),
        "DOORSTROOM_WAREHOUSE": str(defaults.warehouse),
        "DOORSTROOM_PUBLISHED": str(defaults.published),
    }
    assert ui_environment(demo)["DOORSTROOM_DEMO"] == "1"
    assert ui_environment({})["DOORSTROOM_DEMO"] == "1"


def test_make_ui_refuses_to_start_over_other_folders(tmp_path):
    """The real entry point: exits 2 with one line, and starts no Dagster process."""
    env = {"PATH": "/usr/bin:/bin", "DOORSTROOM_LANDING_DIR": str(tmp_path / "landing")}
    out = subprocess.run(
        [sys.executable, "-m", "dagster_project.defs.ui"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 2
    assert out.stderr.startswith("refusing to start the Dagster UI: DOORSTROOM_PSEUDONYM_KEY is not set")
    assert "Traceback" not in out.stderr


def test_the_pipeline_cli_refuses_an_unknown_demo_value(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "DOORSTROOM_DEMO": "no", "DOORSTROOM_LANDING_DIR": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-m", "dagster_project.defs.pipeline"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 2
    assert "refusing to start: DOORSTROOM_PSEUDONYM_KEY is not set" in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize("name", ["d'Hondt.duckdb", "ware house.duckdb", "w;drop.duckdb"])
def test_a_warehouse_name_dbt_duckdb_cannot_take_is_refused(tmp_path, name):
    with pytest.raises(SettingError, match="DOORSTROOM_WAREHOUSE: the file name may hold only"):
        Settings.from_env({"DOORSTROOM_WAREHOUSE": str(tmp_path / name)})
    folder = tmp_path / "d'Hondt" / "warehouse.duckdb"  # a folder may have any name
    assert Settings.from_env({"DOORSTROOM_WAREHOUSE": str(folder)}).warehouse == folder


def test_the_warehouse_defaults_are_read_from_the_dbt_profile(tmp_path):
    """One home per default: profiles.yml for the warehouse's connection, read by Settings; dbt
    gets a copy with every value explicit, so a changed default reaches dbt without the env."""
    import yaml

    from dagster_project.settings import PROJECT_ROOT, profile_defaults

    defaults = profile_defaults()
    assert set(defaults) == {
        "DOORSTROOM_WAREHOUSE",
        "DOORSTROOM_THREADS",
        "DOORSTROOM_MEMORY_LIMIT",
        "DOORSTROOM_TEMP_DIR",
    }
    settings = Settings.from_env({})
    assert settings.memory_limit == defaults["DOORSTROOM_MEMORY_LIMIT"]
    assert settings.threads == int(defaults["DOORSTROOM_THREADS"])
    assert settings.temp_dir == PROJECT_ROOT / defaults["DOORSTROOM_TEMP_DIR"]
    assert settings.warehouse == PROJECT_ROOT / defaults["DOORSTROOM_WAREHOUSE"]

    chosen = Settings.from_env(
        {
            "DOORSTROOM_WAREHOUSE": str(tmp_path / "w.duckdb"),
            "DOORSTROOM_MEMORY_LIMIT": "3GB",
            "DOORSTROOM_THREADS": "2",
        }
    )
    written = yaml.safe_load((chosen.write_dbt_profile() / "profiles.yml").read_text())
    output = written["doorstroom"]["outputs"]["warehouse"]
    assert output["path"] == str(tmp_path / "w.duckdb")
    assert output["threads"] == 2
    assert output["config_options"]["memory_limit"] == "3GB"
    assert output["config_options"]["temp_directory"] == str(PROJECT_ROOT / "data" / "tmp")
    assert output["config_options"]["preserve_insertion_order"] is False  # the rest as in profiles.yml
    assert "{{" not in yaml.safe_dump(written)
