"""Where the tests find the real registry files: each layout's default_path under ../shared/data."""

from __future__ import annotations

from pipeline.employers.records import load_registry_specs
from tests.conftest import SHARED_DATA

_SPECS = load_registry_specs()
GBIZINFO_CSV = SHARED_DATA / str(_SPECS["gbizinfo_awards"].default_path)
MENTIONS_CSV = SHARED_DATA / str(_SPECS["inclusive_mentions"].default_path)
