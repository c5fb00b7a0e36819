"""Where ippo keeps its data. Everything lives under IPPO_HOME (default ./data)."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def home() -> Path:
    return Path(os.environ.get("IPPO_HOME", "data")).resolve()


def raw_dir() -> Path:
    return home() / "raw"


def warehouse_path() -> Path:
    return home() / "warehouse.duckdb"


def serving_dir() -> Path:
    return home() / "serving"


def users_path() -> Path:
    return home() / "users.duckdb"


def embeddings_cache_path() -> Path:
    return home() / "embeddings.duckdb"


def sources_file() -> Path:
    return Path(os.environ.get("IPPO_SOURCES", REPO_ROOT / "sources.toml")).resolve()
