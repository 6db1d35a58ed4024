//! `spark.connect.Relation` → unresolved relations.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use spark_plan::{AggregateKind, Cte, Expr, JoinType, Plan, ReadSource, Relation, RelationKind, SetOpKind};
use spark_sql_parser::{parse_data_type, parse_identifier_parts, parse_statement_with_args};

use super::Required;
use super::expression::{convert_expression, convert_sort_order};
use super::literal::convert_literal;
use crate::error::{ServerError, ServerResult};
use crate::proto::sc;
use crate::proto::sc::relation::RelType;

/// The largest data a plan may carry (`[execution]` in the config).
#[derive(Debug, Clone, Copy)]
pub struct SizeLimits {
    pub max_literal_bytes: usize,
    pub max_local_relation_bytes: usize,
}

impl Default for SizeLimits {
    fn default() -> Self {
        Self { max_literal_bytes: 16 << 20, max_local_relation_bytes: 1 << 30 }
    }
}

/// What converting one plan needs beyond the proto itself.
pub struct RelationContext<'a> {
    pub limits: SizeLimits,
    depth: spark_plan::limits::DepthGuard,
    /// Cached artifacts by name (`cache/<sha256>`), for cached local relations.
    pub artifact: &'a (dyn Fn(&str) -> Option<Arc<Vec<u8>>> + Sync),
    /// `WithRelations.references` by plan id, for subquery expressions.
    references: HashMap<i64, sc::Relation>,
    /// The cache id of relations the session `persist()`ed.
    persisted: Option<&'a (dyn Fn(&Relation) -> Option<String> + Sync)>,
    /// How the session's SQL text reads (`spark.sql`, `expr()` strings).
    pub parse_options: spark_sql_parser::ParseOptions,
}

impl<'a> RelationContext<'a> {
    pub fn new(artifact: &'a (dyn Fn(&str) -> Option<Arc<Vec<u8>>> + Sync)) -> Self {
        Self { limits: SizeLimits::default(), depth: Default::default(), artifact, references: HashMap::new(), persisted: None, parse_options: Default::default() }
    }

    pub fn with_limits(mut self, limits: SizeLimits) -> Self {
        self.limits = limits;
        self
    }

    /// Spark's LOCAL_RELATION_SIZE_LIMIT_EXCEEDED beyond the configured size.
    pub(crate) fn check_local_relation(&self, bytes: usize) -> ServerResult<()> {
        let limit = self.limits.max_local_relation_bytes;
        if bytes <= limit {
            return Ok(());
        }
        Err(ServerError::Engine(spark_engine::EngineError::spark(
            spark_engine::error::ExceptionKind::Analysis,
            "LOCAL_RELATION_SIZE_LIMIT_EXCEEDED",
            "54000",
            format!("Local relation size ({bytes} bytes) exceeds the limit ({limit} bytes)."),
            &[("actualSize", bytes.to_string()), ("sizeLimit", limit.to_string())],
        )))
    }

    /// A string or binary literal beyond the configured size.
    pub(crate) fn check_literal(&self, bytes: usize) -> ServerResult<()> {
        let limit = self.limits.max_literal_bytes;
        if bytes <= limit {
            return Ok(());
        }
        Err(ServerError::Spark {
            kind: spark_engine::error::ExceptionKind::InvalidPlanInput,
            error_class: "CONNECT_INVALID_PLAN.LITERAL_TOO_LARGE".into(),
            sql_state: "54000".into(),
            message: format!("A literal of {bytes} bytes exceeds the server's limit of {limit} bytes (execution.max_literal_bytes); pass large data as a DataFrame."),
        })
    }

    pub fn with_parse_options(mut self, options: spark_sql_parser::ParseOptions) -> Self {
        self.parse_options = options;
        self
    }

    /// `persisted` gives the cache id of a converted relation that the
    /// session persisted.
    pub fn with_persisted(mut self, persisted: &'a (dyn Fn(&Relation) -> Option<String> + Sync)) -> Self {
        self.persisted = Some(persisted);
        self
    }

