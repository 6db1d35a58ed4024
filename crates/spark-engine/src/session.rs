//! A Spark session: its DataFusion context, configuration and temp views.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::execution::memory_pool::FairSpillPool;
use datafusion::execution::disk_manager::{DiskManagerBuilder, DiskManagerMode};
use datafusion::execution::runtime_env::{RuntimeEnv, RuntimeEnvBuilder};
use datafusion::execution::session_state::SessionStateBuilder;
use datafusion::optimizer::{Optimizer, OptimizerRule};
use datafusion::logical_expr::LogicalPlan;
use datafusion::prelude::{SessionConfig, SessionContext};
use futures::TryStreamExt;
use spark_plan::{DataType, Relation};
use spark_resolver::{ResolvedRelation, Resolver, ResolverConfig, TempView, ViewCatalog};

use crate::error::ExceptionKind;
use crate::output::{OutputColumn, QueryStream, output_schema};
use crate::{EngineError, EngineResult, SparkConf, show};

/// Server-wide settings for every session.
#[derive(Debug, Clone)]
pub struct EngineSettings {
    /// Memory for query execution; operators spill to disk beyond it.
    pub memory_limit_bytes: usize,
    pub spill_dir: Option<PathBuf>,
    pub warehouse_dir: PathBuf,
    /// Spark confs every new session starts with.
    pub default_confs: BTreeMap<String, String>,
    pub target_partitions: usize,
    /// Python UDF workers; `None` refuses Python UDFs.
    pub python: Option<spark_python::WorkerSettings>,
}

impl Default for EngineSettings {
    fn default() -> Self {
        Self {
            memory_limit_bytes: 4 << 30,
            spill_dir: None,
            warehouse_dir: PathBuf::from("spark-warehouse"),
            default_confs: BTreeMap::new(),
            target_partitions: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2),
            python: Some(spark_python::WorkerSettings::default()),
        }
    }
}

/// What all sessions share: the memory pool and spill files, global temp views.
pub struct SessionShared {
    pub settings: EngineSettings,
    pub runtime: Arc<RuntimeEnv>,
    pub global_views: ViewCatalog,
    /// Persistent databases and tables of `spark_catalog`.
    pub catalog: Arc<dyn spark_catalog::Catalog>,
    /// The Python UDF workers of every session.
    pub python: Option<Arc<spark_python::WorkerPool>>,
}

impl SessionShared {
    pub fn new(mut settings: EngineSettings) -> EngineResult<Arc<Self>> {
        let mut disk = DiskManagerBuilder::default();
        if let Some(dir) = &settings.spill_dir {
            disk = disk.with_mode(DiskManagerMode::Directories(vec![dir.clone()]));
        }
        let runtime = RuntimeEnvBuilder::new()
            .with_memory_pool(Arc::new(FairSpillPool::new(settings.memory_limit_bytes)))
            .with_disk_manager_builder(disk)
            .build_arc()?;
        let warehouse = std::path::absolute(&settings.warehouse_dir).unwrap_or_else(|_| settings.warehouse_dir.clone());
        // Sessions read the warehouse as Spark reports it: a `file:` URI.
        settings.default_confs.entry("spark.sql.warehouse.dir".into()).or_insert_with(|| format!("file:{}", warehouse.display()));
        let catalog = spark_catalog::SqliteCatalog::open(&warehouse, &format!("file:{}", warehouse.display())).map_err(crate::tables::catalog_error)?;
        crate::tables::recover_tables(&catalog);
        let python = settings.python.clone().map(spark_python::WorkerPool::new);
        Ok(Arc::new(Self { settings, runtime, global_views: ViewCatalog::default(), catalog: Arc::new(catalog), python }))
    }
}

/// The eager result of a command: a small table (possibly with no columns).
pub struct CommandOutput {
    pub schema: SchemaRef,
    pub batches: Vec<RecordBatch>,
}

impl CommandOutput {
    /// A command's answer with no columns and no rows.
    pub fn empty() -> Self {
        Self { schema: Arc::new(datafusion::arrow::datatypes::Schema::empty()), batches: vec![] }
    }

    /// The result's schema as Spark types.
    pub fn spark_schema(&self) -> EngineResult<DataType> {
        let fields = self.schema.fields().iter().map(|f| Ok(spark_plan::StructField::new(f.name(), spark_resolver::types::from_arrow_field(f)?, f.is_nullable())));
        Ok(DataType::Struct(fields.collect::<EngineResult<Vec<_>>>()?))
    }

