#!/usr/bin/env bash
# Runs every test on a fresh machine: the Rust unit tests, then the end-to-end
# suite, which starts the real spark-connect-server binary on free ports and
# drives it with the real (pinned) pyspark client. Gold answers recorded from
# Apache Spark live in tests/differential/gold/.
#
# Usage: tests/run.sh [extra pytest arguments]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

# Builds reuse a target directory outside the checkout when one is given.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/spark-connect-server/target}"
export CARGO_TERM_COLOR=never

venv="${SCS_VENV:-$root/.venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --disable-pip-version-check -q -r tests/requirements.txt

echo "== cargo build"
cargo build --locked --bin spark-connect-server
echo "== cargo test"
cargo test --locked --workspace -q
echo "== end-to-end (pytest)"
export SCS_BINARY="$CARGO_TARGET_DIR/debug/spark-connect-server"
# No single test may hang the run: each gets at most ten minutes.
"$venv/bin/python" -m pytest tests/e2e -q -p no:cacheprovider --timeout=600 "$@"
