"""API settings (environment variables prefixed IPPO_)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from ippo import paths
from pipeline.embedding import DEFAULT_MODEL


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="IPPO_", extra="ignore")

    home: Path = Field(default_factory=paths.home)
    embedding_model: str = DEFAULT_MODEL
    max_k: int = 50
    # torch threads for encoding queries; 1 is fastest for one short query (see pipeline.embedding).
    torch_threads: int = 1

    @property
    def serving_dir(self) -> Path:
        return self.home / "serving"