    pub fn num_rows(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }
}

pub struct SparkSession {
    pub(crate) shared: Arc<SessionShared>,
    pub(crate) ctx: SessionContext,
    /// The context's state, taken once for resolution: nothing registers
    /// into the context after creation, and cloning a state (its function
    /// registries) costs more than resolving a small plan. Queries still
    /// take a fresh state for their start time.
    pub(crate) state: Arc<datafusion::execution::SessionState>,
    /// What every execution runs with, made once from `state` for the same
    /// reason.
    pub(crate) task_ctx: Arc<datafusion::execution::TaskContext>,
    pub(crate) conf: RwLock<SparkConf>,
    pub(crate) views: ViewCatalog,
    /// Views `CACHE TABLE` replaced by their rows, with their definitions
    /// as they were before, for `UNCACHE TABLE` and `CLEAR CACHE`.
    pub(crate) cached_tables: std::sync::Mutex<Vec<TempView>>,
    /// `USE db`: where unqualified table names are looked up.
    pub(crate) current_database: RwLock<String>,
    /// Identifies the session's Python workers (reused by it alone).
    pub(crate) python_session: String,
    /// Python functions of `spark.udf.register`, by lower-case name.
    pub(crate) python_functions: RwLock<Arc<std::collections::HashMap<String, spark_plan::PythonFunction>>>,
    /// `.zip`/`.egg` files of `spark.addArtifact(..., pyfile=True)`, in the
    /// session's Python files directory.
    pub(crate) python_includes: RwLock<Vec<String>>,
    /// Python UDTFs of `spark.udtf.register`, by lower-case name.
    pub(crate) python_table_functions: RwLock<Arc<std::collections::HashMap<String, spark_plan::PythonTableFunction>>>,
    /// SQL functions of `CREATE TEMPORARY FUNCTION`, by lower-case name.
    pub(crate) sql_functions: RwLock<Arc<std::collections::HashMap<String, spark_plan::SqlFunction>>>,
    /// Variables of `DECLARE`, by lower-case name.
    pub(crate) variables: RwLock<Arc<std::collections::HashMap<String, spark_resolver::SessionVariable>>>,
}

/// The session confs Python workers read (pyspark's `RunnerConf`).
const PYTHON_RUNNER_CONFS: &[&str] = &[
    "spark.sql.session.timeZone",
    "spark.sql.execution.arrow.maxRecordsPerBatch",
    "spark.sql.execution.arrow.maxBytesPerBatch",
    "spark.sql.execution.pandas.convertToArrowArraySafely",
    "spark.sql.legacy.execution.pandas.groupedMap.assignColumnsByName",
    "spark.sql.execution.arrow.useLargeVarTypes",
    "spark.sql.legacy.execution.pythonUDF.pandas.conversion.enabled",
    "spark.sql.legacy.execution.pythonUDTF.pandas.conversion.enabled",
    "spark.sql.execution.pyspark.binaryAsBytes",
    "spark.sql.execution.pythonUDF.pandas.intToDecimalCoercionEnabled",
    "spark.sql.execution.pythonUDF.pandas.preferIntExtensionDtype",
    "spark.sql.execution.pythonUDF.arrow.concurrency.level",
];

impl Drop for SparkSession {
    /// The session's idle Python workers and Python files go with it.
    fn drop(&mut self) {
        if let Some(pool) = &self.shared.python {
            pool.release_session(&self.python_session);
        }
        let _ = std::fs::remove_dir_all(self.python_files_dir());
    }
}

/// DataFusion's optimizer rules with this server's: string views are
/// compared directly once filters have been pushed down to the casts that
/// read them (before common subexpressions are taken out), and carried as
/// views into the aggregations and sorts that group or order by them; a
/// single DISTINCT aggregation is left in a shape DataFusion plans in two
/// parallel phases.
pub(crate) fn optimizer_rules() -> Vec<Arc<dyn OptimizerRule + Send + Sync>> {
    let mut rules = Optimizer::new().rules;
    let after_pushdown = rules.iter().position(|r| r.name() == "push_down_filter").map_or(rules.len(), |i| i + 1);
    rules.insert(after_pushdown, Arc::new(crate::view_casts::CompareStringViews));
    let single_distinct = rules.iter().position(|r| r.name() == "single_distinct_aggregation_to_group_by").unwrap_or(rules.len());
    rules.insert(single_distinct, Arc::new(crate::distinct_aggregates::UnnameSingleDistinct));
    // After the equijoin keys are extracted from the decorrelated subqueries.
    let equijoins = rules.iter().position(|r| r.name() == "extract_equijoin_predicate").map_or(rules.len(), |i| i + 1);
    rules.insert(equijoins, Arc::new(crate::not_in_anti_join::NotInAsAntiJoin));
    rules.push(Arc::new(crate::late_string_casts::LateStringCasts));
    rules
}