    /// One relation deeper (`spark_plan::limits`). This also bounds plans
    /// that grow while converting: subqueries that reference other plans,
    /// possibly in a cycle.
    pub(crate) fn enter_relation(&mut self) -> ServerResult<()> {
        self.depth.enter_relation().map_err(crate::error::plan_too_deep_error)
    }

    pub(crate) fn leave_relation(&mut self) {
        self.depth.leave_relation();
    }

    pub(crate) fn enter_expression(&mut self) -> ServerResult<()> {
        self.depth.enter_expression().map_err(crate::error::plan_too_deep_error)
    }

    pub(crate) fn leave_expression(&mut self) {
        self.depth.leave_expression();
    }

    pub(crate) fn subquery(&mut self, s: &sc::SubqueryExpression) -> ServerResult<Expr> {
        use sc::subquery_expression::SubqueryType;
        let rel = self
            .references
            .get(&s.plan_id)
            .cloned()
            .ok_or_else(|| ServerError::invalid_plan(format!("the subquery references an unknown plan id {}", s.plan_id)))?;
        let plan = Box::new(convert_relation(&rel, self)?);
        Ok(match SubqueryType::try_from(s.subquery_type).unwrap_or(SubqueryType::Unknown) {
            SubqueryType::Scalar => Expr::ScalarSubquery(plan),
            SubqueryType::Exists => Expr::Exists { plan, negated: false },
            SubqueryType::In => {
                let values = s
                    .in_subquery_values
                    .iter()
                    .map(|v| convert_expression(v, self))
                    .collect::<ServerResult<Vec<_>>>()?;
                Expr::InSubquery { values, plan, negated: false }
            }
            // `df.asTable().partitionBy(...).orderBy(...)`, a UDTF's argument.
            SubqueryType::TableArg => {
                let options = s.table_arg_options.clone().unwrap_or_default();
                Expr::TableArgument(Box::new(spark_plan::TableArgument {
                    plan: *plan,
                    partition_by: options.partition_spec.iter().map(|e| convert_expression(e, self)).collect::<ServerResult<Vec<_>>>()?,
                    order_by: options.order_spec.iter().map(|o| convert_sort_order(o, self)).collect::<ServerResult<Vec<_>>>()?,
                    single_partition: options.with_single_partition.unwrap_or(false),
                }))
            }
            other => return Err(ServerError::unsupported(format!("{other:?} subqueries"))),
        })
    }
}

fn boxed(r: Option<&sc::Relation>, field: &str, ctx: &mut RelationContext) -> ServerResult<Box<Relation>> {
    Ok(Box::new(convert_relation(r.required(field)?, ctx)?))
}

fn exprs(v: &[sc::Expression], ctx: &mut RelationContext) -> ServerResult<Vec<Expr>> {
    v.iter().map(|e| convert_expression(e, ctx)).collect()
}

pub fn convert_relation(rel: &sc::Relation, ctx: &mut RelationContext) -> ServerResult<Relation> {
    ctx.enter_relation()?;
    let r = convert_inner(rel, ctx);
    ctx.leave_relation();
    // A persisted DataFrame reads its kept rows once they exist.
    Ok(read_persisted(r?, ctx))
}

fn read_persisted(input: Relation, ctx: &RelationContext) -> Relation {
    match ctx.persisted.and_then(|p| p(&input)) {
        Some(id) => Relation { plan_id: input.plan_id, kind: RelationKind::Persisted { id, input: Box::new(input) } },
        None => input,
    }
}

/// The root of an `ExecutePlan`: a query, or a command: one sent as a `Sql`
/// relation (Spark's `spark.sql()` runs commands eagerly, and ADBC drivers
/// send them this way) or a `spark.catalog` call.
pub enum Root {
    Query(Relation),
    Command(spark_plan::Command),
}

