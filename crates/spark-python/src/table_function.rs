//! A Python UDTF (`@udtf` classes with `eval` and `terminate`) as a
//! function from its arguments to the list of rows it yields: each batch of
//! input rows is one task of `pyspark.worker`'s `read_udtf` (the Arrow
//! kind), whose reply holds one Arrow batch per input row, then the rows of
//! `terminate()`. Those go to the last input row, as Spark joins them. The
//! resolver unnests the lists as a generator (`inline`), which also joins
//! them with the input rows of a lateral call.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, ListArray, RecordBatch, StructArray, new_empty_array};
use datafusion::arrow::buffer::OffsetBuffer;
use datafusion::arrow::compute::{cast, concat};
use datafusion::arrow::datatypes::{DataType as ArrowType, Field, Fields, Schema, SchemaRef};
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDFImpl, Signature};

use crate::error::{PythonError, PythonResult};
use crate::pool::PythonContext;
use crate::scalar::{argument_batch, blocking, call_signature};
use crate::task::{Reply, TableFunctionCall, TaskFunctions, TaskInput, TaskSpec, run_task};

/// What the resolver knows of a UDTF call.
pub struct UdtfCall {
    pub name: String,
    pub eval_type: i32,
    pub python_ver: String,
    pub command: Arc<Vec<u8>>,
    /// Each argument's Arrow type as Spark sends it, and its keyword name.
    pub args: Vec<(ArrowType, Option<String>)>,
    /// The arguments' Spark types as JSON (`EvalConf.input_type`).
    pub input_type_json: String,
    /// The UDTF's return type (a struct) as Spark JSON.
    pub return_type_json: String,
    /// The rows' fields, with this server's types.
    pub fields: Fields,
    /// The pickled result of the UDTF's `analyze`, if it has one.
    pub analyze_result: Option<Arc<Vec<u8>>>,
}

#[derive(Debug)]
pub struct PythonTableUdf {
    name: String,
    signature: Signature,
    ctx: PythonContext,
    spec: TaskSpec,
    input: SchemaRef,
    fields: Fields,
    /// `List<Struct<fields>>`.
    list_type: ArrowType,
}

impl PythonTableUdf {
    pub fn new(ctx: PythonContext, call: UdtfCall) -> Self {
        let n = call.args.len();
        let signature = call_signature(n);
        let input = Arc::new(Schema::new(call.args.iter().enumerate().map(|(i, (t, _))| Field::new(format!("_{i}"), t.clone(), true)).collect::<Vec<_>>()));
        let spec = TaskSpec {
            eval_type: call.eval_type,
            python_ver: call.python_ver,
            functions: TaskFunctions::TableFunction(TableFunctionCall {
                args: call.args.into_iter().enumerate().map(|(i, (_, name))| (i, name)).collect(),
                partition_children: vec![],
                analyze_result: call.analyze_result,
                command: call.command,
                return_type_json: call.return_type_json,
                name: call.name.clone(),
            }),
            eval_conf: vec![("input_type".into(), call.input_type_json)],
            partition: 0,
        };
        let list_type = ArrowType::List(Arc::new(Field::new("item", ArrowType::Struct(call.fields.clone()), true)));
        Self { name: call.name, signature, ctx, spec, input, fields: call.fields, list_type }
    }

    /// The rows the UDTF yields for each input row.
    fn evaluate(&self, batch: RecordBatch) -> PythonResult<ArrayRef> {
        let rows = batch.num_rows();
        let mut outputs: Vec<StructArray> = vec![];
        let input = TaskInput::Arrow { schema: self.input.clone(), batches: Box::new(std::iter::once(Ok(batch))) };
        run_task(&self.ctx, &self.spec, input, |reply| match reply {
            Reply::Batch(b) => {
                outputs.push(self.rows_of(&b)?);
                Ok(())
            }
            Reply::Frame(_) => Err(PythonError::Protocol("a pickled frame in reply to Arrow input".into())),
        })?;
        if outputs.len() < rows {
            return Err(PythonError::Protocol(format!("the UDTF answered {} of {rows} rows", outputs.len())));
        }
        // Row i's list is output i; `terminate()`'s rows join the last row's.
        let mut offsets = Vec::with_capacity(rows + 1);
        offsets.push(0i32);
        let mut total = 0usize;
        for (i, out) in outputs.iter().enumerate() {
            total += out.len();
            if i + 1 < rows {
                offsets.push(total as i32);
            }
        }
        offsets.push(total as i32);
        let values: ArrayRef = match outputs.len() {
            0 => new_empty_array(&ArrowType::Struct(self.fields.clone())),
            _ => concat(&outputs.iter().map(|a| a as &dyn Array).collect::<Vec<_>>())?,
        };
        let ArrowType::List(item) = &self.list_type else { return Err(PythonError::Protocol("a UDTF result that is not a list".into())) };
        Ok(Arc::new(ListArray::try_new(item.clone(), OffsetBuffer::new(offsets.into()), values, None)?))
    }

    /// One reply batch as rows of this server's types (the worker wraps
    /// them into one struct column).
    fn rows_of(&self, batch: &RecordBatch) -> PythonResult<StructArray> {
        let rows = batch.num_rows();
        let columns: Vec<ArrayRef> = match batch.columns() {
            [one] => match one.as_any().downcast_ref::<StructArray>() {
                Some(s) => s.columns().to_vec(),
                None => vec![one.clone()],
            },
            many => many.to_vec(),
        };
        if columns.len() != self.fields.len() {
            return Err(PythonError::Protocol(format!("the UDTF returned {} columns for {}", columns.len(), self.fields.len())));
        }
        let columns = columns
            .iter()
            .zip(self.fields.iter())
            .map(|(c, f)| if c.data_type() == f.data_type() { Ok(c.clone()) } else { cast(c, f.data_type()) })
            .collect::<std::result::Result<Vec<_>, _>>()?;
        Ok(StructArray::try_new_with_length(self.fields.clone(), columns, None, rows)?)
    }
}

impl PartialEq for PythonTableUdf {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}
impl Eq for PythonTableUdf {}
impl std::hash::Hash for PythonTableUdf {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

impl ScalarUDFImpl for PythonTableUdf {
    fn name(&self) -> &str {
        &self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[ArrowType]) -> Result<ArrowType> {
        Ok(self.list_type.clone())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        if rows == 0 {
            return Ok(ColumnarValue::Array(new_empty_array(&self.list_type)));
        }
        let batch = argument_batch(&args, &self.input)?;
        Ok(ColumnarValue::Array(blocking(|| self.evaluate(batch)).map_err(PythonError::into_df)?))
    }
}