/// Whether `plan` (its subqueries included) calls a function DataFusion
/// evaluates from the query's start time. Unsure counts as yes.
fn reads_start_time(plan: &LogicalPlan) -> bool {
    use datafusion::common::tree_node::{TreeNode, TreeNodeRecursion};
    use datafusion::logical_expr::Expr;
    let mut found = false;
    let walk = plan.apply_with_subqueries(|node| {
        node.apply_expressions(|e| {
            e.apply(|x| {
                if let Expr::ScalarFunction(f) = x
                    && matches!(f.func.name(), "now" | "current_date" | "current_time" | "current_timestamp" | "today")
                {
                    found = true;
                    return Ok(TreeNodeRecursion::Stop);
                }
                Ok(TreeNodeRecursion::Continue)
            })
        })?;
        Ok(if found { TreeNodeRecursion::Stop } else { TreeNodeRecursion::Continue })
    });
    found || walk.is_err()
}

/// DataFusion's physical optimizer rules, with joins and aggregations over
/// ranges and local rows planned in Spark's partitions.
pub(crate) fn physical_optimizer_rules() -> Vec<Arc<dyn datafusion::physical_optimizer::PhysicalOptimizerRule + Send + Sync>> {
    let mut rules = datafusion::physical_optimizer::optimizer::PhysicalOptimizer::new().rules;
    // After DataFusion's own choice of join sides, before distribution.
    let at = rules.iter().position(|r| r.name() == "join_selection").map_or(0, |i| i + 1);
    rules.insert(at, Arc::new(crate::sliced_aggregates::SlicedAggregates));
    rules.insert(at, Arc::new(crate::broadcast_joins::BroadcastJoins));
    rules
}

impl SparkSession {
    pub fn new(shared: Arc<SessionShared>) -> Self {
        let mut config = SessionConfig::new()
            .with_target_partitions(shared.settings.target_partitions)
            .with_information_schema(false);
        let opts = config.options_mut();
        opts.execution.parquet.schema_force_view_types = false;
        opts.sql_parser.map_string_types_to_utf8view = false;
        // Spark returns a plan's rows in partition order (`spark.range(n).collect()`
        // is ordered); spreading one stream round-robin over threads would
        // interleave them.
        opts.optimizer.enable_round_robin_repartition = false;
        let state = SessionStateBuilder::new()
            .with_config(config)
            .with_runtime_env(shared.runtime.clone())
            .with_default_features()
            .with_optimizer_rules(optimizer_rules())
            .with_physical_optimizer_rules(physical_optimizer_rules())
            .build();
        let ctx = SessionContext::new_with_state(state);
        ctx.add_analyzer_rule(Arc::new(crate::scalar_subquery_domain::DecorrelateScalarAggregates));
        let conf = SparkConf::new(&shared.settings.default_confs);
        let state = Arc::new(ctx.state());
        let task_ctx = state.task_ctx();
        Self {
            shared,
            ctx,
            state,
            task_ctx,
            conf: RwLock::new(conf),
            views: ViewCatalog::default(),
            cached_tables: Default::default(),
            current_database: RwLock::new(spark_catalog::DEFAULT_DATABASE.into()),
            python_session: uuid::Uuid::new_v4().to_string(),
            python_functions: Default::default(),
            sql_functions: Default::default(),
            variables: Default::default(),
            python_table_functions: Default::default(),
            python_includes: Default::default(),
        }
    }