pub fn convert_root(rel: &sc::Relation, ctx: &mut RelationContext) -> ServerResult<Root> {
    let s = match &rel.rel_type {
        Some(RelType::Sql(s)) => s,
        Some(RelType::Catalog(c)) => return Ok(Root::Command(super::convert_catalog(c)?)),
        _ => return Ok(Root::Query(convert_relation(rel, ctx)?)),
    };
    ctx.enter_relation()?;
    let parsed = parse_sql(s, ctx);
    ctx.leave_relation();
    match parsed? {
        Plan::Command(c) => Ok(Root::Command(c)),
        Plan::Query(mut r) => {
            r.plan_id = rel.common.as_ref().and_then(|c| c.plan_id);
            Ok(Root::Query(read_persisted(r, ctx)))
        }
    }
}

fn convert_inner(rel: &sc::Relation, ctx: &mut RelationContext) -> ServerResult<Relation> {
    let plan_id = rel.common.as_ref().and_then(|c| c.plan_id);
    let t = rel.rel_type.as_ref().required("Relation.rel_type")?;
    let kind = match t {
        RelType::Range(r) => RelationKind::Range {
            start: r.start.unwrap_or(0),
            end: r.end,
            step: r.step,
            num_partitions: r.num_partitions,
        },
        RelType::LocalRelation(l) => RelationKind::LocalRelation {
            data: match &l.data {
                Some(d) => {
                    ctx.check_local_relation(d.len())?;
                    Some(spark_plan::IpcStream(Arc::new(d.clone())))
                }
                None => None,
            },
            schema: match &l.schema {
                Some(s) => Some(parse_schema_string(s)?),
                None => None,
            },
        },
        RelType::CachedLocalRelation(c) => {
            let data = (ctx.artifact)(&format!("cache/{}", c.hash))
                .ok_or_else(|| ServerError::invalid_plan(format!("cached local relation {} was not uploaded", c.hash)))?;
            ctx.check_local_relation(data.len())?;
            RelationKind::LocalRelation { data: Some(spark_plan::IpcStream(data)), schema: None }
        }
        RelType::ChunkedCachedLocalRelation(c) => chunked_local_relation(c, ctx)?,
        RelType::CachedRemoteRelation(c) => RelationKind::CachedRelation { id: c.relation_id.clone() },
        RelType::Read(r) if r.is_streaming => return Err(ServerError::unsupported("streaming reads (readStream); Structured Streaming is not supported")),
        RelType::Read(r) => match r.read_type.as_ref().required("Read.read_type")? {
            sc::read::ReadType::NamedTable(t) => {
                RelationKind::Read(ReadSource::Table { name: parse_identifier_parts(&t.unparsed_identifier).map_err(|e| ServerError::Engine(e.into()))? })
            }
            sc::read::ReadType::DataSource(d) => RelationKind::Read(ReadSource::DataSource {
                format: d.format.clone(),
                schema: match &d.schema {
                    Some(s) if !s.is_empty() => Some(parse_schema_string(s)?),
                    _ => None,
                },
                options: d.options.iter().map(|(k, v)| (k.clone(), v.clone())).collect::<BTreeMap<_, _>>(),
                paths: d.paths.clone(),
            }),
        },
        RelType::Project(p) => {
            let exprs = exprs(&p.expressions, ctx)?;
            match &p.input {
                Some(i) => RelationKind::Project { input: Box::new(convert_relation(i, ctx)?), exprs },
                None => RelationKind::Project { input: Box::new(Relation::new(RelationKind::OneRow)), exprs },
            }
        }
        RelType::Filter(f) => RelationKind::Filter {
            input: boxed(f.input.as_deref(), "Filter.input", ctx)?,
            condition: convert_expression(f.condition.as_ref().required("Filter.condition")?, ctx)?,
        },
        RelType::Join(j) => {
            let join_type = join_type(j.join_type);
            RelationKind::Join {
                left: boxed(j.left.as_deref(), "Join.left", ctx)?,
                right: boxed(j.right.as_deref(), "Join.right", ctx)?,
                join_type,
                condition: match &j.join_condition {
                    Some(c) => Some(convert_expression(c, ctx)?),
                    None => None,
                },
                using: j.using_columns.clone(),
                natural: false,
            }
        }
        RelType::LateralJoin(j) => RelationKind::LateralJoin {
            left: boxed(j.left.as_deref(), "LateralJoin.left", ctx)?,
            right: boxed(j.right.as_deref(), "LateralJoin.right", ctx)?,
            join_type: join_type(j.join_type),
            condition: match &j.join_condition {
                Some(c) => Some(convert_expression(c, ctx)?),
                None => None,
            },
        },
        RelType::UnresolvedTableValuedFunction(f) => {
            let args = f.arguments.iter().map(|a| convert_expression(a, ctx)).collect::<ServerResult<Vec<_>>>()?;
            let r = spark_plan::relation::table_valued_function(&f.function_name, args)
                .ok_or_else(|| ServerError::invalid_plan(format!("invalid arguments of table-valued function {}", f.function_name)))?;
            r.kind
        }
        RelType::AsOfJoin(j) => {
            let expr = |e: &Option<sc::Expression>, what: &str, ctx: &mut RelationContext| -> ServerResult<Expr> {
                match e {
                    Some(e) => convert_expression(e, ctx),
                    None => Err(ServerError::missing(what)),
                }
            };
            RelationKind::AsOfJoin {
                left: boxed(j.left.as_deref(), "AsOfJoin.left", ctx)?,
                right: boxed(j.right.as_deref(), "AsOfJoin.right", ctx)?,
                left_as_of: expr(&j.left_as_of, "AsOfJoin.left_as_of", ctx)?,
                right_as_of: expr(&j.right_as_of, "AsOfJoin.right_as_of", ctx)?,
                condition: match &j.join_expr {
                    Some(c) => Some(convert_expression(c, ctx)?),
                    None => None,
                },
                using: j.using_columns.clone(),
                join_type: j.join_type.clone(),
                tolerance: match &j.tolerance {
                    Some(t) => Some(convert_expression(t, ctx)?),
                    None => None,
                },
                allow_exact_matches: j.allow_exact_matches,
                direction: j.direction.clone(),
            }
        }
        RelType::SetOp(s) => {
            use sc::set_operation::SetOpType as P;
            let kind = match P::try_from(s.set_op_type).unwrap_or(P::Unspecified) {
                P::Intersect => SetOpKind::Intersect,
                P::Union => SetOpKind::Union,
                P::Except => SetOpKind::Except,
                P::Unspecified => return Err(ServerError::missing("SetOperation.set_op_type")),
            };
            RelationKind::SetOp {
                left: boxed(s.left_input.as_deref(), "SetOperation.left_input", ctx)?,
                right: boxed(s.right_input.as_deref(), "SetOperation.right_input", ctx)?,
                kind,
                all: s.is_all.unwrap_or(false),
                by_name: s.by_name.unwrap_or(false),
                allow_missing: s.allow_missing_columns.unwrap_or(false),
            }
        }
        RelType::Sort(s) => RelationKind::Sort {
            input: boxed(s.input.as_deref(), "Sort.input", ctx)?,
            order: s.order.iter().map(|o| convert_sort_order(o, ctx)).collect::<ServerResult<Vec<_>>>()?,
            global: s.is_global.unwrap_or(true),
        },
        RelType::Limit(l) => RelationKind::Limit { input: boxed(l.input.as_deref(), "Limit.input", ctx)?, limit: l.limit as i64 },
        RelType::Offset(o) => RelationKind::Offset { input: boxed(o.input.as_deref(), "Offset.input", ctx)?, offset: o.offset as i64 },
        RelType::Tail(t) => RelationKind::Tail { input: boxed(t.input.as_deref(), "Tail.input", ctx)?, limit: t.limit as i64 },
        RelType::Aggregate(a) => convert_aggregate(a, ctx)?,
        RelType::Sql(s) => return convert_sql(s, plan_id, ctx),
        RelType::WithRelations(w) => {
            for r in &w.references {
                if let Some(pid) = r.common.as_ref().and_then(|c| c.plan_id) {
                    ctx.references.insert(pid, r.clone());
                }
            }
            let root = convert_relation(w.root.as_deref().required("WithRelations.root")?, ctx)?;
            // References with an alias are visible by name (spark.sql with DataFrame arguments).
            let mut ctes = Vec::new();
            for r in &w.references {
                if let Some(RelType::SubqueryAlias(a)) = &r.rel_type {
                    ctes.push(Cte::new(a.alias.clone(), convert_relation(a.input.as_deref().required("SubqueryAlias.input")?, ctx)?));
                }
            }
            if ctes.is_empty() {
                return Ok(root);
            }
            RelationKind::With { input: Box::new(root), ctes, recursive: false }
        }
        RelType::Sample(s) => RelationKind::Sample {
            input: boxed(s.input.as_deref(), "Sample.input", ctx)?,
            lower: s.lower_bound,
            upper: s.upper_bound,
            with_replacement: s.with_replacement.unwrap_or(false),
            seed: s.seed,
        },
        RelType::Deduplicate(d) => RelationKind::Deduplicate {
            input: boxed(d.input.as_deref(), "Deduplicate.input", ctx)?,
            columns: if d.all_columns_as_keys.unwrap_or(false) || d.column_names.is_empty() {
                None
            } else {
                Some(d.column_names.clone())
            },
        },
        RelType::SubqueryAlias(s) => RelationKind::SubqueryAlias { input: boxed(s.input.as_deref(), "SubqueryAlias.input", ctx)?, alias: s.alias.clone() },
        RelType::Repartition(r) => RelationKind::Repartition { input: boxed(r.input.as_deref(), "Repartition.input", ctx)? },
        RelType::RepartitionByExpression(r) => RelationKind::Repartition { input: boxed(r.input.as_deref(), "RepartitionByExpression.input", ctx)? },
        RelType::Hint(h) => return convert_relation(h.input.as_deref().required("Hint.input")?, ctx).map(|mut r| {
            r.plan_id = plan_id.or(r.plan_id);
            r
        }),
        RelType::ToDf(t) => RelationKind::ToDf { input: boxed(t.input.as_deref(), "ToDF.input", ctx)?, names: t.column_names.clone() },
        RelType::WithColumnsRenamed(w) => {
            let mut renames: Vec<(String, String)> = w.renames.iter().map(|r| (r.col_name.clone(), r.new_col_name.clone())).collect();
            if renames.is_empty() {
                let mut m: Vec<_> = w.rename_columns_map.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                m.sort();
                renames = m;
            }
            RelationKind::WithColumnsRenamed { input: boxed(w.input.as_deref(), "WithColumnsRenamed.input", ctx)?, renames }
        }
        RelType::WithColumns(w) => {
            let input = boxed(w.input.as_deref(), "WithColumns.input", ctx)?;
            let mut columns = Vec::new();
            for a in &w.aliases {
                columns.push(Expr::Alias {
                    expr: Box::new(convert_expression(a.expr.as_deref().required("Alias.expr")?, ctx)?),
                    names: a.name.clone(),
                    metadata: a.metadata.clone(),
                });
            }
            RelationKind::WithColumns { input, columns }
        }
        RelType::Drop(d) => RelationKind::Drop {
            input: boxed(d.input.as_deref(), "Drop.input", ctx)?,
            columns: exprs(&d.columns, ctx)?,
            names: d.column_names.clone(),
        },
        RelType::ShowString(s) => RelationKind::ShowString {
            input: boxed(s.input.as_deref(), "ShowString.input", ctx)?,
            num_rows: s.num_rows,
            truncate: s.truncate,
            vertical: s.vertical,
        },
        RelType::HtmlString(s) => RelationKind::HtmlString {
            input: boxed(s.input.as_deref(), "HtmlString.input", ctx)?,
            num_rows: s.num_rows,
            truncate: s.truncate,
        },
        RelType::FillNa(f) => RelationKind::FillNa {
            input: boxed(f.input.as_deref(), "NAFill.input", ctx)?,
            columns: f.cols.clone(),
            values: literals(&f.values)?,
        },
        RelType::DropNa(d) => RelationKind::DropNa {
            input: boxed(d.input.as_deref(), "NADrop.input", ctx)?,
            columns: d.cols.clone(),
            min_non_nulls: d.min_non_nulls,
        },
        RelType::Replace(r) => RelationKind::ReplaceNa {
            input: boxed(r.input.as_deref(), "NAReplace.input", ctx)?,
            columns: r.cols.clone(),
            replacements: r
                .replacements
                .iter()
                .map(|p| Ok((convert_literal(p.old_value.as_ref().required("Replacement.old_value")?)?, convert_literal(p.new_value.as_ref().required("Replacement.new_value")?)?)))
                .collect::<ServerResult<Vec<_>>>()?,
        },
        RelType::Unpivot(u) => RelationKind::Unpivot {
            input: boxed(u.input.as_deref(), "Unpivot.input", ctx)?,
            ids: Some(exprs(&u.ids, ctx)?),
            values: match &u.values {
                Some(v) => Some(exprs(&v.values, ctx)?),
                None => None,
            },
            variable_name: u.variable_column_name.clone(),
            value_name: u.value_column_name.clone(),
        },
        // `MyUdtf(args)`: the UDTF's rows, as a generator over one row.
        RelType::CommonInlineUserDefinedTableFunction(f) => RelationKind::Project {
            input: Box::new(Relation::new(RelationKind::OneRow)),
            exprs: vec![Expr::PythonUdtf {
                function: super::expression::python_table_function(f)?,
                args: exprs(&f.arguments, ctx)?,
            }],
        },
        RelType::MapPartitions(m) => RelationKind::MapPartitions {
            input: boxed(m.input.as_deref(), "MapPartitions.input", ctx)?,
            function: super::expression::python_function(m.func.as_ref().required("MapPartitions.func")?)?,
            barrier: m.is_barrier.unwrap_or(false),
        },
        RelType::GroupMap(g) => {
            if g.is_map_groups_with_state.is_some() || g.transform_with_state_info.is_some() {
                return Err(ServerError::unsupported("applyInPandasWithState and transformWithState (streaming state)"));
            }
            RelationKind::GroupMap {
                input: boxed(g.input.as_deref(), "GroupMap.input", ctx)?,
                grouping: exprs(&g.grouping_expressions, ctx)?,
                function: super::expression::python_function(g.func.as_ref().required("GroupMap.func")?)?,
            }
        }
        RelType::CoGroupMap(g) => RelationKind::CoGroupMap {
            left: boxed(g.input.as_deref(), "CoGroupMap.input", ctx)?,
            left_grouping: exprs(&g.input_grouping_expressions, ctx)?,
            right: boxed(g.other.as_deref(), "CoGroupMap.other", ctx)?,
            right_grouping: exprs(&g.other_grouping_expressions, ctx)?,
            function: super::expression::python_function(g.func.as_ref().required("CoGroupMap.func")?)?,
        },
        RelType::ApplyInPandasWithState(_) => return Err(ServerError::unsupported("applyInPandasWithState (streaming state)")),
        RelType::ToSchema(t) => RelationKind::ToSchema {
            input: boxed(t.input.as_deref(), "ToSchema.input", ctx)?,
            schema: super::data_type::proto_to_type(t.schema.as_ref().required("ToSchema.schema")?)?,
        },
        RelType::Describe(d) => RelationKind::Summary {
            input: boxed(d.input.as_deref(), "StatDescribe.input", ctx)?,
            columns: d.cols.clone(),
            statistics: ["count", "mean", "stddev", "min", "max"].map(String::from).to_vec(),
        },
        RelType::Summary(s) => RelationKind::Summary {
            input: boxed(s.input.as_deref(), "StatSummary.input", ctx)?,
            columns: vec![],
            statistics: s.statistics.clone(),
        },
        RelType::Crosstab(c) => RelationKind::Crosstab { input: boxed(c.input.as_deref(), "StatCrosstab.input", ctx)?, left: c.col1.clone(), right: c.col2.clone() },
        RelType::Cov(c) => RelationKind::Covariance { input: boxed(c.input.as_deref(), "StatCov.input", ctx)?, left: c.col1.clone(), right: c.col2.clone(), correlation: false },
        RelType::Corr(c) => {
            if let Some(m) = c.method.as_deref().filter(|m| !m.eq_ignore_ascii_case("pearson")) {
                return Err(ServerError::Engine(spark_engine::error::EngineError::IllegalArgument(format!(
                    "Currently only the calculation of the Pearson Correlation coefficient is supported, not {m}."
                ))));
            }
            RelationKind::Covariance { input: boxed(c.input.as_deref(), "StatCorr.input", ctx)?, left: c.col1.clone(), right: c.col2.clone(), correlation: true }
        }
        RelType::ApproxQuantile(q) => RelationKind::ApproxQuantile {
            input: boxed(q.input.as_deref(), "StatApproxQuantile.input", ctx)?,
            columns: q.cols.clone(),
            probabilities: q.probabilities.clone(),
            relative_error: q.relative_error,
        },
        RelType::FreqItems(f) => RelationKind::FreqItems {
            input: boxed(f.input.as_deref(), "StatFreqItems.input", ctx)?,
            columns: f.cols.clone(),
            support: f.support.unwrap_or(0.01),
        },
        RelType::SampleBy(s) => RelationKind::SampleBy {
            input: boxed(s.input.as_deref(), "StatSampleBy.input", ctx)?,
            column: convert_expression(s.col.as_ref().required("StatSampleBy.col")?, ctx)?,
            fractions: s
                .fractions
                .iter()
                .map(|f| Ok((convert_literal(f.stratum.as_ref().required("Fraction.stratum")?)?, f.fraction)))
                .collect::<ServerResult<Vec<_>>>()?,
            seed: s.seed,
        },
        RelType::CollectMetrics(m) => RelationKind::CollectMetrics {
            input: boxed(m.input.as_deref(), "CollectMetrics.input", ctx)?,
            name: m.name.clone(),
            metrics: exprs(&m.metrics, ctx)?,
        },
        RelType::Transpose(t) => RelationKind::Transpose { input: boxed(t.input.as_deref(), "Transpose.input", ctx)?, index: exprs(&t.index_columns, ctx)? },
        other => return Err(ServerError::unsupported(format!("the relation {}", relation_name(other)))),
    };
    Ok(Relation { plan_id, kind })
}

