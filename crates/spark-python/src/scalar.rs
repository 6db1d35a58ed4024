//! A Python scalar UDF as a DataFusion function: each batch of rows is one
//! task on a worker of the session (Arrow in, Arrow out), so the UDF works
//! wherever an expression does — select, filter, join conditions, grouping
//! keys, aggregate arguments.
//!
//! The call blocks on the worker's socket; on the server's multi-threaded
//! query runtimes it does so through `block_in_place`, which hands the
//! thread's other work to another thread meanwhile.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, RecordBatch, RecordBatchOptions, new_empty_array};
use datafusion::arrow::compute::{cast, concat};
use datafusion::arrow::datatypes::{DataType as ArrowType, Field, Schema, SchemaRef};
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDFImpl, Signature, TypeSignature, Volatility};

use crate::error::{PythonError, PythonResult};
use crate::eval_type::EvalType;
use crate::pool::PythonContext;
use crate::task::{Reply, TaskFunctions, TaskInput, TaskSpec, UdfCall, run_task};

/// One call site of a Python scalar UDF.
#[derive(Debug)]
pub struct PythonScalarUdf {
    /// The name Spark shows (`plus1`).
    name: String,
    signature: Signature,
    ctx: PythonContext,
    spec: TaskSpec,
    /// The arguments as the worker receives them (Spark's Arrow types,
    /// named `_0`, `_1`, ...).
    input: SchemaRef,
    /// The result's type inside this server.
    return_type: ArrowType,
    grouped: bool,
}

/// What the resolver knows of a scalar UDF call.
pub struct ScalarUdfCall {
    pub name: String,
    pub eval_type: EvalType,
    pub python_ver: String,
    pub command: Arc<Vec<u8>>,
    /// Each argument's Arrow type as Spark sends it to Python, and its
    /// keyword name when passed by name.
    pub args: Vec<(ArrowType, Option<String>)>,
    /// The arguments' Spark types as JSON (`EvalConf.input_type`).
    pub input_type_json: String,
    pub return_type: ArrowType,
    /// A grouped-aggregate `pandas_udf`: each row of the arguments is one
    /// group's values, as lists (from `array_agg`), and the result is one
    /// value per group.
    pub grouped: bool,
}

impl PythonScalarUdf {
    pub fn new(ctx: PythonContext, call: ScalarUdfCall) -> Self {
        let n = call.args.len();
        let signature = call_signature(n);
        let input = Arc::new(Schema::new(call.args.iter().enumerate().map(|(i, (t, _))| Field::new(format!("_{i}"), t.clone(), true)).collect::<Vec<_>>()));
        let spec = TaskSpec {
            eval_type: call.eval_type.code(),
            python_ver: call.python_ver,
            functions: TaskFunctions::Udfs(vec![UdfCall { args: call.args.into_iter().enumerate().map(|(i, (_, name))| (i, name)).collect(), commands: vec![call.command] }]),
            eval_conf: vec![("input_type".into(), call.input_type_json)],
            partition: 0,
        };
        Self { name: call.name, signature, ctx, spec, input, return_type: call.return_type, grouped: call.grouped }
    }

    fn evaluate(&self, batch: RecordBatch) -> PythonResult<ArrayRef> {
        if self.spec.eval_type == EvalType::Batched.code() {
            return self.evaluate_pickled(batch);
        }
        let rows = batch.num_rows();
        let mut outputs: Vec<ArrayRef> = vec![];
        // Which rows are sent: all, except the empty groups of an Arrow
        // grouped aggregate (its worker answers nothing for them: NULL).
        let mut sent: Option<Vec<bool>> = None;
        let input = if self.grouped {
            let mut groups = self.groups(batch);
            if self.spec.eval_type == EvalType::GroupedAggArrow.code() {
                let keep: Vec<bool> = groups.iter().map(|g| g.as_ref().map_or(true, |b| b.iter().any(|x| x.num_rows() > 0))).collect();
                let mut flags = keep.iter();
                groups.retain(|_| flags.next().copied().unwrap_or(true));
                sent = Some(keep);
            }
            TaskInput::Groups { schema: self.input.clone(), groups: Box::new(groups.into_iter()) }
        } else {
            TaskInput::Arrow { schema: self.input.clone(), batches: Box::new(std::iter::once(Ok(batch))) }
        };
        run_task(&self.ctx, &self.spec, input, |reply| match reply {
            Reply::Batch(b) if b.num_columns() > 0 => {
                outputs.push(b.column(0).clone());
                Ok(())
            }
            Reply::Batch(_) => Err(PythonError::Protocol("a result batch without columns".into())),
            Reply::Frame(_) => Err(PythonError::Protocol("a pickled frame in reply to Arrow input".into())),
        })?;
        let mut result = match outputs.len() {
            0 => new_empty_array(&self.return_type),
            1 => outputs.remove(0),
            _ => concat(&outputs.iter().map(|a| a.as_ref()).collect::<Vec<_>>())?,
        };
        if let Some(keep) = sent {
            let mut next = 0u32;
            let positions: datafusion::arrow::array::UInt32Array = keep
                .iter()
                .map(|k| {
                    k.then(|| {
                        next += 1;
                        next - 1
                    })
                })
                .collect();
            if result.len() == next as usize {
                result = datafusion::arrow::compute::take(&result, &positions, None)?;
            }
        }
        if result.len() != rows {
            return Err(PythonError::Protocol(format!("the UDF returned {} rows for {rows}", result.len())));
        }
        Ok(if result.data_type() == &self.return_type { result } else { cast(&result, &self.return_type)? })
    }
}