    /// A new session with a copy of this one's confs, temporary views and
    /// cached tables (Spark Connect's `cloneSession`); later changes to
    /// either do not reach the other.
    pub fn clone_session(&self) -> Self {
        let mut clone = Self::new(self.shared.clone());
        if let Ok(mut conf) = clone.conf.write() {
            *conf = self.conf();
        }
        let cached = self.cached_tables.lock().map(|c| c.clone()).unwrap_or_default();
        let functions = self.python_functions.read().map(|f| f.clone()).unwrap_or_default();
        clone.views = self.views.snapshot();
        clone.cached_tables = std::sync::Mutex::new(cached);
        clone.current_database = RwLock::new(self.current_database());
        clone.python_functions = RwLock::new(functions);
        clone.python_table_functions = RwLock::new(self.python_table_functions.read().map(|f| f.clone()).unwrap_or_default());
        clone.sql_functions = RwLock::new(self.sql_functions.read().map(|f| f.clone()).unwrap_or_default());
        clone.variables = RwLock::new(self.variables.read().map(|v| v.clone()).unwrap_or_default());
        clone
    }

    pub fn conf(&self) -> SparkConf {
        self.conf.read().map(|c| c.clone()).unwrap_or_default()
    }

    /// How this session's SQL text reads.
    pub fn parse_options(&self) -> spark_sql_parser::ParseOptions {
        let conf = self.conf();
        spark_sql_parser::ParseOptions { escaped_string_literals: conf.bool("spark.sql.parser.escapedStringLiterals", false) }
    }

    pub fn current_database(&self) -> String {
        self.current_database.read().map(|d| d.clone()).unwrap_or_else(|_| spark_catalog::DEFAULT_DATABASE.into())
    }

    pub(crate) fn set_current_database(&self, name: &str) {
        if let Ok(mut d) = self.current_database.write() {
            *d = name.to_string();
        }
    }

    pub fn time_zone(&self) -> String {
        self.conf().get("spark.sql.session.timeZone").unwrap_or_else(|| "UTC".into())
    }

    /// Sets a conf, validating the values Spark validates.
    /// Sets a conf as `SET key=value` and the Config RPC do, refusing the
    /// keys Spark refuses.
    pub fn set_conf(&self, key: &str, value: &str) -> EngineResult<()> {
        match crate::conf::settable(key) {
            Err(crate::conf::Unsettable::StaticSql) => {
                return Err(EngineError::spark(
                    ExceptionKind::Analysis,
                    "CANNOT_MODIFY_STATIC_CONFIG",
                    "46110",
                    format!("Cannot modify the value of the static Spark config: \"{key}\"."),
                    &[("key", format!("\"{key}\""))],
                ));
            }
            Err(crate::conf::Unsettable::SparkCore) => {
                return Err(EngineError::spark(
                    ExceptionKind::Analysis,
                    "CANNOT_MODIFY_CONFIG",
                    "46110",
                    format!("Cannot modify the value of the Spark config: \"{key}\".\nSee also 'https://spark.apache.org/docs/latest/sql-migration-guide.html#ddl-statements'."),
                    &[("key", format!("\"{key}\"")), ("docroot", "https://spark.apache.org/docs/latest".into())],
                ));
            }
            Ok(()) => {}
        }
        if key == "spark.sql.session.timeZone" && value.parse::<chrono_tz::Tz>().is_err() && parse_offset(value).is_none() {
            return Err(EngineError::spark(
                ExceptionKind::IllegalArgument,
                "INVALID_CONF_VALUE.TIME_ZONE",
                "22022",
                format!("The value '{value}' in the config \"spark.sql.session.timeZone\" is invalid. Cannot resolve the given timezone."),
                &[("confValue", value.into()), ("confName", "spark.sql.session.timeZone".into())],
            ));
        }
        if let Ok(mut c) = self.conf.write() {
            c.set(key, value);
        }
        Ok(())
    }

    pub fn unset_conf(&self, key: &str) {
        if let Ok(mut c) = self.conf.write() {
            c.unset(key);
        }
    }

    pub fn reset_conf(&self) {
        if let Ok(mut c) = self.conf.write() {
            c.reset();
        }
    }

    pub(crate) fn resolver_config(&self) -> ResolverConfig {
        let conf = self.conf();
        let tz = conf.get("spark.sql.session.timeZone").unwrap_or_else(|| "UTC".into());
        ResolverConfig {
            case_sensitive: conf.bool("spark.sql.caseSensitive", false),
            ansi: conf.bool("spark.sql.ansi.enabled", true),
            time_zone: parse_offset(&tz).unwrap_or(tz),
            timestamp_nanos: conf.bool("spark.sql.timestampNanosTypes.enabled", false),
            default_parallelism: self.shared.settings.target_partitions,
            map_key_last_wins: conf.get("spark.sql.mapKeyDedupPolicy").is_some_and(|p| p.eq_ignore_ascii_case("LAST_WIN")),
            cte_recursion_level_limit: u32::try_from(conf.int("spark.sql.cteRecursionLevelLimit", 100)).unwrap_or(u32::MAX),
            current_database: self.current_database(),
            python: self.python_support(&conf),
            sql_functions: self.sql_functions.read().map(|f| f.clone()).unwrap_or_default(),
            variables: self.variables.read().map(|v| v.clone()).unwrap_or_default(),
        }
    }

