#!/usr/bin/env bash
# Runs each fuzz target for a fixed time (default 300 s each) with
# cargo-fuzz on the stable toolchain, from the seed corpus in fuzz/corpus.
#
#   bash fuzz/run.sh [seconds per target]
#
# A crash, a timeout (10 s per input) or an out-of-memory stops the run and
# leaves the input under fuzz/artifacts/<target>/.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-300}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1   # cargo-fuzz's sanitizer flags on the stable toolchain
mkdir -p corpus/sql_split
# One seed statement per file, as libFuzzer wants its corpus.
i=0
while IFS= read -r line; do
  printf '%s' "$line" > "corpus/sql_split/seed-$i.sql"
  i=$((i + 1))
done < corpus/sql/seeds.sql
cargo fuzz run execute_plan corpus/plan -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=8192
cargo fuzz run sql corpus/sql_split -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=8192 -max_len=4096