fn literals(v: &[sc::expression::Literal]) -> ServerResult<Vec<spark_plan::Literal>> {
    v.iter().map(convert_literal).collect()
}

fn relation_name(t: &RelType) -> String {
    let dbg = format!("{t:?}");
    dbg.split('(').next().unwrap_or("unknown").to_string()
}

/// `LocalRelation.schema` is JSON (`StructType.json()`) or a DDL string.
fn parse_schema_string(s: &str) -> ServerResult<spark_plan::DataType> {
    let t = s.trim();
    if t.starts_with('{') || t.starts_with('"') {
        return spark_plan::schema_json::parse_json_type(t).map_err(|e| ServerError::invalid_plan(e.to_string()));
    }
    parse_data_type(t).map_err(|e| ServerError::Engine(e.into()))
}

fn chunked_local_relation(c: &sc::ChunkedCachedLocalRelation, ctx: &mut RelationContext) -> ServerResult<RelationKind> {
    // Each chunk is an Arrow IPC stream; their batches are concatenated.
    let mut chunks = Vec::new();
    for h in &c.data_hashes {
        let data = (ctx.artifact)(&format!("cache/{h}"))
            .ok_or_else(|| ServerError::invalid_plan(format!("cached local relation chunk {h} was not uploaded")))?;
        chunks.push(data);
    }
    let schema = match &c.schema_hash {
        Some(h) => {
            let bytes = (ctx.artifact)(&format!("cache/{h}"))
                .ok_or_else(|| ServerError::invalid_plan(format!("cached schema {h} was not uploaded")))?;
            Some(parse_schema_string(&String::from_utf8_lossy(&bytes))?)
        }
        None => None,
    };
    ctx.check_local_relation(chunks.iter().map(|c| c.len()).sum())?;
    let data = crate::arrow_ipc::concat_ipc_streams(&chunks)?;
    Ok(RelationKind::LocalRelation { data: Some(spark_plan::IpcStream(Arc::new(data))), schema })
}

