"""StackConfig: safe defaults, and a clear error naming the field for every invalid value."""

from __future__ import annotations

import dataclasses

import pytest

from tapgen import StackConfig
from tapgen.names import Naming


def test_defaults_are_valid_and_safe():
    config = StackConfig()
    assert config.auth == "api_key"
    assert config.timeout_seconds < 29
    assert config.duration_alarm_ms == 8000


def test_config_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        StackConfig().auth = "none"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("runtime", "python3.9"),
        ("runtime", "nodejs22.x"),
        ("architecture", "ppc64"),
        ("auth", "open"),
        ("quota_period", "YEAR"),
        ("log_level", "TRACE"),
        ("log_retention_days", 10),
        ("log_retention_days", True),
        ("memory_mb", 64),
        ("memory_mb", 20000),
        ("memory_mb", "256"),
        ("timeout_seconds", 29),
        ("timeout_seconds", 0),
        ("access_log_expiration_days", 0),
        ("throttle_rate_limit", 0),
        ("throttle_burst_limit", 10_000),
        ("quota_limit", 0),
        ("alarm_error_threshold", 0),
        ("alarm_latency_p90_ms", 30_000),
        ("alarm_duration_ratio", 1.5),
        ("alarm_period_seconds", 45),
        ("powertools_version", "latest"),
        ("powertools_version", "3.37"),
        ("service_name", ""),
        ("service_name", "has space"),
        ("cors_allow_origin", "example.com"),
        ("cors_allow_origin", "https://a.com, https://b.com"),
        ("cors_allow_origin", "https://'quoted'"),
    ],
)
def test_invalid_values_name_the_field(field, value):
    with pytest.raises(ValueError, match=rf"StackConfig\.{field}="):
        StackConfig(**{field: value})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("runtime", "python3.14"),
        ("architecture", "x86_64"),
        ("auth", "none"),
        ("timeout_seconds", 28),
        ("memory_mb", 10240),
        ("cors_allow_origin", "https://app.example.com"),
        ("log_retention_days", 3653),
    ],
)
def test_valid_values_are_accepted(field, value):
    assert getattr(StackConfig(**{field: value}), field) == value


def test_from_mapping_refuses_unknown_keys():
    with pytest.raises(ValueError, match="unknown StackConfig field 'colour'"):
        StackConfig.from_mapping({"colour": "blue"})


def test_from_toml(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('auth = "iam"\ntimeout_seconds = 5\n')
    assert StackConfig.from_toml(path) == StackConfig(auth="iam", timeout_seconds=5)


def test_from_toml_reports_bad_toml(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text("= nope")
    with pytest.raises(ValueError, match="not valid TOML"):
        StackConfig.from_toml(path)


@pytest.mark.parametrize("prefix", ["items", "Items-2", "X" * 17, "9Lives"])
def test_naming_prefix_is_validated(prefix):
    with pytest.raises(ValueError, match=r"Naming\.prefix"):
        Naming(prefix)


def test_naming_prefix_changes_ids_and_names():
    naming = Naming("Items")
    assert naming.id("DataTable") == "ItemsDataTable"
    assert naming.physical("data") == "${ProjectName}-${EnvironmentSuffix}-items-data"
    assert Naming().physical("data") == "${ProjectName}-${EnvironmentSuffix}-data"
