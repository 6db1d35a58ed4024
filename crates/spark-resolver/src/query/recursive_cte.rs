//! `WITH RECURSIVE r [(names)] [MAX RECURSION LEVEL n] AS (anchor UNION ALL step)`:
//! the anchor's rows, then the step run over the previous round's rows (read
//! as `r`) until a round adds none. DataFusion's recursive query does the
//! iteration; the work table the step reads counts the rounds, and a round
//! that would read rows of level `n` (the anchor is level 0) fails with
//! Spark's `RECURSION_LEVEL_LIMIT_EXCEEDED` instead of recursing forever.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use datafusion::arrow::datatypes::SchemaRef;
use datafusion::catalog::{Session, TableProvider};
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::datasource::cte_worktable::CteWorkTable;
use datafusion::datasource::provider_as_source;
use datafusion::error::Result as DfResult;
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::logical_expr::{Expr as DfExpr, LogicalPlan, LogicalPlanBuilder, TableProviderFilterPushDown, TableType};
use datafusion::physical_expr::PhysicalExpr;
use datafusion::physical_plan::{
    ChildrenPropertiesMode, DisplayAs, DisplayFormatType, ExecutionPlan, PlanProperties, ReplaceChildrenOptions,
};
use spark_functions::error::{RuntimeKind, SparkRuntimeError};
use spark_plan::{Cte, ReadSource, Relation, RelationKind, SetOpKind};

use crate::resolver::{Resolver, id_col};
use crate::{ResolveError, ResolveResult, ResolvedColumn, ResolvedRelation};

impl Resolver<'_> {
    pub(crate) fn resolve_recursive_cte(&mut self, cte: &Cte) -> ResolveResult<ResolvedRelation> {
        let name = cte.name.as_str();
        let (names, body) = match &cte.query.kind {
            RelationKind::ToDf { input, names } => (Some(names), input.as_ref()),
            _ => (None, &cte.query),
        };
        let invalid = || {
            ResolveError::analysis(
                "INVALID_RECURSIVE_CTE",
                "42836",
                "Invalid recursive definition found. Recursive queries must contain an UNION or an UNION ALL statement with 2 children. The first child needs to be the anchor term without any recursive references. Any top level inner CTE must not contain self references.".to_string(),
                &[],
            )
        };
        let RelationKind::SetOp { left, right, kind: SetOpKind::Union, all, .. } = &body.kind else {
            return Err(invalid());
        };
        if reads_table(left, name) {
            return Err(invalid());
        }
        if !*all {
            return Err(ResolveError::analysis(
                "UNION_NOT_SUPPORTED_IN_RECURSIVE_CTE",
                "42836",
                "The UNION operator is not yet supported within recursive common table expressions (WITH clauses that refer to themselves, directly or indirectly). Please use UNION ALL instead.".to_string(),
                &[],
            ));
        }
        let mut anchor = self.resolve_query(left)?;
        if let Some(names) = names {
            if names.len() != anchor.columns.len() {
                return Err(ResolveError::invalid(format!("{name} names {} columns but its query has {}", names.len(), anchor.columns.len())));
            }
            for (c, n) in anchor.columns.iter_mut().zip(names) {
                c.name = n.clone();
                c.qualifier.clear();
            }
        }
        // The step reads the previous round's rows from the work table.
        let limit = cte.max_recursion_level.unwrap_or(self.config.cte_recursion_level_limit);
        // The previous round's rows may hold NULLs wherever the step can
        // make them: Spark reads its loop reference as nullable.
        let schema = Arc::new(datafusion::arrow::datatypes::Schema::new(
            anchor.plan.schema().as_arrow().fields().iter().map(|f| f.as_ref().clone().with_nullable(true)).collect::<Vec<_>>(),
        ));
        let work = LevelLimitedWorkTable { inner: CteWorkTable::new(name, schema), limit };
        let scan = LogicalPlanBuilder::scan(name, provider_as_source(Arc::new(work)), None)?.build()?;
        let scan_items: Vec<DfExpr> = anchor
            .columns
            .iter()
            .map(|c| DfExpr::Column(datafusion::common::Column::new(Some(name), &c.id)).alias(c.id.clone()))
            .collect();
        let previous = LogicalPlanBuilder::from(scan).project(scan_items)?.build()?;
        if let Some(scope) = self.ctes.last_mut() {
            let columns = anchor.columns.iter().map(|c| ResolvedColumn { nullable: Some(true), ..c.clone() }).collect();
            scope.insert(name.to_string(), ResolvedRelation { plan: previous, columns });
        }
        let step = self.resolve_query(right)?;
        if step.columns.len() != anchor.columns.len() {
            return Err(ResolveError::analysis(
                "NUM_COLUMNS_MISMATCH",
                "42826",
                format!(
                    "UNION can only be performed on inputs with the same number of columns, but the first input has {} columns and the second input has {} columns.",
                    anchor.columns.len(),
                    step.columns.len()
                ),
                &[],
            ));
        }
        let mut aligned = Vec::with_capacity(step.columns.len());
        for (s, a) in step.columns.iter().zip(&anchor.columns) {
            let t = anchor.plan.schema().field_with_unqualified_name(&a.id)?.data_type().clone();
            aligned.push(self.cast_if_needed(id_col(&s.id), &t, &step)?.alias(a.id.clone()));
        }
        let step_plan = LogicalPlanBuilder::from(step.plan).project(aligned)?.build()?;
        // A column is nullable when either term can make it NULL.
        let mut columns = anchor.columns.clone();
        for (i, c) in columns.iter_mut().enumerate() {
            let anchor_nullable = c.nullable.unwrap_or_else(|| anchor.plan.schema().field(i).is_nullable());
            let step_nullable = step.columns[i].nullable.unwrap_or_else(|| step_plan.schema().field(i).is_nullable());
            c.nullable = Some(anchor_nullable || step_nullable);
        }
        let plan = LogicalPlanBuilder::from(anchor.plan).to_recursive_query(name.to_string(), step_plan, false)?.build()?;
        Ok(ResolvedRelation { plan, columns })
    }
}

