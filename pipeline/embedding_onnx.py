"""The sentence-embedding model run by ONNX Runtime: exported once from the local model, then reused.

The transformer of a sentence-transformers folder is exported with ``torch.onnx.export``
(inputs input_ids, attention_mask, token_type_ids; batch and sequence axes dynamic) into
``<cache_dir>/onnx/<model>-<digest of the model files>-x<exporter version>/``; the int8 variant
is ``onnxruntime.quantization.quantize_dynamic`` of that export (per-channel int8 weights). Each file is written under a
temporary name and renamed into place, then a manifest beside it records its SHA-256: a file
whose manifest is missing or disagrees (an interrupted or damaged export) is exported again.

Encoding does what the sentence-transformers pipeline of the model does (modules.json):
the model's own fast tokenizer truncating at its ``max_seq_length``, mean pooling over the
attention mask, then L2 normalisation when the pipeline has a Normalize module. Other
pipelines (CLS or max pooling, dense layers after pooling) are refused: they run on torch.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import re
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

# Bump when the export (wrapper, opset, axes, quantisation) changes: old exports are then unused.
EXPORTER_VERSION = 1
_OPSET = 17
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
# The files whose content decides what the export computes.
_MODEL_FILES = ("config.json", "model.safetensors", "pytorch_model.bin", "tokenizer.json", "vocab.txt",
                "tokenizer_config.json", "special_tokens_map.json", "modules.json", "sentence_bert_config.json",
                "1_Pooling/config.json")
_ONNX_BACKENDS = ("onnx", "onnx-int8")


class OnnxExportError(RuntimeError):
    """The model cannot be exported or run with ONNX Runtime; the message says what to do."""


@dataclass(frozen=True)
class SentencePipeline:
    """What the sentence-transformers modules of a model folder do around the transformer."""

    max_seq_length: int
    do_lower_case: bool
    normalize: bool


def read_pipeline(model_dir: Path) -> SentencePipeline:
    """The tokenizer length, pooling and normalisation of a sentence-transformers folder.

    Raises OnnxExportError for a pipeline this module does not reproduce (only mean pooling,
    optionally followed by Normalize)."""
    try:
        modules = json.loads((model_dir / "modules.json").read_text(encoding="utf-8"))
        bert = json.loads((model_dir / "sentence_bert_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise OnnxExportError(f"{model_dir} is not a sentence-transformers folder ({exc}); use embedding_backend "
                              "= torch for this model") from exc
    kinds = [str(m.get("type", "")).rsplit(".", 1)[-1] for m in modules]
    if kinds[:2] != ["Transformer", "Pooling"] or kinds[2:] not in ([], ["Normalize"]):
        raise OnnxExportError(f"the modules of {model_dir} ({', '.join(kinds)}) are not Transformer, Pooling "
                              "[, Normalize]; use embedding_backend = torch for this model")
    pooling_dir = next(m.get("path", "") for m in modules if str(m.get("type", "")).endswith("Pooling"))
    pooling = json.loads((model_dir / pooling_dir / "config.json").read_text(encoding="utf-8"))
    modes = [key for key, on in pooling.items() if key.startswith("pooling_mode_") and on]
    if modes != ["pooling_mode_mean_tokens"]:
        raise OnnxExportError(f"the pooling of {model_dir} is {modes}, not mean pooling alone; use "
                              "embedding_backend = torch for this model")
    return SentencePipeline(int(bert.get("max_seq_length") or 512), bool(bert.get("do_lower_case", False)),
                            normalize=kinds[2:] == ["Normalize"])


def model_digest(model_dir: Path) -> str:
    """SHA-256 over the model folder's weights, configuration and tokenizer files (first 16 hex digits)."""
    digest = hashlib.sha256()
    for relative in _MODEL_FILES:
        path = model_dir / relative
        if path.is_file():
            digest.update(relative.encode() + b"\0")
            with path.open("rb") as handle:
                digest.update(hashlib.file_digest(handle, "sha256").digest())
    return digest.hexdigest()[:16]


def export_dir(cache_dir: Path, model_name: str, model_dir: Path) -> Path:
    """Where the exports of this model (name, file contents, exporter version) are kept."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(model_name).name or model_name).strip("_") or "model"
    return cache_dir / "onnx" / f"{safe}-{model_digest(model_dir)}-x{EXPORTER_VERSION}"


def _file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _manifest_path(onnx_path: Path) -> Path:
    return onnx_path.with_suffix(".json")


def _problem_with(onnx_path: Path) -> str | None:
    """Why an export on disk cannot be used (None: it is complete and unchanged)."""
    manifest = _manifest_path(onnx_path)
    if not onnx_path.exists() and not manifest.exists():
        return "absent"
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "its manifest is missing or unreadable (an interrupted export?)"
    if not onnx_path.is_file():
        return "the model file is missing"
    if onnx_path.stat().st_size != recorded.get("bytes") or _file_sha256(onnx_path) != recorded.get("sha256"):
        return "the model file does not match its manifest (damaged or partly written)"
    return None


def _write_atomically(final: Path, write: Any) -> None:
    """write(temporary path) then rename it to final, then the manifest (also renamed into place)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=final.parent, prefix=f".{final.name}.", suffix=".part")
    os.close(descriptor)
    os.chmod(temporary, 0o644)
    try:
        write(Path(temporary))
        size, sha = os.path.getsize(temporary), _file_sha256(Path(temporary))
        os.replace(temporary, final)
        manifest = {"bytes": size, "sha256": sha, "exporter_version": EXPORTER_VERSION}
        manifest_tmp = final.parent / f".{final.name}.manifest.part"
        manifest_tmp.write_text(json.dumps(manifest), encoding="utf-8")
        os.replace(manifest_tmp, _manifest_path(final))
    finally:
        Path(temporary).unlink(missing_ok=True)


