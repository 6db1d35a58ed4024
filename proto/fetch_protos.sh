#!/usr/bin/env bash
# Refreshes proto/ from the Spark Connect jar inside PyPI's pyspark sdist.
# The version taken is recorded in proto/VERSION.
# Usage: proto/fetch_protos.sh [SPARK_VERSION] [DOWNLOAD_DIR]
set -euo pipefail
version="${1:-4.3.0}"
dl="${2:-${HOME}/.cache/spark-connect-server/pyspark-dl}"
here="$(cd "$(dirname "$0")" && pwd)"
mkdir -p "$dl"
if [ ! -f "$dl/pyspark-$version.tar.gz" ]; then
  pip download "pyspark==$version" --no-deps --no-binary :all: -d "$dl"
fi
jar="pyspark-$version/deps/jars/spark-connect_2.13-$version.jar"
tar -xzf "$dl/pyspark-$version.tar.gz" -C "$dl" "$jar"
rm -rf "$here/spark" "$here/google"
unzip -o -q "$dl/$jar" 'spark/connect/*.proto' 'google/protobuf/any.proto' 'google/protobuf/timestamp.proto' -d "$here"
echo "pyspark==$version ($jar)" > "$here/VERSION"
ls "$here/spark/connect"
