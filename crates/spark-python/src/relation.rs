//! Relations a Python function computes: `mapInPandas`/`mapInArrow` over
//! each partition's batches, `applyInPandas`/`applyInArrow` over each group
//! of rows with equal keys. Each input partition is one task on one worker,
//! as in Spark's `MapInBatchExec` and `FlatMapGroupsInPandasExec`; the
//! function's output comes back as one struct column whose fields are the
//! result's columns.
//!
//! The relation is a table whose scan plans its input and wraps it, so the
//! rest of the query sees an ordinary scan.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, RecordBatch, RecordBatchOptions, StructArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType as ArrowType, Field, Fields, Schema, SchemaRef};
use datafusion::catalog::{Session, TableProvider};
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::error::Result as DfResult;
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::logical_expr::{Expr, LogicalPlan, TableProviderFilterPushDown, TableType};
use datafusion::physical_expr::{EquivalenceProperties, PhysicalExpr};
use datafusion::physical_plan::execution_plan::{Boundedness, EmissionType};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{
    ChildrenPropertiesMode, DisplayAs, DisplayFormatType, ExecutionPlan, ExecutionPlanProperties, PlanProperties, ReplaceChildrenOptions,
};
use futures::StreamExt;

use crate::error::{PythonError, PythonResult};
use crate::pool::PythonContext;
use crate::task::{Reply, TaskFunctions, TaskInput, TaskSpec, UdfCall, run_task};

/// Batches in flight between the query and the worker, each way.
const CHANNEL_BATCHES: usize = 2;

/// How a task's input reaches the function.
#[derive(Debug, Clone)]
pub enum InputShape {
    /// `mapInPandas`/`mapInArrow`: the partition's batches, each as one
    /// struct column.
    Batches,
    /// `applyInPandas`/`applyInArrow`: one Arrow stream per group of rows
    /// with equal keys (the input's last `keys` columns); `wrap_struct`
    /// sends each batch as one struct column (the Arrow kind).
    Groups { keys: usize, wrap_struct: bool },
    /// `cogroup().applyInPandas`/`applyInArrow`: for each key found on
    /// either side, the two sides' rows with it (each input's last `keys`
    /// columns are the keys).
    CoGroups { keys: usize },
    /// A UDTF over a table argument's rows: the partition's rows ordered by
    /// `sort` (the `PARTITION BY` keys, then `ORDER BY`), one stream; `call`
    /// says which columns are its arguments and partition keys.
    /// `input_type_json` is the input columns' Spark struct type.
    TableRows { call: crate::task::TableFunctionCall, sort: Vec<(usize, datafusion::arrow::compute::SortOptions)>, input_type_json: String },
}

/// The Python function of a relation.
#[derive(Debug, Clone)]
pub struct MapFunction {
    pub shape: InputShape,
    pub ctx: PythonContext,
    pub eval_type: i32,
    pub python_ver: String,
    pub command: Arc<Vec<u8>>,
    /// The input's columns as Spark sends them to Python (canonical Arrow
    /// types).
    pub input_fields: Fields,
    /// The second input's columns, for cogroups.
    pub other_fields: Option<Fields>,
    /// The result's columns, with this server's types.
    pub output: SchemaRef,
}

/// The relation: `function` over the rows of its inputs (one, or two for
/// cogroups).
#[derive(Debug)]
pub struct PythonMapTable {
    pub inputs: Vec<LogicalPlan>,
    pub function: MapFunction,
}

