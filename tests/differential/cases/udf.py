"""Differential cases: the `udf` group (Python UDFs, run by Python workers).
Cases that define functions start with "exec:" and leave their answer in
`result`; functions defined there are pickled by value, as a user's are."""

from . import c

P = "import pandas as pd\nimport pyarrow as pa\nfrom pyspark.sql.functions import udf, pandas_udf\n"
DF = "df = spark.createDataFrame([(1, 'a', 1.5), (2, None, 2.5), (None, 'c', None), (4, 'dd', -1.0)], 'i int, s string, d double')\n"
MEAN = "@pandas_udf('double')\ndef mean_udf(v: pd.Series) -> float:\n    return v.mean()\n@pandas_udf('long')\ndef cnt(v: pd.Series, w: pd.Series) -> int:\n    return len(v) + int(w.fillna(0).sum())\n"
COGROUP = "df1 = spark.createDataFrame([(20000101, 1, 1.0), (20000101, 2, 2.0), (20000102, 1, 3.0), (20000102, 2, 4.0)], ('time', 'id', 'v1'))\ndf2 = spark.createDataFrame([(20000101, 1, 'x'), (20000101, 2, 'y'), (20000103, 3, 'z')], ('time', 'id', 'v2'))\n"
UDTF = "from pyspark.sql.functions import udtf\n@udtf(returnType='x: int, y: int')\nclass Square:\n    def eval(self, start: int, end: int):\n        for n in range(start, end):\n            yield n, n * n\n"
TABLE_UDTF = (
    "from pyspark.sql.functions import udtf\n"
    "@udtf(returnType='id: long, v: long')\nclass Rows:\n    def eval(self, row):\n        yield row['id'], row['v']\n"
    "@udtf(returnType='k: long, n: int')\nclass Count:\n    def __init__(self):\n        self.k, self.n = None, 0\n"
    "    def eval(self, row):\n        self.k = row['k']\n        self.n += 1\n    def terminate(self):\n        yield self.k, self.n\n"
    "@udtf(returnType='k: long, first: long')\nclass First:\n    def __init__(self):\n        self.row = None\n"
    "    def eval(self, row):\n        if self.row is None:\n            self.row = row\n    def terminate(self):\n        yield self.row['k'], self.row['v']\n"
    "spark.udtf.register('scs_rows', Rows)\nspark.udtf.register('scs_count', Count)\nspark.udtf.register('scs_first', First)\n"
)
ANALYZE = (
    "from pyspark.sql.functions import udtf\n"
    "from pyspark.sql.udtf import AnalyzeArgument, AnalyzeResult, PartitioningColumn, OrderingColumn\n"
    "from pyspark.sql.types import StructType, IntegerType, StringType, LongType\n"
    "@udtf\nclass Repeat:\n    @staticmethod\n    def analyze(text, n):\n"
    "        return AnalyzeResult(StructType().add('piece', StringType()).add(f'n_{n.value}', IntegerType()))\n"
    "    def eval(self, text, n):\n        for i in range(n):\n            yield text, i\n"
    "@udtf\nclass CountPerKey:\n    @staticmethod\n    def analyze(t):\n"
    "        return AnalyzeResult(StructType().add('k', LongType()).add('n', IntegerType()), partitionBy=[PartitioningColumn('k')], orderBy=[OrderingColumn('v')])\n"
    "    def __init__(self):\n        self.k, self.n = None, 0\n    def eval(self, row):\n        self.k = row['k']\n        self.n += 1\n"
    "    def terminate(self):\n        yield self.k, self.n\n"
)
GROUPS = "g = spark.createDataFrame([(1, 1.0), (1, 2.0), (2, 3.0), (2, 5.0), (2, 10.0), (None, 7.0)], 'id long, v double')\n"


def x(name, body, ordered=False):
    return c(name, "exec:" + P + body, ordered)


