"""What an API source has already seen: $IPPO_HOME/state/<source>.seen.json ({id: updated_at}).

ATS boards list every open job on each call, but a job's full text costs one request more
(Greenhouse). Keeping the ids and their ``updated_at`` from the last run lets a spider fetch
details only for new or changed jobs. The file is written once, atomically, when the run
closes; a run that dies before that simply fetches those details again next time.
"""

from __future__ import annotations

import json
import os
from pathlib import Path


class SeenState:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.before: dict[str, str] = {}
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and isinstance(data.get("seen"), dict):
                self.before = {str(k): str(v) for k, v in data["seen"].items()}
        except (OSError, ValueError):
            self.before = {}
        self.now: dict[str, str] = {}

    @classmethod
    def for_source(cls, home: Path, source: str) -> SeenState:
        return cls(home / "state" / f"{source}.seen.json")

    def is_known(self, job_id: str, version: str) -> bool:
        """True when the last run saw this id with the same version (updated_at)."""
        return self.before.get(job_id) == version

    def mark(self, job_id: str, version: str) -> None:
        self.now[job_id] = version

    def removed(self) -> list[str]:
        """Ids seen last time and not this time (closed on the board)."""
        return sorted(set(self.before) - set(self.now))

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps({"seen": self.now}, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.path)