/// Whether `rel` reads the table or CTE `name`.
pub(crate) fn reads_table(rel: &Relation, name: &str) -> bool {
    let mut stack = vec![rel];
    while let Some(r) = stack.pop() {
        if let RelationKind::Read(ReadSource::Table { name: n }) = &r.kind {
            if n.len() == 1 && n[0].eq_ignore_ascii_case(name) {
                return true;
            }
        }
        stack.extend(r.children());
    }
    false
}

/// DataFusion's work table, scanned through a round counter.
#[derive(Debug)]
struct LevelLimitedWorkTable {
    inner: CteWorkTable,
    limit: u32,
}

#[async_trait::async_trait]
impl TableProvider for LevelLimitedWorkTable {
    fn get_logical_plan(&'_ self) -> Option<Cow<'_, LogicalPlan>> {
        None
    }

    fn schema(&self) -> SchemaRef {
        self.inner.schema()
    }

    fn table_type(&self) -> TableType {
        TableType::Temporary
    }

    async fn scan(&self, state: &dyn Session, projection: Option<&Vec<usize>>, filters: &[DfExpr], limit: Option<usize>) -> DfResult<Arc<dyn ExecutionPlan>> {
        let input = self.inner.scan(state, projection, filters, limit).await?;
        // Every physical plan counts its own rounds.
        Ok(Arc::new(LevelLimitExec { input, limit: self.limit, rounds: Arc::new(AtomicU32::new(0)) }))
    }

    fn supports_filters_pushdown(&self, filters: &[&DfExpr]) -> DfResult<Vec<TableProviderFilterPushDown>> {
        Ok(vec![TableProviderFilterPushDown::Unsupported; filters.len()])
    }
}

/// Passes the work table's rows through, counting the rounds that read it.
/// The recursive query runs round `k` only when level `k - 1` has rows, so
/// round `limit + 1` starting means level `limit` was reached.
#[derive(Debug)]
struct LevelLimitExec {
    input: Arc<dyn ExecutionPlan>,
    limit: u32,
    rounds: Arc<AtomicU32>,
}

impl DisplayAs for LevelLimitExec {
    fn fmt_as(&self, _: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "LevelLimitExec: limit={}", self.limit)
    }
}

impl ExecutionPlan for LevelLimitExec {
    fn name(&self) -> &str {
        "LevelLimitExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        self.input.properties()
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        vec![&self.input]
    }

    fn apply_expressions(&self, _: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> DfResult<TreeNodeRecursion>) -> DfResult<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
    }

    fn replace_children(self: Arc<Self>, mut children: Vec<Arc<dyn ExecutionPlan>>, _: ReplaceChildrenOptions) -> DfResult<Arc<dyn ExecutionPlan>> {
        let input = children.pop().unwrap_or_else(|| Arc::clone(&self.input));
        Ok(Arc::new(LevelLimitExec { input, limit: self.limit, rounds: Arc::clone(&self.rounds) }))
    }

    fn with_new_children(self: Arc<Self>, children: Vec<Arc<dyn ExecutionPlan>>) -> DfResult<Arc<dyn ExecutionPlan>> {
        self.replace_children(children, ReplaceChildrenOptions::new(ChildrenPropertiesMode::Recompute))
    }

    fn execute(&self, partition: usize, context: Arc<TaskContext>) -> DfResult<SendableRecordBatchStream> {
        let round = self.rounds.fetch_add(1, Ordering::SeqCst) + 1;
        if round > self.limit {
            return Err(level_limit_exceeded(self.limit).into_df());
        }
        self.input.execute(partition, context)
    }
}

fn level_limit_exceeded(limit: u32) -> SparkRuntimeError {
    SparkRuntimeError::new(
        RuntimeKind::Spark,
        "RECURSION_LEVEL_LIMIT_EXCEEDED",
        "42836",
        format!("Recursion level limit {limit} reached but query has not exhausted, try increasing it like 'WITH RECURSIVE t(col) MAX RECURSION LEVEL 200'."),
    )
    .param("levelLimit", limit.to_string())
}