#[async_trait::async_trait]
impl TableProvider for PythonMapTable {
    fn get_logical_plan(&'_ self) -> Option<Cow<'_, LogicalPlan>> {
        None
    }

    fn schema(&self) -> SchemaRef {
        self.function.output.clone()
    }

    fn table_type(&self) -> TableType {
        TableType::Temporary
    }

    async fn scan(&self, state: &dyn Session, projection: Option<&Vec<usize>>, _filters: &[Expr], _limit: Option<usize>) -> DfResult<Arc<dyn ExecutionPlan>> {
        let mut inputs = Vec::with_capacity(self.inputs.len());
        for input in &self.inputs {
            inputs.push(state.create_physical_plan(input).await?);
        }
        Ok(Arc::new(PythonMapExec::new(inputs, self.function.clone(), projection.cloned())))
    }

    fn supports_filters_pushdown(&self, filters: &[&Expr]) -> DfResult<Vec<TableProviderFilterPushDown>> {
        Ok(vec![TableProviderFilterPushDown::Unsupported; filters.len()])
    }
}

#[derive(Debug)]
pub struct PythonMapExec {
    inputs: Vec<Arc<dyn ExecutionPlan>>,
    function: MapFunction,
    projection: Option<Vec<usize>>,
    properties: Arc<PlanProperties>,
}

impl PythonMapExec {
    fn new(inputs: Vec<Arc<dyn ExecutionPlan>>, function: MapFunction, projection: Option<Vec<usize>>) -> Self {
        let schema = match &projection {
            Some(p) => Arc::new(function.output.project(p).unwrap_or_else(|_| function.output.as_ref().clone())),
            None => function.output.clone(),
        };
        let properties = Arc::new(PlanProperties::new(
            EquivalenceProperties::new(schema),
            datafusion::physical_plan::Partitioning::UnknownPartitioning(inputs.first().map_or(1, |i| i.output_partitioning().partition_count())),
            EmissionType::Incremental,
            Boundedness::Bounded,
        ));
        Self { inputs, function, projection, properties }
    }
}

impl DisplayAs for PythonMapExec {
    fn fmt_as(&self, _: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "PythonMapExec: eval_type={}", self.function.eval_type)
    }
}

impl ExecutionPlan for PythonMapExec {
    fn name(&self) -> &str {
        "PythonMapExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        &self.properties
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        self.inputs.iter().collect()
    }

    fn apply_expressions(&self, _: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> DfResult<TreeNodeRecursion>) -> DfResult<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
    }

    fn replace_children(self: Arc<Self>, children: Vec<Arc<dyn ExecutionPlan>>, _: ReplaceChildrenOptions) -> DfResult<Arc<dyn ExecutionPlan>> {
        let inputs = if children.len() == self.inputs.len() { children } else { self.inputs.clone() };
        Ok(Arc::new(PythonMapExec::new(inputs, self.function.clone(), self.projection.clone())))
    }

    fn with_new_children(self: Arc<Self>, children: Vec<Arc<dyn ExecutionPlan>>) -> DfResult<Arc<dyn ExecutionPlan>> {
        self.replace_children(children, ReplaceChildrenOptions::new(ChildrenPropertiesMode::Recompute))
    }

    fn execute(&self, partition: usize, context: Arc<TaskContext>) -> DfResult<SendableRecordBatchStream> {
        let streams = self.inputs.iter().map(|i| i.execute(partition, Arc::clone(&context))).collect::<DfResult<Vec<_>>>()?;
        let function = self.function.clone();
        let projection = self.projection.clone();
        let schema = self.properties.eq_properties.schema().clone();
        let (in_tx, mut in_rx) = tokio::sync::mpsc::channel::<(usize, PythonResult<RecordBatch>)>(CHANNEL_BATCHES);
        let (out_tx, out_rx) = tokio::sync::mpsc::channel::<DfResult<RecordBatch>>(CHANNEL_BATCHES);
        // The query side: each input's batches, tagged with the input, to the
        // worker's writer.
        let feeder = tokio::spawn(async move {
            let tagged = streams.into_iter().enumerate().map(|(side, s)| s.map(move |b| (side, b)));
            let mut all = futures::stream::select_all(tagged);
            while let Some((side, batch)) = all.next().await {
                let item = batch.map_err(|e| PythonError::Protocol(format!("the input failed: {e}")));
                if in_tx.send((side, item)).await.is_err() {
                    break;
                }
            }
        });
        // The worker side, on a thread of its own: it blocks on the socket.
        let out_schema = schema.clone();
        let worker_tx = out_tx.clone();
        let spawned = std::thread::Builder::new().name("python-relation".into()).spawn(move || {
            let incoming = std::iter::from_fn(move || in_rx.blocking_recv());
            // A UDTF over a table argument runs only for partitions with
            // rows (an empty one would still `terminate()`).
            let incoming: Box<dyn Iterator<Item = (usize, PythonResult<RecordBatch>)> + Send> = if matches!(function.shape, InputShape::TableRows { .. }) {
                let all: Vec<_> = incoming.collect();
                if all.iter().all(|(_, b)| matches!(b, Ok(b) if b.num_rows() == 0)) {
                    return;
                }
                Box::new(all.into_iter())
            } else {
                Box::new(incoming)
            };
            let (spec, input) = function.task(partition, incoming);
            let result = run_task(&function.ctx, &spec, input, |reply| {
                let Reply::Batch(b) = reply else { return Err(PythonError::Protocol("a pickled frame in reply to Arrow input".into())) };
                let batch = unwrap(&b, &function.output, projection.as_deref(), &out_schema)?;
                worker_tx.blocking_send(Ok(batch)).map_err(|_| PythonError::Cancelled)
            });
            match result {
                // The query stopped reading: nobody to tell.
                Err(PythonError::Cancelled) if worker_tx.is_closed() => {}
                Err(e) => {
                    let _ = worker_tx.blocking_send(Err(e.into_df()));
                }
                Ok(()) => {}
            }
        });
        if let Err(e) = spawned {
            feeder.abort();
            return Err(PythonError::Unavailable(format!("cannot start a thread for the Python worker: {e}")).into_df());
        }
        drop(out_tx);
        let stream = futures::stream::unfold((out_rx, feeder), |(mut rx, feeder)| async move {
            match rx.recv().await {
                Some(item) => Some((item, (rx, feeder))),
                None => {
                    feeder.abort();
                    None
                }
            }
        });
        Ok(Box::pin(RecordBatchStreamAdapter::new(schema, stream)))
    }
}