    /// What this session's Python UDFs run with.
    fn python_support(&self, conf: &SparkConf) -> Option<spark_resolver::PythonSupport> {
        let pool = self.shared.python.clone()?;
        let mut runner_conf: Vec<(String, String)> = PYTHON_RUNNER_CONFS.iter().filter_map(|k| conf.get(k).map(|v| (k.to_string(), v))).collect();
        if !runner_conf.iter().any(|(k, _)| k == "spark.sql.session.timeZone") {
            runner_conf.push(("spark.sql.session.timeZone".into(), "UTC".into()));
        }
        let functions = self.python_functions.read().map(|f| f.clone()).unwrap_or_default();
        let table_functions = self.python_table_functions.read().map(|f| f.clone()).unwrap_or_default();
        let context = spark_python::PythonContext {
            pool,
            session_id: self.python_session.clone(),
            runner_conf,
            files_dir: self.python_files_dir(),
            includes: self.python_includes.read().map(|i| i.clone()).unwrap_or_default(),
            cancel: Default::default(),
        };
        Some(spark_resolver::PythonSupport { context, functions, table_functions })
    }

    /// Where the session's Python files live: on its workers' `sys.path`.
    fn python_files_dir(&self) -> PathBuf {
        std::env::temp_dir().join("spark-connect-python").join(&self.python_session)
    }

    /// `spark.addArtifact(path, pyfile=True)`: a `.py` file importable by
    /// this session's UDFs, or a `.zip`/`.egg` archive added to their path.
    pub fn add_python_file(&self, name: &str, data: &[u8]) -> EngineResult<()> {
        let plain = std::path::Path::new(name).file_name().and_then(|n| n.to_str()).filter(|n| *n == name && !n.starts_with('.'));
        let Some(file) = plain else {
            return Err(EngineError::IllegalArgument(format!("Invalid Python file artifact name: {name}")));
        };
        let dir = self.python_files_dir();
        let write = || -> std::io::Result<()> {
            std::fs::create_dir_all(&dir)?;
            let staged = dir.join(format!(".{file}.{}", uuid::Uuid::new_v4().simple()));
            std::fs::write(&staged, data)?;
            std::fs::rename(&staged, dir.join(file))
        };
        write().map_err(|e| EngineError::IllegalArgument(format!("Cannot store the Python file {name}: {e}")))?;
        if file.ends_with(".zip") || file.ends_with(".egg") {
            if let Ok(mut includes) = self.python_includes.write() {
                if !includes.iter().any(|i| i == file) {
                    includes.push(file.to_string());
                }
            }
        }
        Ok(())
    }

    /// `spark.udtf.register`: later calls by name in SQL resolve to `f`.
    pub(crate) fn register_python_table_function(&self, f: spark_plan::PythonTableFunction) {
        if let Ok(mut functions) = self.python_table_functions.write() {
            let mut updated = functions.as_ref().clone();
            updated.insert(f.name.to_ascii_lowercase(), f);
            *functions = Arc::new(updated);
        }
    }

    /// `spark.udf.register`: later calls by name resolve to `f`.
    pub(crate) fn register_python_function(&self, f: spark_plan::PythonFunction) {
        if let Ok(mut functions) = self.python_functions.write() {
            let mut updated = functions.as_ref().clone();
            updated.insert(f.name.to_ascii_lowercase(), f);
            *functions = Arc::new(updated);
        }
    }

    /// Resolves a query to a DataFusion plan plus Spark column names.
    pub fn resolve(&self, rel: &Relation) -> EngineResult<ResolvedRelation> {
        let config = self.resolver_config();
        let ctx = self.ctx.clone();
        let runner = move |plan: LogicalPlan| run_to_completion(&ctx, plan);
        let mut resolver = Resolver::new(&self.state, &config, &self.views, &self.shared.global_views).with_runner(&runner).with_catalog(self.shared.catalog.as_ref());
        Ok(resolver.resolve_query(rel)?)
    }