@contextmanager
def _export_lock(folder: Path) -> Iterator[None]:
    """One exporting process at a time per folder (others wait, then find the export done)."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _export_fp32(model_dir: Path, target: Path) -> None:
    import torch
    from transformers import AutoModel, AutoTokenizer

    class _LastHiddenState(torch.nn.Module):
        def __init__(self, model: Any) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            return self.model(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    # Eager attention traces to plain matrix operations whose shapes follow the inputs.
    model = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager")
    model.eval()
    tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
    sample = tokenizer(["a short sample", "a somewhat longer sample sentence for tracing"], padding=True,
                       return_tensors="pt", return_token_type_ids=True)
    axes = {name: {0: "batch", 1: "sequence"} for name in (*_INPUTS, "last_hidden_state")}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(_LastHiddenState(model), tuple(sample[name] for name in _INPUTS), str(target),
                          input_names=list(_INPUTS), output_names=["last_hidden_state"], dynamic_axes=axes,
                          opset_version=_OPSET, dynamo=False)


def _quantize_int8(source: Path, target: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    root = logging.getLogger()
    level = root.level
    root.setLevel(max(level, logging.ERROR))  # quantize_dynamic logs advice on pre-processing to the root logger
    try:
        # Per-channel scales: with one scale per weight matrix the cosine to the float vectors fell to
        # ~0.91-0.97 on real listing texts; per channel it stays near 0.99.
        quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8, per_channel=True)
    finally:
        root.setLevel(level)


def ensure_export(cache_dir: Path, model_name: str, model_dir: Path, backend: str) -> Path:
    """The ONNX file of backend ("onnx" or "onnx-int8") for the model, exported now if absent or damaged."""
    if backend not in _ONNX_BACKENDS:
        raise ValueError(f"{backend!r} is not an ONNX backend ({', '.join(_ONNX_BACKENDS)})")
    read_pipeline(model_dir)  # refuse an unsupported pipeline before spending time on an export
    folder = export_dir(cache_dir, model_name, model_dir)
    fp32, int8 = folder / "model.onnx", folder / "model-int8.onnx"
    wanted = [fp32] if backend == "onnx" else [fp32, int8]
    if all(_problem_with(path) is None for path in wanted):
        return wanted[-1]
    with _export_lock(folder):
        for path in wanted:
            problem = _problem_with(path)
            if problem is None:
                continue
            if problem != "absent":
                log.warning("the ONNX export %s cannot be used: %s; exporting it again", path, problem)
            log.info("exporting %s for the %s backend to %s", model_name, backend, path)
            try:
                if path == fp32:
                    _write_atomically(path, lambda temporary: _export_fp32(model_dir, temporary))
                else:
                    _write_atomically(path, lambda temporary: _quantize_int8(fp32, temporary))
            except OnnxExportError:
                raise
            except Exception as exc:
                raise OnnxExportError(f"exporting {model_name!r} from {model_dir} to ONNX failed ({exc}); set "
                                      "embedding_backend = torch") from exc
    return wanted[-1]


class OnnxSentenceEncoder:
    """Encodes texts like the sentence-transformers pipeline of the model, with an ONNX Runtime session."""

    def __init__(self, onnx_path: Path, model_dir: Path, threads: int) -> None:
        import onnxruntime as ort
        from transformers import AutoTokenizer

        self.pipeline = read_pipeline(model_dir)
        self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir), use_fast=True)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        # Idle threads sleep instead of spinning: on the busy shared 2-core machine, spinning
        # threads took CPU from each other; 120 texts of ~256 word pieces went 3.6 -> 4.6 texts/s.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            self.session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:
            raise OnnxExportError(f"ONNX Runtime cannot load {onnx_path} ({exc}); delete the file to export it "
                                  "again") from exc
        self.dimension = int(self.session.get_outputs()[0].shape[-1])

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        """L2-normalised (when the pipeline normalises) float32 vectors, in the order of texts."""
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        # Longest first, like sentence-transformers: batches of similar length carry little padding.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        for start in range(0, len(order), batch_size):
            chosen = order[start:start + batch_size]
            out[chosen] = self._encode_batch([texts[i] for i in chosen])
        return out

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        cleaned = [text.strip() for text in texts]
        if self.pipeline.do_lower_case:
            cleaned = [text.lower() for text in cleaned]
        tokens = self.tokenizer(cleaned, padding=True, truncation="longest_first",
                                max_length=self.pipeline.max_seq_length, return_tensors="np",
                                return_token_type_ids=True)
        feeds = {name: np.asarray(tokens[name], dtype=np.int64) for name in _INPUTS}
        hidden = self.session.run(["last_hidden_state"], feeds)[0]
        mask = feeds["attention_mask"][..., None].astype(np.float32)
        pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
        if self.pipeline.normalize:
            pooled = pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return pooled.astype(np.float32)
