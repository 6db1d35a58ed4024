//! Unresolved relations (queries) and commands.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::{DataType, Expr, Literal, SortOrder};

/// What a client asked to run.
#[derive(Debug, Clone, PartialEq)]
pub enum Plan {
    Query(Relation),
    Command(Command),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Relation {
    /// The client's id for this DataFrame (`common.plan_id`), used by `df["col"]`.
    pub plan_id: Option<i64>,
    pub kind: RelationKind,
}

impl Relation {
    pub fn new(kind: RelationKind) -> Self {
        Self { plan_id: None, kind }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JoinType {
    Inner,
    FullOuter,
    LeftOuter,
    RightOuter,
    LeftAnti,
    LeftSemi,
    Cross,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetOpKind {
    Union,
    Intersect,
    Except,
}

#[derive(Debug, Clone, PartialEq)]
pub enum AggregateKind {
    GroupBy,
    /// SQL's `GROUP BY ALL`: the grouping keys are the select items that
    /// hold no aggregate function.
    GroupByAll,
    Rollup,
    Cube,
    GroupingSets(Vec<Vec<Expr>>),
    /// `implicit_grouping`: SQL's PIVOT groups by every input column the
    /// aggregates and the pivot column do not use.
    Pivot { column: Expr, values: Vec<Expr>, implicit_grouping: bool },
}

/// Which state of a table `TimeTravel` reads.
#[derive(Debug, Clone, PartialEq)]
pub enum TimeTravel {
    /// `VERSION AS OF` an integer or a string, as written.
    Version(String),
    /// `TIMESTAMP AS OF` an expression without column references.
    Timestamp(Expr),
}

#[derive(Debug, Clone, PartialEq)]
pub enum ReadSource {
    /// `spark.table(name)` / `FROM name`, name already split into parts.
    Table { name: Vec<String> },
    /// `spark.read.format(f).load(paths)`.
    DataSource {
        format: Option<String>,
        schema: Option<DataType>,
        options: BTreeMap<String, String>,
        paths: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum RelationKind {
    Range { start: i64, end: i64, step: i64, num_partitions: Option<i32> },
    /// Arrow IPC stream bytes with an optional explicit schema.
    LocalRelation { data: Option<IpcStream>, schema: Option<DataType> },
    /// SQL `VALUES` rows.
    Values { rows: Vec<Vec<Expr>>, names: Vec<String> },
    /// `SELECT` without `FROM`: one row, no columns.
    OneRow,
    Read(ReadSource),
    /// `FROM t VERSION AS OF v` / `FROM t TIMESTAMP AS OF ts`: a table as
    /// it was at a version or a time.
    TimeTravel { input: Box<Relation>, spec: TimeTravel },
    Project { input: Box<Relation>, exprs: Vec<Expr> },
    Filter { input: Box<Relation>, condition: Expr },
    /// `QUALIFY condition`: a filter of a SELECT's rows by its window
    /// functions (in the condition or the select list).
    Qualify { input: Box<Relation>, condition: Expr },
    Sort { input: Box<Relation>, order: Vec<SortOrder>, global: bool },
    /// `ORDER BY ALL [ASC|DESC] [NULLS FIRST|LAST]`: every output column in
    /// order, unless the input has a column named `all`, which is then the key.
    SortByAll { input: Box<Relation>, ascending: bool, nulls_first: Option<bool> },
    Limit { input: Box<Relation>, limit: i64 },
    Offset { input: Box<Relation>, offset: i64 },
    /// SQL's `LIMIT expr` / `OFFSET expr` with an expression other than an
    /// integer literal (`LIMIT 1 + 1`): a constant INT, checked when resolved.
    LimitExpression { input: Box<Relation>, value: Expr, offset: bool },
    Tail { input: Box<Relation>, limit: i64 },
    /// Output columns are exactly `aggregates` (the DataFrame API prepends the
    /// grouping columns itself). `having` filters groups, SQL style.
    Aggregate {
        input: Box<Relation>,
        kind: AggregateKind,
        grouping: Vec<Expr>,
        aggregates: Vec<Expr>,
        having: Option<Expr>,
    },
    /// `natural` joins on every column name both sides have (SQL's
    /// `NATURAL JOIN`), like `using` those names.
    Join {
        left: Box<Relation>,
        right: Box<Relation>,
        join_type: JoinType,
        condition: Option<Expr>,
        using: Vec<String>,
        natural: bool,
    },
    /// `df.lateralJoin(right)` / SQL `LATERAL (subquery)`: `right` may
    /// refer to `left`'s columns, evaluated for each left row.
    LateralJoin { left: Box<Relation>, right: Box<Relation>, join_type: JoinType, condition: Option<Expr> },
    /// `df._joinAsOf(...)`: each left row with the closest right row.
    AsOfJoin {
        left: Box<Relation>,
        right: Box<Relation>,
        left_as_of: Expr,
        right_as_of: Expr,
        condition: Option<Expr>,
        using: Vec<String>,
        /// `inner` or `left`.
        join_type: String,
        tolerance: Option<Expr>,
        allow_exact_matches: bool,
        /// `backward`, `forward` or `nearest`.
        direction: String,
    },
    SetOp {
        left: Box<Relation>,
        right: Box<Relation>,
        kind: SetOpKind,
        all: bool,
        by_name: bool,
        allow_missing: bool,
    },
    /// The DataFrame's `distinct()` / `dropDuplicates(columns)`: one row
    /// per distinct key (all columns when `columns` is `None`), the first
    /// one met. A sort or filter above it may still name columns dropped
    /// below it (they come along with that first row).
    Deduplicate { input: Box<Relation>, columns: Option<Vec<String>> },
    /// SQL's `SELECT DISTINCT`: the distinct rows of its input, which a
    /// sort or filter above it cannot see through.
    Distinct { input: Box<Relation> },
    SubqueryAlias { input: Box<Relation>, alias: String },
    ToDf { input: Box<Relation>, names: Vec<String> },
    /// `f(args) AS t(a, b)` in FROM: a table-valued function's output
    /// columns renamed (their count must be the function's).
    TableFunctionAlias { input: Box<Relation>, function: String, names: Vec<String> },
    WithColumns { input: Box<Relation>, columns: Vec<Expr> },
    /// SQL pipe `SET c = e, ...`: each aliased expression replaces the
    /// input's column of that name in place; a name the input lacks is an
    /// error (withColumns would append it).
    ReplaceColumns { input: Box<Relation>, columns: Vec<Expr> },
    WithColumnsRenamed { input: Box<Relation>, renames: Vec<(String, String)> },
    Drop { input: Box<Relation>, columns: Vec<Expr>, names: Vec<String> },
    /// Repartition and coalesce do not change results.
    Repartition { input: Box<Relation> },
    Sample {
        input: Box<Relation>,
        lower: f64,
        upper: f64,
        with_replacement: bool,
        seed: Option<i64>,
    },
    ShowString { input: Box<Relation>, num_rows: i32, truncate: i32, vertical: bool },
    HtmlString { input: Box<Relation>, num_rows: i32, truncate: i32 },
    /// `df.na.fill`: one value for every column of its type (or of `columns`),
    /// or one value per column of `columns`.
    FillNa { input: Box<Relation>, columns: Vec<String>, values: Vec<Literal> },
    /// `df.na.drop`: keep rows with at least `min_non_nulls` non-null, non-NaN
    /// values among `columns` (all columns when empty); `None` means all of them.
    DropNa { input: Box<Relation>, columns: Vec<String>, min_non_nulls: Option<i32> },
    /// `df.na.replace`: (old, new) pairs applied to `columns` (all when empty).
    ReplaceNa { input: Box<Relation>, columns: Vec<String>, replacements: Vec<(Literal, Literal)> },
    /// `df.unpivot` / `melt`: `values` `None` means every non-id column;
    /// `ids` `None` (SQL's UNPIVOT) means every column that is not a value.
    Unpivot { input: Box<Relation>, ids: Option<Vec<Expr>>, values: Option<Vec<Expr>>, variable_name: String, value_name: String },
    /// `mapInPandas` / `mapInArrow`: a Python function over each
    /// partition's batches, producing rows of the function's return type.
    MapPartitions { input: Box<Relation>, function: crate::PythonFunction, barrier: bool },
    /// `groupBy(keys).applyInPandas` / `applyInArrow`: a Python function
    /// over each group of rows with equal keys.
    GroupMap { input: Box<Relation>, grouping: Vec<Expr>, function: crate::PythonFunction },
    /// `df1.groupBy(k).cogroup(df2.groupBy(k)).applyInPandas` /
    /// `applyInArrow`: a Python function over each key's rows of both.
    CoGroupMap { left: Box<Relation>, left_grouping: Vec<Expr>, right: Box<Relation>, right_grouping: Vec<Expr>, function: crate::PythonFunction },
    /// `df.to(schema)`: columns reordered by name and cast to the schema.
    ToSchema { input: Box<Relation>, schema: DataType },
    /// `df.describe(cols)` and `df.summary(statistics)`.
    Summary { input: Box<Relation>, columns: Vec<String>, statistics: Vec<String> },
    /// `df.crosstab(left, right)`.
    Crosstab { input: Box<Relation>, left: String, right: String },
    /// `df.cov` / `df.corr`: one row, one DOUBLE column.
    Covariance { input: Box<Relation>, left: String, right: String, correlation: bool },
    /// `df.approxQuantile`: one row, an `array<array<double>>`.
    ApproxQuantile { input: Box<Relation>, columns: Vec<String>, probabilities: Vec<f64>, relative_error: f64 },
    /// `df.freqItems`.
    FreqItems { input: Box<Relation>, columns: Vec<String>, support: f64 },
    /// `df.sampleBy(col, fractions, seed)`.
    SampleBy { input: Box<Relation>, column: Expr, fractions: Vec<(Literal, f64)>, seed: Option<i64> },
    /// `df.observe(name, metrics)`: the rows unchanged; the metrics are
    /// computed over them and reported beside the result.
    CollectMetrics { input: Box<Relation>, name: String, metrics: Vec<Expr> },
    /// `df.transpose(index)`.
    Transpose { input: Box<Relation>, index: Vec<Expr> },
    /// A relation the server materialized (`checkpoint`, `localCheckpoint`),
    /// by the id it gave the client.
    CachedRelation { id: String },
    /// A `persist()`ed relation: its rows are computed on the first action
    /// and kept under `id`; later reads scan them.
    Persisted { id: String, input: Box<Relation> },
    /// SQL's `LATERAL VIEW [OUTER] generator(...) [table] [AS c1, ...]`:
    /// every input column, then the generator's output for each row.
    LateralView { input: Box<Relation>, generator: Expr, outer: bool, table_alias: Option<String>, column_aliases: Vec<String> },
    /// CTEs: named relations visible inside `input` (`WITH RECURSIVE`:
    /// a CTE may read itself).
    With { input: Box<Relation>, ctes: Vec<Cte>, recursive: bool },
}

/// The bytes of an Arrow IPC stream (a local relation's rows). Its `Debug`
/// form is a digest, so that formatting (and fingerprinting) a plan does not
/// print megabytes of data.
#[derive(Clone, PartialEq)]
pub struct IpcStream(pub Arc<Vec<u8>>);

impl std::ops::Deref for IpcStream {
    type Target = Vec<u8>;

    fn deref(&self) -> &Vec<u8> {
        &self.0
    }
}

impl std::fmt::Debug for IpcStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.0.hash(&mut h);
        write!(f, "IpcStream({} bytes, {:016x})", self.0.len(), h.finish())
    }
}

/// One named query of a `WITH` clause.
#[derive(Debug, Clone, PartialEq)]
pub struct Cte {
    pub name: String,
    pub query: Relation,
    /// `MAX RECURSION LEVEL n` of a recursive CTE (else the session's
    /// `spark.sql.cteRecursionLevelLimit`).
    pub max_recursion_level: Option<u32>,
}

impl Cte {
    pub fn new(name: impl Into<String>, query: Relation) -> Self {
        Self { name: name.into(), query, max_recursion_level: None }
    }
}

impl Relation {
    /// The relations this one reads (not those inside its expressions).
    pub fn children(&self) -> Vec<&Relation> {
        use RelationKind as K;
        match &self.kind {
            K::Range { .. } | K::LocalRelation { .. } | K::Values { .. } | K::OneRow | K::Read(_) | K::CachedRelation { .. } => vec![],
            K::Join { left, right, .. }
            | K::LateralJoin { left, right, .. }
            | K::AsOfJoin { left, right, .. }
            | K::SetOp { left, right, .. }
            | K::CoGroupMap { left, right, .. } => vec![left, right],
            K::With { input, ctes, .. } => {
                let mut v: Vec<&Relation> = ctes.iter().map(|c| &c.query).collect();
                v.push(input);
                v
            }
            K::Project { input, .. }
            | K::Filter { input, .. }
            | K::Qualify { input, .. }
            | K::Sort { input, .. }
            | K::Limit { input, .. }
            | K::Offset { input, .. }
            | K::LimitExpression { input, .. }
            | K::Tail { input, .. }
            | K::SortByAll { input, .. }
            | K::Aggregate { input, .. }
            | K::Deduplicate { input, .. }
            | K::Distinct { input }
            | K::SubqueryAlias { input, .. }
            | K::ToDf { input, .. }
            | K::TableFunctionAlias { input, .. }
            | K::WithColumns { input, .. }
            | K::ReplaceColumns { input, .. }
            | K::WithColumnsRenamed { input, .. }
            | K::Drop { input, .. }
            | K::Repartition { input }
            | K::TimeTravel { input, .. }
            | K::Sample { input, .. }
            | K::ShowString { input, .. }
            | K::HtmlString { input, .. }
            | K::FillNa { input, .. }
            | K::DropNa { input, .. }
            | K::ReplaceNa { input, .. }
            | K::Unpivot { input, .. }
            | K::ToSchema { input, .. }
            | K::Summary { input, .. }
            | K::Crosstab { input, .. }
            | K::Covariance { input, .. }
            | K::ApproxQuantile { input, .. }
            | K::FreqItems { input, .. }
            | K::SampleBy { input, .. }
            | K::CollectMetrics { input, .. }
            | K::Transpose { input, .. }
            | K::Persisted { input, .. }
            | K::LateralView { input, .. }
            | K::MapPartitions { input, .. }
            | K::GroupMap { input, .. } => vec![input],
        }
    }
}

impl Relation {
    /// The expressions this relation itself holds (not its inputs').
    pub fn expressions(&self) -> Vec<&Expr> {
        use RelationKind as K;
        match &self.kind {
            K::Values { rows, .. } => rows.iter().flatten().collect(),
            K::Project { exprs, .. } | K::WithColumns { columns: exprs, .. } | K::ReplaceColumns { columns: exprs, .. } | K::Drop { columns: exprs, .. } => exprs.iter().collect(),
            K::CollectMetrics { metrics: exprs, .. } | K::Transpose { index: exprs, .. } => exprs.iter().collect(),
            K::Filter { condition, .. } | K::Qualify { condition, .. } => vec![condition],
            K::Sort { order, .. } => order.iter().map(|s| &s.expr).collect(),
            K::Aggregate { kind, grouping, aggregates, having, .. } => {
                let mut v: Vec<&Expr> = grouping.iter().chain(aggregates).chain(having).collect();
                match kind {
                    AggregateKind::GroupingSets(sets) => v.extend(sets.iter().flatten()),
                    AggregateKind::Pivot { column, values, .. } => v.extend(std::iter::once(column).chain(values)),
                    _ => {}
                }
                v
            }
            K::Join { condition, .. } | K::LateralJoin { condition, .. } => condition.iter().collect(),
            K::AsOfJoin { left_as_of, right_as_of, condition, tolerance, .. } => {
                [left_as_of, right_as_of].into_iter().chain(condition).chain(tolerance).collect()
            }
            K::Unpivot { ids, values, .. } => ids.iter().flatten().chain(values.iter().flatten()).collect(),
            K::SampleBy { column, .. } => vec![column],
            K::LateralView { generator, .. } => vec![generator],
            K::GroupMap { grouping, .. } => grouping.iter().collect(),
            K::CoGroupMap { left_grouping, right_grouping, .. } => left_grouping.iter().chain(right_grouping).collect(),
            _ => vec![],
        }
    }
}

/// A table-valued function call in FROM (SQL) or `spark.tvf.f(...)`:
/// `range` of integer constants becomes a Range; the others (`explode`,
/// `inline`, `stack`, ...) a generator over one row. `None` when `range`
/// has arguments that are not integer constants.
pub fn table_valued_function(name: &str, args: Vec<Expr>) -> Option<Relation> {
    let lower = name.to_ascii_lowercase();
    if lower == "range" {
        let ints: Vec<i64> = args
            .iter()
            .map(|a| match a {
                Expr::Literal(Literal::Integer(v)) => Some(*v as i64),
                Expr::Literal(Literal::Long(v)) => Some(*v),
                _ => None,
            })
            .collect::<Option<_>>()?;
        let (start, end, step, num_partitions) = match ints.as_slice() {
            [e] => (0, *e, 1, None),
            [s, e] => (*s, *e, 1, None),
            [s, e, st] => (*s, *e, *st, None),
            [s, e, st, n] => (*s, *e, *st, Some(*n as i32)),
            _ => return None,
        };
        return Some(Relation::new(RelationKind::Range { start, end, step, num_partitions }));
    }
    // A generator's rows: LATERAL VIEW semantics over one row with no columns.
    Some(Relation::new(RelationKind::LateralView {
        input: Box::new(Relation::new(RelationKind::OneRow)),
        generator: Expr::func(&lower, args),
        outer: false,
        table_alias: None,
        column_aliases: vec![],
    }))
}

/// The temp-view name under which a materialized relation is kept.
pub fn cached_relation_view(id: &str) -> String {
    format!("{CACHED_RELATION_PREFIX}{id}")
}

/// The hidden view holding a cached persistent table's rows (`CACHE TABLE db.t`).
pub fn cached_table_view(database: &str, name: &str) -> String {
    cached_relation_view(&format!("table:{}.{}", database.to_lowercase(), name.to_lowercase()))
}

/// Views with this prefix hold materialized relations, not user views.
pub const CACHED_RELATION_PREFIX: &str = "__cached_relation_";

/// The value of `SET TIME ZONE`.
#[derive(Debug, Clone, PartialEq)]
pub enum TimeZoneSetting {
    /// A region or offset (`'America/New_York'`, `'+02:00'`).
    Zone(String),
    /// `LOCAL`: the server's own time zone.
    Local,
}

/// A statement that refreshes what is known about a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableMaintenance {
    Refresh,
    Repair,
    Analyze,
}

/// A row-level change of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowLevelOperation {
    Delete,
    Update,
    Merge,
}

/// Commands run eagerly; their result is a small table.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    CreateView { name: Vec<String>, input: Box<Relation>, replace: bool, global: bool },
    DropView { name: Vec<String>, if_exists: bool },
    /// `SET key=value`, `SET key`, `SET` (all).
    SetConf { key: Option<String>, value: Option<String> },
    /// `SET TIME ZONE 'zone' | INTERVAL ... | LOCAL`.
    SetTimeZone(TimeZoneSetting),
    ResetConf { key: Option<String> },
    ShowTables { database: Option<String>, pattern: Option<String> },
    ShowViews { database: Option<String>, pattern: Option<String> },
    ShowDatabases { pattern: Option<String> },
    ShowCatalogs,
    ShowColumns { table: Vec<String> },
    /// `SHOW [USER | SYSTEM | ALL] FUNCTIONS`: `user` / `system` say which
    /// functions are listed (both for ALL and no word).
    ShowFunctions { pattern: Option<String>, user: bool, system: bool },
    DescribeFunction { name: String, extended: bool },
    /// `CACHE [LAZY] TABLE name [AS query]`: with a query, also a temp view.
    CacheTable { name: Vec<String>, input: Option<Box<Relation>> },
    UncacheTable { name: Vec<String>, if_exists: bool },
    ClearCache,
    /// `DESCRIBE [TABLE] [EXTENDED | FORMATTED] t`.
    DescribeTable { table: Vec<String>, extended: bool },
    /// `DESCRIBE [TABLE] [EXTENDED] t col`: one column's name, type and
    /// comment (and, extended, its statistics).
    DescribeColumn { table: Vec<String>, column: Vec<String>, extended: bool },
    /// `REFRESH TABLE`, `MSCK REPAIR TABLE`, `ANALYZE TABLE`: checks the
    /// table exists; partitions and files are listed at each read anyway.
    TableMaintenance { table: Vec<String>, operation: TableMaintenance },
    /// `REFRESH 'path'`: nothing is cached by path here.
    RefreshPath,
    DescribeQuery { input: Box<Relation> },
    Explain { input: Box<Relation>, mode: String },
    UseDatabase { name: Vec<String> },
    /// A `spark.catalog` call.
    Catalog(crate::CatalogCommand),
    /// `df.write...`: rows to files or a table.
    Write(crate::WriteCommand),
    /// `df.writeTo(table)...`.
    WriteTo(crate::WriteToCommand),
    CreateDatabase(crate::CreateDatabase),
    DropDatabase { name: Vec<String>, if_exists: bool, cascade: bool },
    CreateTable(Box<crate::CreateTable>),
    CreatePersistentView(Box<crate::CreatePersistentView>),
    /// `CREATE [OR REPLACE] [TEMPORARY] FUNCTION name(params) RETURN body`.
    CreateSqlFunction(Box<crate::CreateSqlFunction>),
    /// `DROP [TEMPORARY] FUNCTION [IF EXISTS] name`.
    DropFunction { name: Vec<String>, temporary: bool, if_exists: bool },
    DeclareVariable(Box<crate::DeclareVariable>),
    AlterDatabase { name: Vec<String>, action: crate::AlterDatabaseAction },
    /// `SHOW CURRENT NAMESPACE`: the current catalog and database.
    ShowCurrentNamespace,
    /// `SET VAR v = e, ...` or `SET VAR (v, ...) = (query)`.
    SetVariables { names: Vec<Vec<String>>, values: crate::VariableValues },
    /// `DROP TEMPORARY VARIABLE [IF EXISTS] name`.
    DropVariable { name: Vec<String>, if_exists: bool },
    ExecuteImmediate(Box<crate::ExecuteImmediate>),
    /// A SQL script (`BEGIN ... END`): its result is the last query's.
    Script(Box<crate::ScriptStatement>),
    /// `DROP TABLE` (a temporary view of that name first, as Spark).
    DropTable { name: Vec<String>, if_exists: bool },
    InsertInto(Box<crate::InsertInto>),
    TruncateTable { name: Vec<String> },
    /// `SHOW CREATE TABLE`.
    ShowCreateTable { name: Vec<String> },
    ShowPartitions { name: Vec<String> },
    /// `SHOW TBLPROPERTIES t [('key')]`.
    ShowTableProperties { name: Vec<String>, key: Option<String> },
    AlterTable { name: Vec<String>, action: crate::AlterTableAction },
    /// `DESCRIBE DATABASE [EXTENDED] d`: EXTENDED adds its properties.
    DescribeDatabase { name: Vec<String>, extended: bool },
    /// `DELETE`, `UPDATE`, `MERGE`: row-level changes file tables refuse.
    RowLevelChange { table: Vec<String>, operation: RowLevelOperation },
    /// `spark.udf.register(name, f)`: a Python function callable by name
    /// in this session (SQL, `call_udf`).
    RegisterPythonFunction(crate::PythonFunction),
    /// `spark.udtf.register(name, cls)`: a Python UDTF callable by name in
    /// this session's SQL.
    RegisterPythonTableFunction(crate::PythonTableFunction),
    /// Parsed but not supported yet; carries the statement kind for the error.
    NotSupported(String),
}