    pub(crate) fn output_fields(r: &ResolvedRelation) -> Vec<OutputColumn> {
        r.columns
            .iter()
            .zip(r.plan.schema().fields())
            .enumerate()
            .map(|(i, (c, f))| {
                let nullable = c.nullable.unwrap_or(f.is_nullable());
                let nested = spark_resolver::nested_nullability::spark_column_type(&r.plan, i);
                OutputColumn { name: c.name.clone(), field: f.as_ref().clone().with_nullable(nullable), nested }
            })
            .collect()
    }

    /// The Spark schema of a query (AnalyzePlan.schema).
    pub fn schema(&self, rel: &Relation) -> EngineResult<DataType> {
        let r = self.resolve(rel)?;
        let tz = self.resolver_config().time_zone;
        Ok(output_schema(&Self::output_fields(&r), &tz)?.1)
    }

    /// Computes and keeps the rows of every `persist()`ed relation in `rel`
    /// that is not kept yet (innermost first), as Spark caches on the first
    /// action.
    pub async fn fill_caches(&self, rel: &Relation) -> EngineResult<()> {
        let mut pending = Vec::new();
        let mut stack = vec![rel];
        while let Some(r) = stack.pop() {
            if let spark_plan::RelationKind::Persisted { id, input } = &r.kind {
                if self.views.get(&spark_plan::relation::cached_relation_view(id)).is_none() {
                    pending.push((id.clone(), input.as_ref()));
                }
            }
            stack.extend(r.children());
        }
        // Children were pushed after their parents: fill from the end.
        for (id, input) in pending.into_iter().rev() {
            if self.views.get(&spark_plan::relation::cached_relation_view(&id)).is_none() {
                self.checkpoint(input, &id).await?;
            }
        }
        Ok(())
    }

    /// Starts a query; batches stream as DataFusion produces them.
    pub async fn execute(&self, rel: &Relation) -> EngineResult<QueryStream> {
        self.fill_caches(rel).await?;
        let r = self.resolve(rel)?;
        self.execute_resolved(r).await
    }

    pub async fn execute_resolved(&self, mut r: ResolvedRelation) -> EngineResult<QueryStream> {
        let tz = self.resolver_config().time_zone;
        let (schema, spark_schema) = output_schema(&Self::output_fields(&r), &tz)?;
        r.plan = self.in_result_order(r.plan)?;
        // A plan that reads the query's start time (`current_timestamp()`
        // and friends) gets a fresh state, which fixes that time; any other
        // plan is planned with the session's state, without copying its
        // registries per query.
        let physical = if reads_start_time(&r.plan) {
            self.ctx.state().create_physical_plan(&r.plan).await?
        } else {
            self.state.create_physical_plan(&r.plan).await?
        };
        let stream = crate::partition_order::execute_in_partition_order(physical.clone(), self.task_ctx.clone())?;
        Ok(QueryStream::new(schema, spark_schema, physical, stream))
    }

    /// A query's plan with its rows in Spark's order: groups and windows as
    /// Spark's shuffle leaves them.
    fn in_result_order(&self, plan: datafusion::logical_expr::LogicalPlan) -> EngineResult<datafusion::logical_expr::LogicalPlan> {
        let partitions = self.conf().get("spark.sql.shuffle.partitions").and_then(|p| p.trim().parse::<i32>().ok()).unwrap_or(200);
        Ok(crate::shuffle_order::in_shuffle_order(plan, partitions)?)
    }

    /// Runs a query to completion (for small results: show, commands).
    pub async fn collect(&self, rel: &Relation) -> EngineResult<(Vec<String>, Vec<RecordBatch>)> {
        self.fill_caches(rel).await?;
        let r = self.resolve(rel)?;
        let names = r.names();
        let stream = self.execute_resolved(r).await?;
        let batches: Vec<RecordBatch> = stream.try_collect().await?;
        Ok((names, batches))
    }

    /// `df.show(n, truncate, vertical)`.
    pub async fn show_string(&self, input: &Relation, num_rows: i32, truncate: i32, vertical: bool) -> EngineResult<String> {
        let n = num_rows.max(0) as usize;
        let limited = Relation::new(spark_plan::RelationKind::Limit { input: Box::new(input.clone()), limit: n as i64 + 1 });
        self.fill_caches(&limited).await?;
        let r = self.resolve(&limited)?;
        let names = r.names();
        let stream = self.execute_resolved(r).await?;
        // The columns' Spark types: an interval prints with its fields.
        let types: Vec<DataType> = match &stream.spark_schema {
            DataType::Struct(fields) => fields.iter().map(|f| f.data_type.clone()).collect(),
            _ => vec![],
        };
        let batches: Vec<RecordBatch> = stream.try_collect().await?;
        Ok(show::show_string(&names, &types, &batches, n, truncate.max(0) as usize, vertical, &self.resolver_config().time_zone))
    }

