/// The Spark settings that change how a plan resolves.
#[derive(Debug, Clone)]
pub struct ResolverConfig {
    /// `spark.sql.caseSensitive` (default false).
    pub case_sensitive: bool,
    /// `spark.sql.ansi.enabled` (default true in Spark 4).
    pub ansi: bool,
    /// `spark.sql.session.timeZone`.
    pub time_zone: String,
    /// `spark.sql.timestampNanosTypes.enabled`: timestamp literals keep
    /// nanoseconds in their printed names.
    pub timestamp_nanos: bool,
    /// `spark.sql.mapKeyDedupPolicy` is `LAST_WIN`: a key met twice while
    /// building a map takes the last value instead of failing.
    pub map_key_last_wins: bool,
    /// Spark's default parallelism (`local[N]`'s N): how many partitions
    /// Spark splits `spark.range` and local data into.
    pub default_parallelism: usize,
    /// `spark.sql.cteRecursionLevelLimit`: the deepest level a recursive
    /// CTE may reach (its anchor is level 0).
    pub cte_recursion_level_limit: u32,
    /// The current database of `spark_catalog` (`USE db`).
    pub current_database: String,
    /// Python UDF support: the session's workers and registered functions;
    /// `None` where no worker pool exists (Python UDFs are then refused).
    pub python: Option<PythonSupport>,
    /// The session's SQL functions (`CREATE TEMPORARY FUNCTION`), by
    /// lower-case name.
    pub sql_functions: std::sync::Arc<std::collections::HashMap<String, spark_plan::SqlFunction>>,
    /// The session's variables (`DECLARE`), by lower-case name.
    pub variables: std::sync::Arc<std::collections::HashMap<String, crate::SessionVariable>>,
}

/// What Python UDFs of a session resolve with.
#[derive(Debug, Clone)]
pub struct PythonSupport {
    pub context: spark_python::PythonContext,
    /// Functions of `spark.udf.register`, by lower-case name.
    pub functions: std::sync::Arc<std::collections::HashMap<String, spark_plan::PythonFunction>>,
    /// UDTFs of `spark.udtf.register`, by lower-case name.
    pub table_functions: std::sync::Arc<std::collections::HashMap<String, spark_plan::PythonTableFunction>>,
}

impl Default for ResolverConfig {
    fn default() -> Self {
        Self { case_sensitive: false, ansi: true, time_zone: "UTC".into(), timestamp_nanos: false, map_key_last_wins: false, default_parallelism: 2, cte_recursion_level_limit: 100, current_database: "default".into(), python: None, sql_functions: Default::default(), variables: Default::default() }
    }
}

impl ResolverConfig {
    pub fn name_eq(&self, a: &str, b: &str) -> bool {
        if self.case_sensitive { a == b } else { a.eq_ignore_ascii_case(b) }
    }
}