fn convert_aggregate(a: &sc::Aggregate, ctx: &mut RelationContext) -> ServerResult<RelationKind> {
    use sc::aggregate::GroupType as G;
    let input = boxed(a.input.as_deref(), "Aggregate.input", ctx)?;
    let grouping = exprs(&a.grouping_expressions, ctx)?;
    let aggs = exprs(&a.aggregate_expressions, ctx)?;
    let kind = match G::try_from(a.group_type).unwrap_or(G::Unspecified) {
        G::Groupby | G::Unspecified => AggregateKind::GroupBy,
        G::Rollup => AggregateKind::Rollup,
        G::Cube => AggregateKind::Cube,
        G::GroupingSets => AggregateKind::GroupingSets(
            a.grouping_sets.iter().map(|s| exprs(&s.grouping_set, ctx)).collect::<ServerResult<Vec<_>>>()?,
        ),
        G::Pivot => {
            let p = a.pivot.as_ref().required("Aggregate.pivot")?;
            AggregateKind::Pivot {
                column: convert_expression(p.col.as_ref().required("Pivot.col")?, ctx)?,
                values: p.values.iter().map(|v| convert_literal(v).map(Expr::Literal)).collect::<ServerResult<Vec<_>>>()?,
                implicit_grouping: false,
            }
        }
    };
    // Spark's DataFrame groupBy outputs the grouping columns, then the aggregates.
    let mut aggregates = grouping.clone();
    if matches!(kind, AggregateKind::GroupingSets(_)) && grouping.is_empty() {
        // grouping sets carry their own expressions
    }
    aggregates.extend(aggs);
    Ok(RelationKind::Aggregate { input, kind, grouping, aggregates, having: None })
}