    pub async fn html_string(&self, input: &Relation, num_rows: i32, truncate: i32) -> EngineResult<String> {
        let n = num_rows.max(0) as usize;
        let limited = Relation::new(spark_plan::RelationKind::Limit { input: Box::new(input.clone()), limit: n as i64 + 1 });
        let (names, batches) = self.collect(&limited).await?;
        Ok(show::html_string(&names, &batches, n, truncate.max(0) as usize, &self.resolver_config().time_zone))
    }

    /// `df.explain()`: the physical plan DataFusion would run; `extended`
    /// also shows the analyzed and optimized logical plans, as Spark does.
    pub async fn explain(&self, rel: &Relation, extended: bool) -> EngineResult<String> {
        let mut r = self.resolve(rel)?;
        r.plan = self.in_result_order(r.plan)?;
        let state = self.ctx.state();
        let optimized = state.optimize(&r.plan)?;
        let physical = state.query_planner().create_physical_plan(&optimized, &state).await?;
        let mut out = String::new();
        if extended {
            out.push_str("== Analyzed Logical Plan ==\n");
            out.push_str(&format!("{}\n\n", r.plan.display_indent()));
            out.push_str("== Optimized Logical Plan ==\n");
            out.push_str(&format!("{}\n\n", optimized.display_indent()));
        }
        out.push_str("== Physical Plan ==\n");
        out.push_str(&format!("{}\n", datafusion::physical_plan::displayable(physical.as_ref()).indent(true)));
        Ok(out)
    }

    /// `createOrReplaceTempView` and friends.
    pub fn create_temp_view(&self, name: &str, rel: &Relation, replace: bool, global: bool) -> EngineResult<()> {
        let relation = self.resolve(rel)?;
        let catalog = if global { &self.shared.global_views } else { &self.views };
        if !catalog.put(TempView { name: name.to_string(), relation }, replace) {
            return Err(EngineError::spark(
                ExceptionKind::Analysis,
                "TEMP_TABLE_OR_VIEW_ALREADY_EXISTS",
                "42P07",
                format!("Cannot create the temporary view `{name}` because it already exists.\nChoose a different name, drop or replace the existing view,  or add the IF NOT EXISTS clause to tolerate pre-existing views."),
                &[("relationName", format!("`{name}`"))],
            ));
        }
        Ok(())
    }

    /// `checkpoint()`: runs the relation now and keeps its rows under `id`;
    /// `CachedRelation { id }` reads them back without recomputing.
    pub async fn checkpoint(&self, rel: &Relation, id: &str) -> EngineResult<()> {
        let r = self.resolve(rel)?;
        let df = self.ctx.execute_logical_plan(r.plan.clone()).await?;
        let batches = df.collect().await?;
        let relation = spark_resolver::materialized(&r, batches)?;
        self.views.put(TempView { name: spark_plan::relation::cached_relation_view(id), relation }, true);
        Ok(())
    }

    /// `CACHE TABLE name [AS query]`: the view now reads rows computed once.
    pub async fn cache_table(&self, name: &[String], input: Option<&Relation>) -> EngineResult<()> {
        let view_missing = match name {
            [v] => input.is_none() && self.views.get(v).is_none(),
            _ => true,
        };
        if view_missing {
            let table = self.get_persistent_table(name)?.ok_or_else(|| spark_resolver::ResolveError::table_not_found(name))?;
            return self.cache_persistent_table(&table).await;
        }
        let [view] = name else {
            return Err(spark_resolver::ResolveError::table_not_found(name).into());
        };
        if let Some(q) = input {
            self.create_temp_view(view, q, true, false)?;
        }
        let Some(original) = self.views.get(view) else {
            return Err(spark_resolver::ResolveError::table_not_found(name).into());
        };
        let df = self.ctx.execute_logical_plan(original.relation.plan.clone()).await?;
        let batches = df.collect().await?;
        let relation = spark_resolver::materialized(&original.relation, batches)?;
        if let Ok(mut cached) = self.cached_tables.lock() {
            cached.retain(|t| !t.name.eq_ignore_ascii_case(view));
            cached.push(original.as_ref().clone());
        }
        self.views.put(TempView { name: original.name.clone(), relation }, true);
        Ok(())
    }

