"""The hidden `_metadata` column of file sources: the values that depend on
the machine (absolute path, modification time), checked against the file
system; everything else is in the differential 'read' cases."""

import datetime
import os

import pyarrow as pa
import pyarrow.parquet as pq


def test_metadata_names_the_file_and_its_status(spark, tmp_path):
    d = tmp_path / "two files"
    d.mkdir()
    for name, values in [("x.parquet", [1, 2, 3]), ("y.parquet", [4])]:
        pq.write_table(pa.table({"v": values}), d / name)
    df = spark.read.parquet(str(d))
    assert df.columns == ["v"]
    rows = df.select("v", df.metadataColumn("_metadata")).orderBy("v").collect()
    assert [r._metadata.row_index for r in rows] == [0, 1, 2, 0]
    for r in rows:
        m = r._metadata
        path = d / m.file_name
        assert m.file_path == "file:" + str(path).replace(" ", "%20")
        assert (m.file_size, m.file_block_start, m.file_block_length) == (os.path.getsize(path), 0, os.path.getsize(path))
        modified = datetime.datetime.fromtimestamp(int(os.path.getmtime(path) * 1000) / 1000)
        assert m.file_modification_time == modified
