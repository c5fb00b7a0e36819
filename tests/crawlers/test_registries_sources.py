"""A registry source names the files or URLs it reads: there is no default place to read from."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from crawlers.sources import load_sources
from crawlers.spiders.base import SourceConfigError
from crawlers.spiders.registries import RegistriesSpider
from pipeline.employers.records import RegistryFileError, read_known_registry
from tests.conftest import ROOT
from tests.crawlers.responses import make_spider

HOME = Path(tempfile.mkdtemp(prefix="ippo-reg-"))


def test_a_registry_source_without_files_or_urls_says_what_to_add() -> None:
    with pytest.raises(SourceConfigError) as caught:
        make_spider(RegistriesSpider, HOME, source="registry-gbizinfo-awards", registry="gbizinfo_awards")
    message = str(caught.value)
    assert "source 'registry-gbizinfo-awards'" in message
    assert "files = [" in message and "urls = [" in message and "[sources.registry-gbizinfo-awards]" in message


def test_every_registry_source_of_the_shipped_sources_toml_names_its_files_or_urls() -> None:
    registries = [s for s in load_sources(ROOT / "sources.toml").values() if s.spider == "registries"]
    assert registries
    for source in registries:
        assert source.args.get("files") or source.args.get("urls"), source.name


def test_reading_a_known_registry_needs_its_file() -> None:
    with pytest.raises(RegistryFileError, match="registry 'gbizinfo_awards': no file given"):
        read_known_registry("gbizinfo_awards", None)