    /// `UNCACHE TABLE name`: the view reads its definition again.
    pub fn uncache_table(&self, name: &[String], if_exists: bool) -> EngineResult<()> {
        let view = name.join(".");
        let original = self.cached_tables.lock().ok().and_then(|mut cached| {
            let at = cached.iter().position(|t| t.name.eq_ignore_ascii_case(&view))?;
            Some(cached.remove(at))
        });
        match original {
            Some(t) => {
                self.views.put(t, true);
                Ok(())
            }
            None if self.views.get(&view).is_some() => Ok(()),
            None => match self.get_persistent_table(name).ok().flatten() {
                Some(table) => {
                    self.uncache_persistent_table(&table);
                    Ok(())
                }
                None if if_exists => Ok(()),
                None => Err(spark_resolver::ResolveError::table_not_found(name).into()),
            },
        }
    }

    /// `CLEAR CACHE`: every cached view reads its definition again.
    pub fn clear_cache(&self) {
        let all = self.cached_tables.lock().map(|mut c| std::mem::take(&mut *c)).unwrap_or_default();
        for t in all {
            self.views.put(t, true);
        }
        self.views.remove_prefixed(&spark_plan::relation::cached_relation_view("table:"));
    }

    /// Forgets a checkpoint (the client released its DataFrame).
    pub fn release_checkpoint(&self, id: &str) {
        self.views.remove(&spark_plan::relation::cached_relation_view(id));
    }

    pub fn plan_of(&self, rel: &Relation) -> EngineResult<LogicalPlan> {
        Ok(self.resolve(rel)?.plan)
    }

    pub fn views(&self) -> &ViewCatalog {
        &self.views
    }
}

/// Spark accepts `+08:00`-style zone offsets as well as region ids.
fn parse_offset(v: &str) -> Option<String> {
    let t = v.trim();
    let t = t.strip_prefix("GMT").or_else(|| t.strip_prefix("UTC")).unwrap_or(t);
    let (sign, rest) = match t.chars().next()? {
        '+' => (1, &t[1..]),
        '-' => (-1, &t[1..]),
        _ => return None,
    };
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) => (h.parse::<i32>().ok()?, m.parse::<i32>().ok()?),
        None => (rest.parse::<i32>().ok()?, 0),
    };
    if h > 18 || m > 59 {
        return None;
    }
    Some(format!("{}{:02}:{:02}", if sign > 0 { '+' } else { '-' }, h, m))
}

/// Runs a plan the resolver needs the answer of (pivot values) from
/// synchronous code: on a multi-threaded tokio worker the worker steps aside
/// while it blocks; anywhere else a private runtime on its own thread runs it.
pub(crate) fn run_to_completion(ctx: &SessionContext, plan: LogicalPlan) -> spark_resolver::ResolveResult<Vec<RecordBatch>> {
    let ctx = ctx.clone();
    let work = async move { ctx.execute_logical_plan(plan).await?.collect().await };
    let result = match tokio::runtime::Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(|| handle.block_on(work))
        }
        _ => std::thread::scope(|scope| {
            scope
                .spawn(|| {
                    tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .map_err(|e| datafusion::error::DataFusionError::External(Box::new(e)))?
                        .block_on(work)
                })
                .join()
                .unwrap_or_else(|_| Err(datafusion::error::DataFusionError::Execution("the query thread failed".into())))
        }),
    };
    Ok(result?)
}


#[cfg(test)]
mod tests {
    use datafusion::functions::expr_fn::now;
    use datafusion::logical_expr::{LogicalPlanBuilder, lit};

    use super::*;

    #[test]
    fn plans_reading_the_start_time_are_found() {
        let plain = LogicalPlanBuilder::empty(true).project(vec![lit(1).alias("a")]).and_then(|b| b.build()).expect("plan");
        let timed = LogicalPlanBuilder::empty(true).project(vec![now().alias("t")]).and_then(|b| b.build()).expect("plan");
        assert!(!reads_start_time(&plain));
        assert!(reads_start_time(&timed));
        let nested = LogicalPlanBuilder::from(plain).filter(lit(true)).and_then(|b| b.project(vec![now().alias("t")])).and_then(|b| b.build()).expect("plan");
        assert!(reads_start_time(&nested));
    }
}
