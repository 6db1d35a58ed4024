//! `spark_partition_id()`: the number of the partition a row is computed in.
//!
//! A scalar function cannot know its partition, so a query that calls it
//! reads its input through a table whose scan plans the input and numbers
//! each partition's rows (`PartitionNumberExec`); the calls then read that
//! hidden column, named as Spark names the call.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use datafusion::arrow::array::{Int32Array, RecordBatch};
use datafusion::arrow::datatypes::{DataType as ArrowType, Field, Schema, SchemaRef};
use datafusion::catalog::{Session, TableProvider};
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::datasource::provider_as_source;
use datafusion::error::Result as DfResult;
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::logical_expr::{Expr as DfExpr, LogicalPlan, LogicalPlanBuilder, TableProviderFilterPushDown, TableType};
use datafusion::physical_expr::{EquivalenceProperties, PhysicalExpr};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{
    ChildrenPropertiesMode, DisplayAs, DisplayFormatType, ExecutionPlan, ExecutionPlanProperties, PlanProperties, ReplaceChildrenOptions,
};
use futures::StreamExt;
use spark_plan::{Expr, Relation};

use crate::resolver::{Resolver, fresh_id};
use crate::{ResolveResult, ResolvedColumn, ResolvedRelation};

/// Spark's name for the call, which the hidden column takes.
const COLUMN: &str = "SPARK_PARTITION_ID()";

fn is_partition_id_call(e: &Expr) -> bool {
    matches!(e, Expr::Function { name, args, .. } if args.is_empty() && name.eq_ignore_ascii_case("spark_partition_id"))
}

/// Whether `e` is `spark_partition_id()`, as called or as read through
/// [`reading_partition_id`].
pub(crate) fn is_partition_id(e: &Expr) -> bool {
    is_partition_id_call(e) || matches!(e, Expr::Column { name, plan_id: None } if name.len() == 1 && name[0] == COLUMN)
}

fn calls_partition_id(exprs: &[&Expr]) -> bool {
    let mut stack: Vec<&Expr> = exprs.to_vec();
    while let Some(e) = stack.pop() {
        if is_partition_id_call(e) {
            return true;
        }
        stack.extend(e.children().0);
    }
    false
}

/// The expressions with each `spark_partition_id()` reading the column.
pub(crate) fn reading_partition_id(exprs: &[Expr]) -> Vec<Expr> {
    exprs
        .iter()
        .map(|e| e.clone().transform_up(&mut |x| if is_partition_id_call(&x) { Expr::Column { name: vec![COLUMN.into()], plan_id: None } } else { x }))
        .collect()
}

impl Resolver<'_> {
    /// When `exprs` call `spark_partition_id()`: the input with each row's
    /// partition number as a hidden column, for [`reading_partition_id`].
    pub(crate) fn partition_numbered_input(&mut self, input: &Relation, exprs: &[&Expr]) -> ResolveResult<Option<ResolvedRelation>> {
        if !calls_partition_id(exprs) {
            return Ok(None);
        }
        let r = self.resolve(input)?;
        let id = fresh_id();
        let mut fields: Vec<Field> = r.plan.schema().fields().iter().map(|f| f.as_ref().clone()).collect();
        fields.push(Field::new(&id, ArrowType::Int32, false));
        let table = PartitionNumberTable { input: r.plan.clone(), schema: Arc::new(Schema::new(fields)) };
        let plan = LogicalPlanBuilder::scan("partition_numbered", provider_as_source(Arc::new(table)), None)?.build()?;
        let mut columns = r.columns;
        columns.push(ResolvedColumn { hidden: true, nullable: Some(false), ..ResolvedColumn::new(id, COLUMN.into()) });
        Ok(Some(ResolvedRelation { plan, columns }))
    }
}

/// The input's rows with their partition's number as a last column.
#[derive(Debug)]
struct PartitionNumberTable {
    input: LogicalPlan,
    schema: SchemaRef,
}

#[async_trait::async_trait]
impl TableProvider for PartitionNumberTable {
    fn get_logical_plan(&'_ self) -> Option<Cow<'_, LogicalPlan>> {
        None
    }

    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn table_type(&self) -> TableType {
        TableType::Temporary
    }

    async fn scan(&self, state: &dyn Session, projection: Option<&Vec<usize>>, _: &[DfExpr], _: Option<usize>) -> DfResult<Arc<dyn ExecutionPlan>> {
        let input = state.create_physical_plan(&self.input).await?;
        Ok(Arc::new(PartitionNumberExec::new(input, self.schema.clone(), projection.cloned())))
    }

    fn supports_filters_pushdown(&self, filters: &[&DfExpr]) -> DfResult<Vec<TableProviderFilterPushDown>> {
        Ok(vec![TableProviderFilterPushDown::Unsupported; filters.len()])
    }
}

#[derive(Debug)]
struct PartitionNumberExec {
    input: Arc<dyn ExecutionPlan>,
    /// The input's columns and the number, before `projection`.
    full: SchemaRef,
    projection: Option<Vec<usize>>,
    properties: Arc<PlanProperties>,
}

impl PartitionNumberExec {
    fn new(input: Arc<dyn ExecutionPlan>, full: SchemaRef, projection: Option<Vec<usize>>) -> Self {
        let schema = match &projection {
            Some(p) => Arc::new(full.project(p).unwrap_or_else(|_| full.as_ref().clone())),
            None => full.clone(),
        };
        let properties = Arc::new(PlanProperties::new(
            EquivalenceProperties::new(schema),
            input.output_partitioning().clone(),
            input.properties().emission_type,
            input.properties().boundedness,
        ));
        Self { input, full, projection, properties }
    }
}

impl DisplayAs for PartitionNumberExec {
    fn fmt_as(&self, _: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "PartitionNumberExec")
    }
}

impl ExecutionPlan for PartitionNumberExec {
    fn name(&self) -> &str {
        "PartitionNumberExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        &self.properties
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        vec![&self.input]
    }

    fn apply_expressions(&self, _: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> DfResult<TreeNodeRecursion>) -> DfResult<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
    }

    fn replace_children(self: Arc<Self>, mut children: Vec<Arc<dyn ExecutionPlan>>, _: ReplaceChildrenOptions) -> DfResult<Arc<dyn ExecutionPlan>> {
        let input = children.pop().unwrap_or_else(|| Arc::clone(&self.input));
        Ok(Arc::new(PartitionNumberExec::new(input, self.full.clone(), self.projection.clone())))
    }

    fn with_new_children(self: Arc<Self>, children: Vec<Arc<dyn ExecutionPlan>>) -> DfResult<Arc<dyn ExecutionPlan>> {
        self.replace_children(children, ReplaceChildrenOptions::new(ChildrenPropertiesMode::Recompute))
    }

    fn execute(&self, partition: usize, context: Arc<TaskContext>) -> DfResult<SendableRecordBatchStream> {
        let number = i32::try_from(partition).unwrap_or(i32::MAX);
        let (full, projection) = (self.full.clone(), self.projection.clone());
        let out = self.properties.eq_properties.schema().clone();
        let stream = self.input.execute(partition, context)?.map(move |batch| {
            let batch = batch?;
            let mut columns = batch.columns().to_vec();
            columns.push(Arc::new(Int32Array::from_value(number, batch.num_rows())));
            let numbered = RecordBatch::try_new(full.clone(), columns)?;
            Ok(match &projection {
                Some(p) => numbered.project(p)?,
                None => numbered,
            })
        });
        Ok(Box::pin(RecordBatchStreamAdapter::new(out, stream)))
    }
}