/// `spark.sql(query, args)` as a relation: parsed into the same plan as DataFrames.
pub fn convert_sql(s: &sc::Sql, plan_id: Option<i64>, ctx: &mut RelationContext) -> ServerResult<Relation> {
    match parse_sql(s, ctx)? {
        Plan::Query(mut r) => {
            r.plan_id = plan_id;
            Ok(r)
        }
        Plan::Command(_) => Err(ServerError::invalid_plan("a SQL command cannot be used as a query; run it with spark.sql()")),
    }
}

fn join_type(t: i32) -> JoinType {
    use sc::join::JoinType as P;
    match P::try_from(t).unwrap_or(P::Unspecified) {
        P::Inner | P::Unspecified => JoinType::Inner,
        P::FullOuter => JoinType::FullOuter,
        P::LeftOuter => JoinType::LeftOuter,
        P::RightOuter => JoinType::RightOuter,
        P::LeftAnti => JoinType::LeftAnti,
        P::LeftSemi => JoinType::LeftSemi,
        P::Cross => JoinType::Cross,
    }
}

pub fn parse_sql(s: &sc::Sql, ctx: &mut RelationContext) -> ServerResult<Plan> {
    let mut named = HashMap::new();
    for (k, v) in &s.named_arguments {
        named.insert(k.clone(), convert_expression(v, ctx)?);
    }
    for (k, v) in &s.args {
        named.insert(k.clone(), Expr::Literal(convert_literal(v)?));
    }
    let mut positional = Vec::new();
    for v in &s.pos_arguments {
        positional.push(convert_expression(v, ctx)?);
    }
    for v in &s.pos_args {
        positional.push(Expr::Literal(convert_literal(v)?));
    }
    parse_statement_with_args(&s.query, named, positional, &ctx.parse_options).map_err(|e| ServerError::Engine(e.into()))
}