impl PythonScalarUdf {
    /// The row-at-a-time `udf` without Arrow: rows pickled in, values
    /// pickled out, converted as Spark's JVM converts them.
    fn evaluate_pickled(&self, batch: RecordBatch) -> PythonResult<ArrayRef> {
        let rows = batch.num_rows();
        let schema_json = self.spec.eval_conf.iter().find(|(k, _)| k == "input_type").map(|(_, v)| v.as_str()).unwrap_or("{}");
        let frames = crate::pickle_rows::pickle_rows(&batch, schema_json)?;
        let mut values = Vec::with_capacity(rows);
        run_task(&self.ctx, &self.spec, TaskInput::Pickled(frames), |reply| match reply {
            Reply::Frame(frame) => match crate::unpickle::unpickle(&frame)? {
                crate::unpickle::PyValue::List(items) => {
                    values.extend(items);
                    Ok(())
                }
                other => Err(PythonError::Protocol(format!("a pickled frame that is not a list: {other:?}"))),
            },
            Reply::Batch(_) => Err(PythonError::Protocol("an Arrow batch in reply to pickled rows".into())),
        })?;
        if values.len() != rows {
            return Err(PythonError::Protocol(format!("the UDF returned {} rows for {rows}", values.len())));
        }
        crate::from_python::to_array(&values, &self.return_type)
    }
}

impl PythonScalarUdf {
    /// A grouped aggregate's groups: row `i` of the list arguments.
    fn groups(&self, lists: RecordBatch) -> Vec<PythonResult<Vec<RecordBatch>>> {
        (0..lists.num_rows())
            .map(|i| {
                let columns = lists
                    .columns()
                    .iter()
                    .zip(self.input.fields())
                    .map(|(c, f)| {
                        let values = match c.as_any().downcast_ref::<datafusion::arrow::array::ListArray>() {
                            Some(l) if l.is_valid(i) => l.value(i),
                            _ => new_empty_array(f.data_type()),
                        };
                        Ok(if values.data_type() == f.data_type() { values } else { cast(&values, f.data_type())? })
                    })
                    .collect::<PythonResult<Vec<ArrayRef>>>()?;
                let rows = columns.first().map_or(0, |c| c.len());
                let batch = RecordBatch::try_new_with_options(self.input.clone(), columns, &RecordBatchOptions::new().with_row_count(Some(rows)))?;
                Ok(vec![batch])
            })
            .collect()
    }
}

impl PythonScalarUdf {
    fn commands(&self) -> &[Arc<Vec<u8>>] {
        match &self.spec.functions {
            TaskFunctions::Udfs(udfs) => udfs.first().map_or(&[], |u| u.commands.as_slice()),
            TaskFunctions::TableFunction(_) => &[],
        }
    }
}

/// The name of a grouped-aggregate Python UDF, if `e` calls one.
pub fn grouped_aggregate_name(e: &datafusion::logical_expr::Expr) -> Option<&str> {
    let datafusion::logical_expr::Expr::ScalarFunction(f) = e else { return None };
    f.func.inner().downcast_ref::<PythonScalarUdf>().filter(|u| u.grouped).map(|u| u.name.as_str())
}

/// Two resolutions of the same call are the same expression (a grouping
/// key written once in `groupBy` and again in the select list).
impl PartialEq for PythonScalarUdf {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.spec.eval_type == other.spec.eval_type
            && self.commands() == other.commands()
            && self.input == other.input
            && self.return_type == other.return_type
            && self.ctx.session_id == other.ctx.session_id
    }
}
impl Eq for PythonScalarUdf {}
impl std::hash::Hash for PythonScalarUdf {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
        self.spec.eval_type.hash(state);
        for c in self.commands() {
            c.hash(state);
        }
        self.return_type.hash(state);
    }
}

impl ScalarUDFImpl for PythonScalarUdf {
    fn name(&self) -> &str {
        &self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[ArrowType]) -> Result<ArrowType> {
        Ok(self.return_type.clone())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        if rows == 0 {
            return Ok(ColumnarValue::Array(new_empty_array(&self.return_type)));
        }
        let batch = if self.grouped {
            // Lists of each group's values, as `array_agg` made them.
            let columns = args.args.iter().map(|a| a.to_array(rows)).collect::<Result<Vec<_>>>()?;
            RecordBatch::try_from_iter(columns.into_iter().enumerate().map(|(i, c)| (format!("_{i}"), c)))?
        } else {
            argument_batch(&args, &self.input)?
        };
        let result = blocking(|| self.evaluate(batch)).map_err(PythonError::into_df)?;
        Ok(ColumnarValue::Array(result))
    }
}

/// The signature of a Python call with `n` arguments of any type: volatile,
/// so that DataFusion neither folds nor merges calls.
pub(crate) fn call_signature(n: usize) -> Signature {
    if n == 0 { Signature::nullary(Volatility::Volatile) } else { Signature::new(TypeSignature::Any(n), Volatility::Volatile) }
}

/// A call's arguments as one batch of the worker's input schema.
pub(crate) fn argument_batch(args: &ScalarFunctionArgs, schema: &SchemaRef) -> Result<RecordBatch> {
    let rows = args.number_rows;
    let columns = args
        .args
        .iter()
        .zip(schema.fields())
        .map(|(a, f)| {
            let a = a.to_array(rows)?;
            Ok(if a.data_type() == f.data_type() { a } else { cast(&a, f.data_type())? })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(RecordBatch::try_new_with_options(schema.clone(), columns, &RecordBatchOptions::new().with_row_count(Some(rows)))?)
}

/// Runs blocking worker I/O without stalling the async runtime the call
/// came from.
pub(crate) fn blocking<T>(work: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => tokio::task::block_in_place(work),
        _ => work(),
    }
}
