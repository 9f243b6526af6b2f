"""Render-time options of the stack: safe defaults kept as data, validated up front.

Deploy-time choices (environment name, data protection, deployment type, ...) are
CloudFormation parameters instead; see ``tapgen.parameters``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

AuthMode = Literal["api_key", "iam", "none"]
Architecture = Literal["arm64", "x86_64"]

AUTH_MODES: tuple[str, ...] = ("api_key", "iam", "none")
ARCHITECTURES: tuple[str, ...] = ("arm64", "x86_64")
# Runtimes the current cfn-lint does not mark deprecated and for which the
# Powertools layer is published.
RUNTIMES: tuple[str, ...] = ("python3.12", "python3.13", "python3.14")
QUOTA_PERIODS: tuple[str, ...] = ("DAY", "WEEK", "MONTH")
LOG_LEVELS: tuple[str, ...] = ("DEBUG", "INFO", "WARN", "ERROR")
# The values AWS::Logs::LogGroup.RetentionInDays accepts.
RETENTION_DAYS: tuple[int, ...] = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
)  # fmt: skip
# API Gateway ends every integration call after 29 s, so a longer function
# timeout would only keep working after the client has been answered 504.
API_INTEGRATION_LIMIT_SECONDS = 29


@dataclass(frozen=True)
class StackConfig:
    """What the rendered stack looks like; every field has a safe default.

    Change fields with ``dataclasses.replace`` or ``StackConfig.from_toml``; an
    invalid value raises ``ValueError`` naming the field and what it accepts.
    """

    runtime: str = "python3.13"
    architecture: Architecture = "arm64"
    memory_mb: int = 256
    timeout_seconds: int = 10
    log_retention_days: int = 30
    log_level: str = "INFO"
    access_log_expiration_days: int = 90
    auth: AuthMode = "api_key"
    throttle_rate_limit: float = 50.0
    throttle_burst_limit: int = 100
    quota_limit: int = 100_000
    quota_period: str = "MONTH"
    cors_allow_origin: str = "*"
    alarm_error_threshold: int = 1
    alarm_latency_p90_ms: int = 1000
    alarm_duration_ratio: float = 0.8
    alarm_period_seconds: int = 60
    powertools_version: str = "3.37.0"
    service_name: str = "tapgen-data"
    customer_managed_key: bool = False

    def __post_init__(self) -> None:
        _one_of("runtime", self.runtime, RUNTIMES)
        _one_of("architecture", self.architecture, ARCHITECTURES)
        _one_of("auth", self.auth, AUTH_MODES)
        _one_of("quota_period", self.quota_period, QUOTA_PERIODS)
        _one_of("log_level", self.log_level, LOG_LEVELS)
        _one_of("log_retention_days", self.log_retention_days, RETENTION_DAYS)
        # Lambda accepts 128..10240 MB in 1 MB steps.
        _in_range("memory_mb", self.memory_mb, 128, 10240)
        _in_range("timeout_seconds", self.timeout_seconds, 1, API_INTEGRATION_LIMIT_SECONDS - 1)
        _in_range("access_log_expiration_days", self.access_log_expiration_days, 1, 3650)
        _in_range("throttle_rate_limit", self.throttle_rate_limit, 1, 10_000)
        _in_range("throttle_burst_limit", self.throttle_burst_limit, 1, 5_000)
        _in_range("quota_limit", self.quota_limit, 1, 1_000_000_000)
        _in_range("alarm_error_threshold", self.alarm_error_threshold, 1, 1_000_000)
        _in_range("alarm_latency_p90_ms", self.alarm_latency_p90_ms, 1, API_INTEGRATION_LIMIT_SECONDS * 1000)
        _in_range("alarm_duration_ratio", self.alarm_duration_ratio, 0.1, 1.0)
        _one_of("alarm_period_seconds", self.alarm_period_seconds, (10, 30, 60, 300, 900, 3600))
        _matches("powertools_version", self.powertools_version, _is_release)
        _matches("service_name", self.service_name, _is_service_name)
        _matches("cors_allow_origin", self.cors_allow_origin, _is_origin)
        _one_of("customer_managed_key", self.customer_managed_key, (True, False), allow_bool=True)

    @classmethod
    def from_mapping(cls, values: dict[str, Any]) -> StackConfig:
        """Build a config from plain data (e.g. parsed TOML), refusing unknown keys."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(
                f"unknown StackConfig field {unknown[0]!r}; known fields: {', '.join(sorted(known))}"
            )
        return cls(**values)

    @classmethod
    def from_toml(cls, path: str | Path) -> StackConfig:
        """Read a TOML file whose top-level keys are StackConfig fields."""
        import tomllib

        with open(path, "rb") as handle:
            try:
                values = tomllib.load(handle)
            except tomllib.TOMLDecodeError as error:
                raise ValueError(f"{path}: not valid TOML: {error}") from None
        return cls.from_mapping(values)

    @property
    def duration_alarm_ms(self) -> int:
        """Duration (ms) above which a call is close enough to the timeout to alarm on."""
        return int(self.timeout_seconds * 1000 * self.alarm_duration_ratio)


def _one_of(field: str, value: object, allowed: tuple[object, ...], *, allow_bool: bool = False) -> None:
    # True == 1 in Python, so booleans are refused unless they are what is asked for.
    if (isinstance(value, bool) != allow_bool) or value not in allowed:
        raise ValueError(
            f"StackConfig.{field}={value!r} is not allowed; use one of: {', '.join(map(str, allowed))}"
        )


def _in_range(field: str, value: object, low: float, high: float) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise ValueError(f"StackConfig.{field}={value!r} must be a number from {low} to {high}")


def _matches(field: str, value: object, check: Any) -> None:
    if not isinstance(value, str) or not check(value):
        raise ValueError(f"StackConfig.{field}={value!r} is not valid: {check.__doc__}")


def _is_release(value: str) -> bool:
    """a release number such as 3.37.0"""
    parts = value.split(".")
    return len(parts) == 3 and all(part.isdigit() for part in parts)


def _is_service_name(value: str) -> bool:
    """1-64 characters of letters, digits, '-' and '_'"""
    return 0 < len(value) <= 64 and all(c.isascii() and (c.isalnum() or c in "-_") for c in value)


def _is_origin(value: str) -> bool:
    """'*' or one origin such as https://app.example.com (no quotes, commas or spaces)"""
    if value == "*":
        return True
    scheme, _, host = value.partition("://")
    return scheme in ("http", "https") and bool(host) and not any(c in host for c in "'\", /*")
