"""The API's log format: one JSON object per line, request fields when a record has them, and an
exception only by its type."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

from api.request_log import JsonLinesFormatter

ROOT = Path(__file__).resolve().parents[2]


def test_a_record_is_one_json_line_with_the_request_fields() -> None:
    record = logging.LogRecord("ippo.api.requests", logging.INFO, __file__, 1, "%s %s", ("GET", "/health"), None)
    record.request = {"method": "GET", "route": "/health", "status": 200, "ms": 1.5, "key_id": None}
    line = JsonLinesFormatter().format(record)
    assert "\n" not in line
    assert json.loads(line) | {"time": "t"} == {
        "time": "t", "level": "INFO", "logger": "ippo.api.requests", "message": "GET /health",
        "method": "GET", "route": "/health", "status": 200, "ms": 1.5, "key_id": None}


def test_an_exception_is_written_by_its_type_only() -> None:
    try:
        raise ValueError("a diagnosis quoted by mistake")
    except ValueError:
        record = logging.LogRecord("ippo.api", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    line = json.loads(JsonLinesFormatter().format(record))
    assert line["exception"] == "ValueError"
    assert "diagnosis" not in json.dumps(line)


def test_the_serve_log_config_writes_json_lines_for_every_logger() -> None:
    script = ("import logging, logging.config\n"
              "from api.request_log import log_config\n"
              "logging.config.dictConfig(log_config())\n"
              "logging.getLogger('uvicorn.error').info('started')\n"
              "logging.getLogger('ippo.api').warning('no snapshot')\n"
              "logging.getLogger('uvicorn.access').info('GET /v1/profiles/p_1 200')\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    lines = [json.loads(line) for line in done.stderr.splitlines()]
    assert [(line["logger"], line["message"]) for line in lines] == [("uvicorn.error", "started"),
                                                                     ("ippo.api", "no snapshot")]
