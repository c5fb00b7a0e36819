"""Where the benchmarks, evaluations and table builds (scripts/) find the real public data.

The data lives outside the project: ``--shared PATH`` when a benchmark takes it, else
$IPPO_SHARED_DATA, else ../shared/data beside the repository. Runtime code never reads it.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

ENV_VAR = "IPPO_SHARED_DATA"
BESIDE_REPOSITORY = Path(__file__).resolve().parents[2] / "shared" / "data"


def shared_data_dir() -> Path:
    """$IPPO_SHARED_DATA, else ../shared/data beside the repository."""
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else BESIDE_REPOSITORY


def add_shared_option(parser: argparse.ArgumentParser) -> None:
    """The --shared PATH option, defaulting to shared_data_dir()."""
    parser.add_argument(
        "--shared", type=Path, default=shared_data_dir(),
        help=f"the shared data folder (default: ${ENV_VAR}, else ../shared/data beside the repository)",
    )