impl MapFunction {
    /// The task of one partition: its header and its input as the shape
    /// wants it.
    fn task<'a>(&self, partition: usize, incoming: impl Iterator<Item = (usize, PythonResult<RecordBatch>)> + Send + 'a) -> (TaskSpec, TaskInput<'a>) {
        let flat = Arc::new(Schema::new(self.input_fields.clone()));
        let wrapped = Arc::new(Schema::new(vec![Field::new("_0", ArrowType::Struct(self.input_fields.clone()), true)]));
        let udfs = |args: Vec<(usize, Option<String>)>| TaskFunctions::Udfs(vec![UdfCall { args, commands: vec![self.command.clone()] }]);
        let (functions, input) = match &self.shape {
            InputShape::Batches => {
                let schema = wrapped.clone();
                let batches = incoming.map(move |(_, b)| b.and_then(|b| wrap(&b, &schema)));
                (udfs(vec![(0, None)]), TaskInput::Arrow { schema: wrapped, batches: Box::new(batches) })
            }
            InputShape::Groups { keys, wrap_struct } => {
                let (keys, wrap_struct) = (*keys, *wrap_struct);
                let values = self.input_fields.len() - keys;
                // Spark's grouped offsets: their count, the key count, the
                // keys' columns, the values' columns.
                let mut args = vec![(1 + keys + values, None), (keys, None)];
                args.extend((values..values + keys).map(|i| (i, None)));
                args.extend((0..values).map(|i| (i, None)));
                let schema = if wrap_struct { wrapped.clone() } else { flat.clone() };
                let target = schema.clone();
                let groups = crate::grouping::groups(incoming.map(|(_, b)| b), flat, keys).map(move |g| {
                    g.and_then(|batches| batches.iter().map(|b| if wrap_struct { wrap(b, &target) } else { Ok(b.clone()) }).collect())
                });
                (udfs(args), TaskInput::Groups { schema, groups: Box::new(groups) })
            }
            InputShape::CoGroups { keys } => {
                let keys = *keys;
                let other = Arc::new(Schema::new(self.other_fields.clone().unwrap_or_default()));
                let mut args = vec![];
                for side in [&flat, &other] {
                    let values = side.fields().len() - keys;
                    args.push((1 + keys + values, None));
                    args.push((keys, None));
                    args.extend((values..values + keys).map(|i| (i, None)));
                    args.extend((0..values).map(|i| (i, None)));
                }
                let groups = crate::grouping::cogroups(incoming, [flat.clone(), other.clone()], keys);
                (udfs(args), TaskInput::CoGroups { schemas: [flat, other], groups: Box::new(groups) })
            }
            InputShape::TableRows { call, sort, .. } => {
                let rows = crate::grouping::sorted(incoming.map(|(_, b)| b), flat.clone(), sort.clone());
                (TaskFunctions::TableFunction(call.clone()), TaskInput::Arrow { schema: flat, batches: Box::new(rows) })
            }
        };

        let spec = TaskSpec {
            eval_type: self.eval_type,
            python_ver: self.python_ver.clone(),
            functions,
            eval_conf: match &self.shape {
                InputShape::TableRows { input_type_json, .. } => vec![("input_type".into(), input_type_json.clone())],
                _ => vec![],
            },
            partition,
        };
        (spec, input)
    }
}