UDF = [
    # Row-at-a-time udf (Arrow-optimised by default in Spark 4.3).
    x("udf_int", DF + "plus1 = udf(lambda v: None if v is None else v + 1, 'int')\nresult = df.select(plus1('i'), plus1(df.i).alias('p'))"),
    x("udf_named_function", DF + "def twice(v):\n    return None if v is None else v * 2\nresult = df.select(udf(twice, 'long')('i'))"),
    x("udf_string", DF + "result = df.select(udf(lambda v: v.upper() if v else v, 'string')('s'))"),
    x("udf_null_in_null_out", DF + "result = df.select(udf(lambda v: v, 'double')('d'))"),
    x("udf_two_args", DF + "result = df.select(udf(lambda a, b: f'{a}-{b}', 'string')('i', 's'))"),
    x("udf_no_args", "result = spark.range(3).select(udf(lambda: 7, 'int')().alias('seven'))"),
    x("udf_keyword_args", DF + "@udf('string')\ndef k(a, b='z'):\n    return f'{a}:{b}'\nresult = df.select(k(a=df.i, b=df.s), k(df.i))"),
    x("udf_int_to_string", "result = spark.range(3).select(udf(lambda v: v, 'string')('id'))"),
    x("udf_int_to_double", "result = spark.range(3).select(udf(lambda v: v, 'double')('id'))"),
    x("udf_bool", DF + "result = df.select(udf(lambda v: v is not None and v > 1, 'boolean')('i'))"),
    x("udf_decimal", "from decimal import Decimal\nresult = spark.range(3).select(udf(lambda v: Decimal(v) / 4, 'decimal(10,2)')('id'))"),
    x("udf_date", "import datetime\nresult = spark.range(3).select(udf(lambda v: datetime.date(2024, 1, 1) + datetime.timedelta(days=v), 'date')('id'))"),
    x("udf_timestamp", "import datetime\nresult = spark.range(2).select(udf(lambda v: datetime.datetime(2024, 1, 1, 12, 30) + datetime.timedelta(hours=v), 'timestamp')('id'))"),
    x("udf_date_argument", "result = spark.sql(\"SELECT DATE'2024-02-29' AS d, TIMESTAMP'2024-01-02 03:04:05' AS t\").select(udf(lambda d, t: f'{d.isoformat()} {t.hour}', 'string')('d', 't'))"),
    x("udf_array", DF + "result = df.select(udf(lambda v: None if v is None else list(range(v)), 'array<int>')('i'))"),
    x("udf_map", DF + "result = df.select(udf(lambda v: None if v is None else {v: str(v)}, 'map<int,string>')('i'))"),
    x("udf_struct", DF + "result = df.select(udf(lambda a, b: (a, b), 'a int, b string')('i', 's').alias('st'))"),
    x("udf_struct_argument", "result = spark.sql(\"SELECT named_struct('a', 1, 'b', 'x') AS st, array(1, 2) AS arr, map('k', 1) AS m\").select(udf(lambda st, arr, m: f'{st.a}{st.b}{sum(arr)}{m[\"k\"]}', 'string')('st', 'arr', 'm'))"),
    x("udf_binary", "result = spark.sql(\"SELECT X'CAFE' AS b\").select(udf(lambda b: bytes(b) + b'!', 'binary')('b'))"),
    x("udf_in_filter", DF + "result = df.filter(udf(lambda v: v is not None and v % 2 == 0, 'boolean')('i'))"),
    x("udf_in_group_by", GROUPS + "parity = udf(lambda v: None if v is None else int(v) % 2, 'int')\nresult = g.groupBy(parity('id').alias('p')).agg({'v': 'sum'})"),
    x("udf_in_aggregate", GROUPS + "result = g.groupBy('id').agg(F.sum(udf(lambda v: v * 10, 'double')('v')).alias('s'))"),
    x("udf_in_join_condition", DF + "other = spark.createDataFrame([(2,), (5,)], 'j int')\nresult = df.join(other, udf(lambda a, b: a is not None and b == a + 1, 'boolean')(df.i, other.j))"),
    x("udf_chained", DF + "inc = udf(lambda v: None if v is None else v + 1, 'int')\nresult = df.select(inc(inc(inc('i'))))"),
    x("udf_several_in_one_select", DF + "a = udf(lambda v: v, 'int')\nb = udf(lambda v: v and len(v), 'int')\nresult = df.select(a('i'), b('s'), a('i') + b('s'))"),
    x("udf_on_empty_input", "result = spark.range(0).select(udf(lambda v: v, 'long')('id'))"),
    x("udf_over_many_rows", "result = spark.range(25000).select(udf(lambda v: v * v, 'long')('id').alias('q')).agg({'q': 'sum'})"),
    x("udf_raises", "result = spark.range(2).select(udf(lambda v: 1 / 0, 'double')('id'))"),
    x("udf_is_null_schema", "f = udf(lambda v: v, 'long')\nresult = spark.range(2).select(f('id').isNull())"),
    x("udf_orderby", DF + "result = df.orderBy(udf(lambda v: -(v or 0), 'int')('i'))", ordered=True),
    # The pickled path: useArrow=False.
    x("udf_pickled_int", DF + "result = df.select(udf(lambda v: None if v is None else v + 1, 'int', useArrow=False)('i'))"),
    x("udf_pickled_mismatch_is_null", "result = spark.range(3).select(udf(lambda v: v, 'double', useArrow=False)('id'), udf(lambda v: str(v), 'int', useArrow=False)('id'))"),
    x("udf_pickled_to_string", "result = spark.range(3).select(udf(lambda v: v, 'string', useArrow=False)('id'))"),
    x("udf_pickled_nested", DF + "result = df.select(udf(lambda v: None if v is None else {'k': [v, v]}, 'map<string,array<int>>', useArrow=False)('i'), udf(lambda a, b: (a, b), 'a int, b string', useArrow=False)('i', 's'))"),
    x("udf_pickled_dates", "import datetime\nresult = spark.sql(\"SELECT DATE'2024-02-29' AS d, TIMESTAMP'2024-01-02 03:04:05' AS t, 12.5BD AS dec\").select(udf(lambda d: d + datetime.timedelta(days=1), 'date', useArrow=False)('d'), udf(lambda t: t.replace(year=2000), 'timestamp', useArrow=False)('t'), udf(lambda x: x * 2, 'decimal(10,2)', useArrow=False)('dec'))"),
    x("udf_pickled_conf", DF + "spark.conf.set('spark.sql.execution.pythonUDF.arrow.enabled', 'false')\ntry:\n    f = udf(lambda v: v, 'double')\nfinally:\n    spark.conf.unset('spark.sql.execution.pythonUDF.arrow.enabled')\nresult = spark.range(2).select(f('id'))"),
    # pandas_udf: Series to Series, iterator, struct results.
    x("pandas_udf_series", DF + "@pandas_udf('double')\ndef half(v: pd.Series) -> pd.Series:\n    return v / 2\nresult = df.select(half('d'), half('i'))"),
    x("pandas_udf_two_args", DF + "@pandas_udf('string')\ndef cat(a: pd.Series, b: pd.Series) -> pd.Series:\n    return a.fillna(0).astype(int).astype(str) + b.fillna('?')\nresult = df.select(cat('i', 's'))"),
    x("pandas_udf_struct_result", DF + "@pandas_udf('x int, y string')\ndef st(a: pd.Series) -> pd.DataFrame:\n    return pd.DataFrame({'x': a.fillna(0).astype(int), 'y': a.fillna(-1).astype(int).astype(str)})\nresult = df.select(st('i').alias('r'))"),
    x("pandas_udf_iterator", "from typing import Iterator\n@pandas_udf('long')\ndef plus(it: Iterator[pd.Series]) -> Iterator[pd.Series]:\n    for s in it:\n        yield s + 100\nresult = spark.range(5).select(plus('id'))"),
    x("pandas_udf_timestamps", "@pandas_udf('timestamp')\ndef later(t: pd.Series) -> pd.Series:\n    return t + pd.Timedelta(hours=1)\nresult = spark.sql(\"SELECT TIMESTAMP'2024-01-02 03:04:05' AS t UNION ALL SELECT NULL\").select(later('t'))"),
    x("pandas_udf_wrong_length", "@pandas_udf('long')\ndef bad(v: pd.Series) -> pd.Series:\n    return v.head(1)\nresult = spark.range(3).select(bad('id'))"),
    x("pandas_udf_raises", "@pandas_udf('long')\ndef boom(v: pd.Series) -> pd.Series:\n    raise KeyError('nope')\nresult = spark.range(3).select(boom('id'))"),
    x("arrow_udf_array", "from pyspark.sql.functions import arrow_udf\nimport pyarrow.compute as pc\n@arrow_udf('long')\ndef twice(v: pa.Array) -> pa.Array:\n    return pc.multiply(v, 2)\nresult = spark.range(4).select(twice('id'))"),
    # Registered functions, called from SQL.
    x("register_and_sql", "spark.udf.register('scs_plus_one', lambda v: v + 1, 'long')\nresult = spark.sql('SELECT scs_plus_one(id) AS p, scs_plus_one(10) FROM range(3)')"),
    x("register_udf_object", "f = udf(lambda s: s and s[::-1], 'string')\nspark.udf.register('scs_reverse', f)\nresult = spark.sql(\"SELECT scs_reverse('abc') AS r, scs_reverse(NULL) AS n\")"),
    x("register_pandas_udf", "@pandas_udf('double')\ndef scs_half(v: pd.Series) -> pd.Series:\n    return v / 2\nspark.udf.register('scs_half', scs_half)\nresult = spark.sql('SELECT scs_half(id) FROM range(3)')"),
    x("register_call_udf", "spark.udf.register('scs_sq', lambda v: v * v, 'long')\nfrom pyspark.sql.functions import call_udf, col\nresult = spark.range(3).select(call_udf('scs_sq', col('id')))"),
    # mapInPandas / mapInArrow.
    x("map_in_pandas", DF + "def f(it):\n    for pdf in it:\n        yield pdf[pdf.i.notna()].assign(n=lambda p: p.i * 10)\nresult = df.mapInPandas(f, 'i int, s string, d double, n long')"),
    x("map_in_pandas_new_schema", DF + "def f(it):\n    for pdf in it:\n        yield pd.DataFrame({'rows': [len(pdf)]})\nresult = df.mapInPandas(f, 'rows long').agg({'rows': 'sum'})"),
    x("map_in_pandas_empty", "def f(it):\n    for pdf in it:\n        yield pdf\nresult = spark.range(0).mapInPandas(f, 'id long')"),
    x("map_in_pandas_filter_after", DF + "def f(it):\n    for pdf in it:\n        yield pdf\nresult = df.mapInPandas(f, df.schema).filter('i > 1').select('s')"),
    x("map_in_arrow", DF + "import pyarrow.compute as pc\ndef f(it):\n    for b in it:\n        yield b.filter(pc.greater(b.column('d'), 0))\nresult = df.mapInArrow(f, df.schema)"),
    x("map_in_pandas_raises", "def f(it):\n    for pdf in it:\n        raise RuntimeError('map failed')\n        yield pdf\nresult = spark.range(3).mapInPandas(f, 'id long')"),
    # groupBy().applyInPandas / applyInArrow.
    x("apply_in_pandas", GROUPS + "def norm(pdf):\n    v = pdf.v\n    return pdf.assign(v=(v - v.mean()) / v.std())\nresult = g.groupby('id').applyInPandas(norm, 'id long, v double')"),
    x("apply_in_pandas_with_key", GROUPS + "def m(key, pdf):\n    return pd.DataFrame([key + (pdf.v.mean(), len(pdf))])\nresult = g.groupby('id').applyInPandas(m, 'id long, v double, n long')"),
    x("apply_in_pandas_expression_key", GROUPS + "def m(key, pdf):\n    return pd.DataFrame([key + (pdf.v.sum(),)])\nresult = g.groupby(g.id % 2).applyInPandas(m, 'k long, s double')"),
    x("apply_in_pandas_no_keys", GROUPS + "result = g.groupby().applyInPandas(lambda pdf: pd.DataFrame({'n': [len(pdf)]}), 'n long')"),
    x("apply_in_pandas_empty_input", "result = spark.range(0).groupby('id').applyInPandas(lambda pdf: pdf, 'id long')"),
    x("apply_in_pandas_column_names", GROUPS + "result = g.groupby('id').applyInPandas(lambda pdf: pd.DataFrame({'v': pdf.v * 2, 'id': pdf.id}), 'id long, v double')"),
    x("apply_in_arrow", GROUPS + "import pyarrow.compute as pc\ndef s(t):\n    return pa.table({'n': [t.num_rows], 's': [pc.sum(t.column('v')).as_py()]})\nresult = g.groupby('id').applyInArrow(s, 'n long, s double')"),
    x("apply_in_pandas_raises", GROUPS + "def bad(pdf):\n    raise ValueError('group failed')\nresult = g.groupby('id').applyInPandas(bad, 'id long, v double')"),
    # Grouped-aggregate pandas_udf: in groupBy().agg(), global, over windows.
    x("pandas_agg_group_by", GROUPS + MEAN + "result = g.groupby('id').agg(mean_udf(g['v']), cnt('v', 'id').alias('c'))"),
    x("pandas_agg_global", GROUPS + MEAN + "result = g.agg(mean_udf('v').alias('m'))"),
    x("pandas_agg_in_select", GROUPS + MEAN + "result = g.select(mean_udf('v'))"),
    x("pandas_agg_empty_global", MEAN + "result = spark.range(0).agg(mean_udf(F.col('id').cast('double')))"),
    x("pandas_agg_empty_grouped", MEAN + "result = spark.range(0).groupBy('id').agg(mean_udf(F.col('id').cast('double')))"),
    x("pandas_agg_mixed_refused", GROUPS + MEAN + "result = g.groupby('id').agg(mean_udf('v'), F.sum('v'))"),
    x("pandas_agg_sql", MEAN + "spark.udf.register('scs_mean', mean_udf)\nresult = spark.sql('SELECT id % 2 AS k, scs_mean(CAST(id AS DOUBLE)) AS m FROM range(10) GROUP BY id % 2')"),
    x("pandas_agg_window_unbounded", GROUPS + MEAN + "from pyspark.sql import Window\nresult = g.withColumn('m', mean_udf('v').over(Window.partitionBy('id')))"),
    x("pandas_agg_window_growing", GROUPS + MEAN + "from pyspark.sql import Window\nresult = g.withColumn('m', mean_udf('v').over(Window.partitionBy('id').orderBy('v')))"),
    x("pandas_agg_window_rows", GROUPS + MEAN + "from pyspark.sql import Window\nresult = g.withColumn('m', mean_udf('v').over(Window.partitionBy('id').orderBy('v').rowsBetween(-1, 1)))"),
    # cogroup().applyInPandas / applyInArrow.
    x("cogroup_pandas_merge", COGROUP + "def asof(l, r):\n    return pd.merge(l, r, on='time', how='outer')\nresult = df1.groupby('id').cogroup(df2.groupby('id')).applyInPandas(asof, 'time long, id_x long, v1 double, id_y long, v2 string')"),
    x("cogroup_pandas_with_key", COGROUP + "def k(key, l, r):\n    return pd.DataFrame([key + (len(l), len(r))])\nresult = df1.groupby('id').cogroup(df2.groupby('id')).applyInPandas(k, 'id long, nl long, nr long')"),
    x("cogroup_arrow", COGROUP + "def a(l, r):\n    return pa.table({'nl': [l.num_rows], 'nr': [r.num_rows]})\nresult = df1.groupby('id').cogroup(df2.groupby('id')).applyInArrow(a, 'nl long, nr long')"),
    x("cogroup_empty_side", COGROUP + "def k(key, l, r):\n    return pd.DataFrame([key + (len(l), len(r))])\nresult = df1.groupby('id').cogroup(df2.filter('id > 100').groupby('id')).applyInPandas(k, 'id long, nl long, nr long')"),
    # foreach / foreachPartition run the function on every row / partition.
    x("foreach", "result = spark.range(5).foreach(lambda r: None)"),
    x("foreach_partition", "result = spark.range(5).foreachPartition(lambda it: None)"),
    x("foreach_raises", "result = spark.range(5).foreach(lambda r: 1 / 0)"),
    # Python UDTFs: inline, registered and called from SQL, lateral.
    x("udtf_inline", UDTF + "result = Square(F.lit(1), F.lit(4))"),
    x("udtf_keyword_args", UDTF + "result = Square(end=F.lit(3), start=F.lit(0))"),
    x("udtf_registered_sql", UDTF + "spark.udtf.register('scs_square', Square)\nresult = spark.sql('SELECT * FROM scs_square(2, 5)')"),
    x("udtf_lateral", UDTF + "spark.udtf.register('scs_square', Square)\nresult = spark.sql('SELECT * FROM VALUES (1), (3) AS t(a), LATERAL scs_square(a, a + 2)')"),
    x("udtf_lateral_alias", UDTF + "spark.udtf.register('scs_square', Square)\nresult = spark.sql('SELECT t.a, s.n FROM VALUES (1), (3) AS t(a), LATERAL scs_square(a, a + 1) AS s(n, sq)')"),
    x("udtf_terminate", "from pyspark.sql.functions import udtf\n@udtf(returnType='total: int, calls: int')\nclass Sum:\n    def __init__(self):\n        self.s, self.n = 0, 0\n    def eval(self, x: int):\n        self.s += x\n        self.n += 1\n    def terminate(self):\n        yield self.s, self.n\nresult = Sum(F.lit(5))"),
    x("udtf_strings", "from pyspark.sql.functions import udtf\n@udtf(returnType='w: string, n: int')\nclass Words:\n    def eval(self, s: str):\n        for w in (s or '').split():\n            yield w, len(w)\nresult = Words(F.lit('a bb ccc'))"),
    x("udtf_no_rows", "from pyspark.sql.functions import udtf\n@udtf(returnType='x: int')\nclass Nothing:\n    def eval(self, v: int):\n        return iter(())\nresult = Nothing(F.lit(1))"),
    x("udtf_raises", "from pyspark.sql.functions import udtf\n@udtf(returnType='x: int')\nclass Bad:\n    def eval(self, v: int):\n        raise ValueError('udtf failed')\nresult = Bad(F.lit(1))"),
    # UDTFs over a table argument: TABLE(t), PARTITION BY, ORDER BY, asTable().
    x("udtf_table_arg", TABLE_UDTF + "result = spark.sql('SELECT * FROM scs_rows(TABLE(SELECT id, id * 10 AS v FROM range(4)))')"),
    x("udtf_table_arg_partitioned", TABLE_UDTF + "result = spark.sql('SELECT * FROM scs_count(TABLE(SELECT id % 2 AS k, id AS v FROM range(7)) PARTITION BY k)')"),
    x("udtf_table_arg_ordered", TABLE_UDTF + "result = spark.sql('SELECT * FROM scs_first(TABLE(SELECT id % 2 AS k, id AS v FROM range(7)) PARTITION BY k ORDER BY v DESC)')"),
    x("udtf_table_arg_single_partition", TABLE_UDTF + "result = spark.sql('SELECT * FROM scs_count(TABLE(SELECT id % 3 AS k, id AS v FROM range(7)) WITH SINGLE PARTITION)')"),
    x("udtf_as_table", TABLE_UDTF + "df = spark.range(5).selectExpr('id % 2 AS k', 'id AS v')\nresult = Count(df.asTable().partitionBy(df.k))"),
    # arrow_udf grouped aggregates (pa.Array -> scalar).
    x("arrow_agg_group_by", GROUPS + "from pyspark.sql.functions import arrow_udf\nimport pyarrow.compute as pc\n@arrow_udf('double')\ndef amax(v: pa.Array) -> float:\n    return pc.max(v).as_py()\nresult = g.groupby('id').agg(amax('v').alias('m'))"),
    x("arrow_agg_global", GROUPS + "from pyspark.sql.functions import arrow_udf\nimport pyarrow.compute as pc\n@arrow_udf('long')\ndef n(v: pa.Array) -> int:\n    return len(v)\nresult = g.agg(n('v'))"),
    # UDTFs whose analyze method computes the result type (and partitioning).
    x("udtf_analyze", ANALYZE + "result = Repeat(F.lit('ab'), F.lit(2))"),
    x("udtf_analyze_sql", ANALYZE + "spark.udtf.register('scs_repeat', Repeat)\nresult = spark.sql(\"SELECT * FROM scs_repeat('x', 3)\")"),
    x("udtf_analyze_partitioning", ANALYZE + "spark.udtf.register('scs_cpk', CountPerKey)\nresult = spark.sql('SELECT * FROM scs_cpk(TABLE(SELECT id % 3 AS k, id AS v FROM range(10)))')"),
    x("udtf_analyze_raises", "from pyspark.sql.functions import udtf\n@udtf\nclass Broken:\n    @staticmethod\n    def analyze(x):\n        raise ValueError('cannot analyze')\n    def eval(self, x):\n        yield x,\nresult = Broken(F.lit(1))"),
    x("udtf_pickled", "from pyspark.sql.functions import udtf\n@udtf(returnType='x: int, s: string', useArrow=False)\nclass P:\n    def eval(self, n: int):\n        for i in range(n):\n            yield i, str(i)\nresult = P(F.lit(3))"),
    # Outputs beyond one Arrow batch (maxRecordsPerBatch is 10,000).
    x("map_in_pandas_many_rows", "result = spark.range(30000).mapInPandas(lambda it: (pd.concat([p, p]) for p in it), 'id long').agg(F.count('id'), F.sum('id'))"),
    x("apply_in_pandas_large_groups", "result = spark.range(30000).groupBy((F.col('id') % 2).alias('k')).applyInPandas(lambda p: p[['id']], 'id long').agg(F.count('id'), F.sum('id'))"),
]
