#!/usr/bin/env bash
# Render the analyst notebooks (notebooks/NN_*.py) to HTML in docs/notebooks/, executed on the demo
# data: `ippo demo` is run into a temporary IPPO_HOME (1-2 minutes) and its snapshot is given to the
# notebooks as $IPPO_SNAPSHOT. Set IPPO_SNAPSHOT yourself to render on another snapshot instead.
# Arguments name the notebooks to render (e.g. notebooks/05_support_map.py); none: all of them.
# Needs the analysis extra (nbconvert, jupytext, matplotlib); run from anywhere.
set -euo pipefail
cd "$(dirname "$0")/.."

out="docs/notebooks"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if [ -z "${IPPO_SNAPSHOT:-}" ]; then
  echo "running ippo demo into $work/home ..."
  IPPO_HOME="$work/home" .venv/bin/ippo demo --site-port 0 >"$work/demo.log" 2>&1 \
    || { cat "$work/demo.log" >&2; echo "ippo demo failed" >&2; exit 1; }
  IPPO_SNAPSHOT="$(ls "$work"/home/serving/*.duckdb | tail -n 1)"
fi
export IPPO_SNAPSHOT
echo "rendering on $IPPO_SNAPSHOT"

mkdir -p "$out"
if [ "$#" -gt 0 ]; then notebooks=("$@"); else notebooks=(notebooks/[0-9][0-9]_*.py); fi
for notebook in "${notebooks[@]}"; do
  [ -f "$notebook" ] || { echo "no notebook $notebook: name files of notebooks/ (notebooks/NN_name.py)" >&2; exit 2; }
  name="$(basename "$notebook" .py)"
  .venv/bin/jupytext --quiet --to ipynb --output "$work/$name.ipynb" "$notebook"
  .venv/bin/jupyter nbconvert --log-level=WARN --to html --execute --ExecutePreprocessor.timeout=600 \
    --ExecutePreprocessor.kernel_name=python3 --output-dir "$out" --output "$name" "$work/$name.ipynb"
  echo "wrote $out/$name.html"
done
