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
echo "== other clients"
# The pyspark 3.5 client, in a venv of its own.
venv35="${SCS_PYSPARK35_VENV:-$root/.venv-pyspark35}"
if [ ! -x "$venv35/bin/python" ]; then
  python3 -m venv "$venv35"
fi
"$venv35/bin/python" -m pip install --disable-pip-version-check -q -r tests/clients/pyspark35-requirements.txt
export SCS_PYSPARK35_PYTHON="$venv35/bin/python"
# The Rust client spark-connect-rs; its build script needs protoc.
if ! command -v protoc >/dev/null; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get install -y -q protobuf-compiler >/dev/null || { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q protobuf-compiler >/dev/null; }
fi
cargo build --locked --manifest-path tests/clients/spark-connect-rs/Cargo.toml
export SCS_SPARK_CONNECT_RS="$CARGO_TARGET_DIR/debug/spark-connect-rs-smoke"

echo "== end-to-end (pytest)"
export SCS_BINARY="$CARGO_TARGET_DIR/debug/spark-connect-server"
# No single test may hang the run: each gets at most ten minutes.
"$venv/bin/python" -m pytest tests/e2e -q -p no:cacheprovider --timeout=600 "$@"