/// Rows as Spark sends them to `mapInPandas` and `applyInArrow`: one struct column.
fn wrap(batch: &RecordBatch, schema: &SchemaRef) -> PythonResult<RecordBatch> {
    let ArrowType::Struct(fields) = schema.field(0).data_type() else { return Err(PythonError::Protocol("the input is not a struct".into())) };
    let columns = batch
        .columns()
        .iter()
        .zip(fields.iter())
        .map(|(c, f)| if c.data_type() == f.data_type() { Ok(c.clone()) } else { cast(c, f.data_type()) })
        .collect::<Result<Vec<ArrayRef>, _>>()?;
    let column: ArrayRef = Arc::new(StructArray::try_new_with_length(fields.clone(), columns, None, batch.num_rows())?);
    let options = RecordBatchOptions::new().with_row_count(Some(batch.num_rows()));
    Ok(RecordBatch::try_new_with_options(schema.clone(), vec![column], &options)?)
}

/// The function's output rows: the fields of its one struct column, cast
/// to the result's types and projected as the scan asked.
fn unwrap(batch: &RecordBatch, output: &SchemaRef, projection: Option<&[usize]>, schema: &SchemaRef) -> PythonResult<RecordBatch> {
    let rows = batch.num_rows();
    // The worker wraps the result's columns into one struct column.
    let columns: Vec<ArrayRef> = one_struct(batch)?.columns().to_vec();
    if columns.len() != output.fields().len() {
        return Err(PythonError::Protocol(format!("the function returned {} columns for {}", columns.len(), output.fields().len())));
    }
    let columns = columns
        .iter()
        .zip(output.fields())
        .map(|(c, f)| if c.data_type() == f.data_type() { Ok(c.clone()) } else { cast(c, f.data_type()) })
        .collect::<Result<Vec<ArrayRef>, _>>()?;
    let columns = match projection {
        Some(p) => p.iter().filter_map(|i| columns.get(*i).cloned()).collect(),
        None => columns,
    };
    let options = RecordBatchOptions::new().with_row_count(Some(rows));
    Ok(RecordBatch::try_new_with_options(schema.clone(), columns, &options)?)
}

fn one_struct(batch: &RecordBatch) -> PythonResult<&StructArray> {
    if batch.num_columns() != 1 {
        return Err(PythonError::Protocol(format!("the output has {} columns, not one struct", batch.num_columns())));
    }
    batch.column(0).as_any().downcast_ref::<StructArray>().ok_or_else(|| PythonError::Protocol("the output is not a struct column".into()))
}
