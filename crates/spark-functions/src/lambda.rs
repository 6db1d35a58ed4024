//! Higher-order functions over arrays and maps: `transform`, `filter`,
//! `exists`, `forall`, `aggregate`/`reduce`, `zip_with`, `map_filter`,
//! `transform_keys`, `transform_values`, `map_zip_with`, and `array_sort`
//! with a comparator.
//!
//! The lambda body is compiled once to a DataFusion physical expression over
//! a batch whose columns are the lambda's parameters followed by the
//! enclosing columns the body refers to. It is evaluated vectorised, over all
//! elements of all rows at once (per position for `aggregate`).

use std::sync::Arc;

use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, GenericListArray, Int32Array, MapArray, OffsetSizeTrait, RecordBatch, StructArray, UInt32Array,
};
use datafusion::arrow::buffer::{NullBuffer, OffsetBuffer};
use datafusion::arrow::compute::{filter, interleave, take};
use datafusion::arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};
use datafusion::physical_expr::PhysicalExpr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LambdaKind {
    Transform,
    Filter,
    Exists,
    Forall,
    /// `aggregate(array, zero, merge[, finish])`: the second body is `finish`.
    Aggregate,
    ZipWith,
    MapFilter,
    TransformKeys,
    TransformValues,
    /// `array_sort(array, (left, right) -> int)`: a stable sort by the comparator.
    ArraySort,
    /// `map_zip_with(m1, m2, (k, v1, v2) -> v)`: the keys of `m1`, then
    /// those only `m2` has, each with both maps' values (NULL where absent).
    MapZipWith,
}

/// A compiled lambda: the body and the schema of the batch it reads.
#[derive(Debug, Clone)]
pub struct CompiledLambda {
    pub body: Arc<dyn PhysicalExpr>,
    pub schema: SchemaRef,
    /// How many leading columns of `schema` are lambda parameters.
    pub params: usize,
}

#[derive(Debug)]
pub struct SparkLambda {
    signature: Signature,
    kind: LambdaKind,
    name: String,
    lambda: CompiledLambda,
    finish: Option<CompiledLambda>,
    return_type: DataType,
    /// How many leading arguments are the collections (and the zero value).
    collections: usize,
}

impl PartialEq for SparkLambda {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind && self.name == other.name && self.return_type == other.return_type
    }
}

impl Eq for SparkLambda {}

impl std::hash::Hash for SparkLambda {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.kind.hash(state);
        self.name.hash(state);
    }
}

impl SparkLambda {
    /// `name` identifies the call (its Spark column name), `collections` how
    /// many arguments precede the enclosing columns the body reads.
    pub fn udf(kind: LambdaKind, name: &str, lambda: CompiledLambda, finish: Option<CompiledLambda>, return_type: DataType, collections: usize) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self {
            signature: Signature::variadic_any(Volatility::Immutable),
            kind,
            name: format!("lambda:{name}"),
            lambda,
            finish,
            return_type,
            collections,
        }))
    }
}

/// Evaluates a lambda over parameter columns, with the enclosing columns
/// taken at `rows` (the row each element belongs to).
fn eval(l: &CompiledLambda, params: Vec<ArrayRef>, outer: &[ArrayRef], rows: &UInt32Array) -> Result<ArrayRef> {
    let n = params.first().map(|p| p.len()).unwrap_or(rows.len());
    let mut columns = params;
    for o in outer {
        columns.push(take(o.as_ref(), rows, None)?);
    }
    // Parameter columns may carry different nullability than declared.
    let fields: Vec<Field> = l.schema.fields().iter().zip(&columns).map(|(f, c)| Field::new(f.name(), c.data_type().clone(), true)).collect();
    let batch = RecordBatch::try_new_with_options(
        Arc::new(Schema::new(fields)),
        columns,
        &datafusion::arrow::array::RecordBatchOptions::new().with_row_count(Some(n)),
    )?;
    l.body.evaluate(&batch)?.into_array(n)
}

/// The row of each element of a list array, and each element's index.
fn element_rows<O: OffsetSizeTrait>(offsets: &OffsetBuffer<O>) -> (UInt32Array, Int32Array) {
    let mut rows = Vec::new();
    let mut index = Vec::new();
    for (r, w) in offsets.windows(2).enumerate() {
        let (a, b) = (w[0].as_usize(), w[1].as_usize());
        for i in 0..(b - a) {
            rows.push(r as u32);
            index.push(i as i32);
        }
    }
    (UInt32Array::from(rows), Int32Array::from(index))
}

fn list_parts(a: &ArrayRef) -> Result<(Arc<Field>, OffsetBuffer<i32>, ArrayRef, Option<NullBuffer>)> {
    match a.data_type() {
        DataType::List(_) => {
            let l = a.as_list::<i32>();
            // Only the elements in use, so element indexes line up with offsets.
            let first = l.value_offsets().first().copied().unwrap_or(0) as usize;
            let last = l.value_offsets().last().copied().unwrap_or(0) as usize;
            let values = l.values().slice(first, last - first);
            let offsets = OffsetBuffer::new(l.value_offsets().iter().map(|o| o - first as i32).collect::<Vec<_>>().into());
            let field = match l.data_type() {
                DataType::List(f) => f.clone(),
                _ => Arc::new(Field::new("element", values.data_type().clone(), true)),
            };
            Ok((field, offsets, values, l.nulls().cloned()))
        }
        DataType::Null => Ok((Arc::new(Field::new("element", DataType::Null, true)), OffsetBuffer::new_zeroed(a.len()), datafusion::arrow::array::new_null_array(&DataType::Null, 0), Some(NullBuffer::new_null(a.len())))),
        other => exec_err!("expected an array, got {other}"),
    }
}

fn map_parts(a: &ArrayRef) -> Result<(Arc<Field>, OffsetBuffer<i32>, StructArray, Option<NullBuffer>, bool)> {
    match a.data_type() {
        DataType::Map(field, sorted) => {
            let m = a.as_map();
            let first = m.value_offsets().first().copied().unwrap_or(0) as usize;
            let last = m.value_offsets().last().copied().unwrap_or(0) as usize;
            let entries = m.entries().slice(first, last - first);
            let offsets = OffsetBuffer::new(m.value_offsets().iter().map(|o| o - first as i32).collect::<Vec<_>>().into());
            Ok((field.clone(), offsets, entries, m.nulls().cloned(), *sorted))
        }
        other => exec_err!("expected a map, got {other}"),
    }
}

/// Keeps the elements where `mask` is true; offsets shrink to match.
fn filter_list(offsets: &OffsetBuffer<i32>, mask: &BooleanArray) -> OffsetBuffer<i32> {
    let mut out = Vec::with_capacity(offsets.len());
    let mut kept = 0i32;
    out.push(0);
    for w in offsets.windows(2) {
        for i in w[0] as usize..w[1] as usize {
            if mask.is_valid(i) && mask.value(i) {
                kept += 1;
            }
        }
        out.push(kept);
    }
    OffsetBuffer::new(out.into())
}

/// Arrays up to this length have all their comparisons evaluated in one
/// batch; longer ones evaluate each comparison the sort makes.
const COMPARISON_MATRIX_MAX: usize = 512;

impl SparkLambda {
    /// The positions of elements `a..b` (of row `row`) in the comparator's order.
    fn sorted_positions(&self, values: &ArrayRef, outer: &[ArrayRef], row: usize, a: usize, b: usize) -> Result<Vec<u32>> {
        let len = b - a;
        let mut positions: Vec<u32> = (a as u32..b as u32).collect();
        if len < 2 {
            return Ok(positions);
        }
        let compare_batch = |left: Vec<u32>, right: Vec<u32>| -> Result<ArrayRef> {
            let rows = UInt32Array::from(vec![row as u32; left.len()]);
            let x = take(values.as_ref(), &UInt32Array::from(left), None)?;
            let y = take(values.as_ref(), &UInt32Array::from(right), None)?;
            let result = eval(&self.lambda, vec![x, y], outer, &rows)?;
            Ok(datafusion::arrow::compute::cast(&result, &DataType::Int64)?)
        };
        let mut null_between: Option<(u32, u32)> = None;
        if len <= COMPARISON_MATRIX_MAX {
            let (mut left, mut right) = (Vec::with_capacity(len * len), Vec::with_capacity(len * len));
            for i in a..b {
                for j in a..b {
                    left.push(i as u32);
                    right.push(j as u32);
                }
            }
            let matrix = compare_batch(left, right)?;
            let matrix = matrix.as_primitive::<datafusion::arrow::datatypes::Int64Type>();
            positions.sort_by(|&i, &j| {
                let k = (i as usize - a) * len + (j as usize - a);
                if matrix.is_null(k) {
                    null_between.get_or_insert((i, j));
                    return std::cmp::Ordering::Equal;
                }
                matrix.value(k).cmp(&0)
            });
        } else {
            let mut failure = None;
            positions.sort_by(|&i, &j| match compare_batch(vec![i], vec![j]) {
                Ok(v) => {
                    let v = v.as_primitive::<datafusion::arrow::datatypes::Int64Type>();
                    if v.is_null(0) {
                        null_between.get_or_insert((i, j));
                        return std::cmp::Ordering::Equal;
                    }
                    v.value(0).cmp(&0)
                }
                Err(e) => {
                    failure.get_or_insert(e);
                    std::cmp::Ordering::Equal
                }
            });
            if let Some(e) = failure {
                return Err(e);
            }
        }
        if let Some((i, j)) = null_between {
            let show = |k: u32| datafusion::common::ScalarValue::try_from_array(values, k as usize).map(|v| v.to_string()).unwrap_or_default();
            return Err(crate::error::SparkRuntimeError::new(
                crate::error::RuntimeKind::Spark,
                "COMPARATOR_RETURNS_NULL",
                "22004",
                format!(
                    "The comparator has returned a NULL for a comparison between {} and {}. It should return a positive integer for \"greater than\", 0 for \"equal\" and a negative integer for \"less than\". To revert to deprecated behavior where NULL is treated as 0 (equal), you must set \"spark.sql.legacy.allowNullComparisonResultInArraySort\" to \"true\".",
                    show(i),
                    show(j)
                ),
            )
            .param("firstValue", show(i))
            .param("secondValue", show(j))
            .into_df());
        }
        Ok(positions)
    }
}

impl ScalarUDFImpl for SparkLambda {
    fn name(&self) -> &str {
        &self.name
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(self.return_type.clone())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let n = args.number_rows;
        let arrays = args.args.iter().map(|a| a.to_array(n)).collect::<Result<Vec<_>>>()?;
        let (collections, outer) = arrays.split_at(self.collections.min(arrays.len()));
        let out: ArrayRef = match self.kind {
            LambdaKind::Transform | LambdaKind::Filter | LambdaKind::Exists | LambdaKind::Forall => {
                let (field, offsets, values, nulls) = list_parts(&collections[0])?;
                let (rows, index) = element_rows(&offsets);
                let mut params = vec![values.clone()];
                if self.lambda.params > 1 {
                    params.push(Arc::new(index));
                }
                let result = eval(&self.lambda, params, outer, &rows)?;
                match self.kind {
                    LambdaKind::Transform => {
                        let f = Arc::new(Field::new(field.name(), result.data_type().clone(), true));
                        Arc::new(GenericListArray::<i32>::try_new(f, offsets, result, nulls)?)
                    }
                    LambdaKind::Filter => {
                        let mask = result.as_boolean();
                        let kept = filter(values.as_ref(), mask)?;
                        Arc::new(GenericListArray::<i32>::try_new(field, filter_list(&offsets, mask), kept, nulls)?)
                    }
                    _ => {
                        let mask = result.as_boolean();
                        let exists = self.kind == LambdaKind::Exists;
                        let mut out = Vec::with_capacity(n);
                        for (r, w) in offsets.windows(2).enumerate() {
                            if nulls.as_ref().is_some_and(|nb| nb.is_null(r)) {
                                out.push(None);
                                continue;
                            }
                            let (mut hit, mut unknown) = (false, false);
                            for i in w[0] as usize..w[1] as usize {
                                if mask.is_null(i) {
                                    unknown = true;
                                } else if mask.value(i) == exists {
                                    hit = true;
                                    break;
                                }
                            }
                            out.push(if hit { Some(exists) } else if unknown { None } else { Some(!exists) });
                        }
                        Arc::new(BooleanArray::from(out))
                    }
                }
            }
            LambdaKind::Aggregate => {
                let (_, offsets, values, nulls) = list_parts(&collections[0])?;
                let mut acc = collections[1].clone();
                let longest = offsets.windows(2).map(|w| (w[1] - w[0]) as usize).max().unwrap_or(0);
                for k in 0..longest {
                    let mut rows = Vec::new();
                    let mut elements = Vec::new();
                    for (r, w) in offsets.windows(2).enumerate() {
                        if ((w[1] - w[0]) as usize) > k {
                            rows.push(r as u32);
                            elements.push((w[0] as usize + k) as u32);
                        }
                    }
                    let rows = UInt32Array::from(rows);
                    let x = take(values.as_ref(), &UInt32Array::from(elements), None)?;
                    let acc_rows = take(acc.as_ref(), &rows, None)?;
                    let next = eval(&self.lambda, vec![acc_rows, x], outer, &rows)?;
                    let next = if next.data_type() != acc.data_type() { datafusion::arrow::compute::cast(&next, acc.data_type())? } else { next };
                    let mut pick: Vec<(usize, usize)> = (0..n).map(|r| (0, r)).collect();
                    for (i, r) in rows.values().iter().enumerate() {
                        pick[*r as usize] = (1, i);
                    }
                    acc = interleave(&[acc.as_ref(), next.as_ref()], &pick)?;
                }
                let all = UInt32Array::from((0..n as u32).collect::<Vec<_>>());
                let done = match &self.finish {
                    Some(f) => eval(f, vec![acc], outer, &all)?,
                    None => acc,
                };
                // A NULL array aggregates to NULL.
                match nulls {
                    Some(nb) => {
                        let keep = BooleanArray::from((0..n).map(|r| nb.is_valid(r)).collect::<Vec<_>>());
                        datafusion::arrow::compute::nullif(&done, &datafusion::arrow::compute::not(&keep)?)?
                    }
                    None => done,
                }
            }
            LambdaKind::ZipWith => {
                let (_, ao, av, an) = list_parts(&collections[0])?;
                let (_, bo, bv, bn) = list_parts(&collections[1])?;
                let mut rows = Vec::new();
                let mut ai: Vec<Option<u32>> = Vec::new();
                let mut bi: Vec<Option<u32>> = Vec::new();
                let mut offsets = vec![0i32];
                for r in 0..n {
                    let (a0, a1) = (ao[r] as usize, ao[r + 1] as usize);
                    let (b0, b1) = (bo[r] as usize, bo[r + 1] as usize);
                    let len = (a1 - a0).max(b1 - b0);
                    for k in 0..len {
                        rows.push(r as u32);
                        ai.push((a0 + k < a1).then_some((a0 + k) as u32));
                        bi.push((b0 + k < b1).then_some((b0 + k) as u32));
                    }
                    offsets.push(offsets[r] + len as i32);
                }
                let x = take(av.as_ref(), &UInt32Array::from(ai), None)?;
                let y = take(bv.as_ref(), &UInt32Array::from(bi), None)?;
                let result = eval(&self.lambda, vec![x, y], outer, &UInt32Array::from(rows))?;
                let nulls = NullBuffer::union(an.as_ref(), bn.as_ref());
                let f = Arc::new(Field::new("element", result.data_type().clone(), true));
                Arc::new(GenericListArray::<i32>::try_new(f, OffsetBuffer::new(offsets.into()), result, nulls)?)
            }
            LambdaKind::ArraySort => {
                let (field, offsets, values, nulls) = list_parts(&collections[0])?;
                let mut order: Vec<u32> = Vec::with_capacity(values.len());
                for r in 0..n {
                    let (a, b) = (offsets[r] as usize, offsets[r + 1] as usize);
                    order.extend(self.sorted_positions(&values, outer, r, a, b)?);
                }
                let sorted = take(values.as_ref(), &UInt32Array::from(order), None)?;
                Arc::new(GenericListArray::<i32>::try_new(field, offsets, sorted, nulls)?)
            }
            LambdaKind::MapZipWith => {
                let (field, a_offsets, a, a_nulls, sorted) = map_parts(&collections[0])?;
                let (_, b_offsets, b, b_nulls, _) = map_parts(&collections[1])?;
                // Each key of the result: where it is in the first map and in the second.
                let (mut from_a, mut from_b, mut key_at, mut rows, mut offsets) = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), vec![0i32]);
                let a_len = a.len() as u32;
                for r in 0..n {
                    let (a0, a1) = (a_offsets[r] as usize, a_offsets[r + 1] as usize);
                    let (b0, b1) = (b_offsets[r] as usize, b_offsets[r + 1] as usize);
                    let mut seen: Vec<datafusion::common::ScalarValue> = Vec::new();
                    for i in a0..a1 {
                        let k = datafusion::common::ScalarValue::try_from_array(a.column(0), i)?;
                        let j = (b0..b1).find(|&j| datafusion::common::ScalarValue::try_from_array(b.column(0), j).is_ok_and(|bk| bk == k));
                        seen.push(k);
                        from_a.push(Some(i as u32));
                        from_b.push(j.map(|j| j as u32));
                        key_at.push(i as u32);
                        rows.push(r as u32);
                    }
                    for j in b0..b1 {
                        let k = datafusion::common::ScalarValue::try_from_array(b.column(0), j)?;
                        if seen.contains(&k) {
                            continue;
                        }
                        from_a.push(None);
                        from_b.push(Some(j as u32));
                        key_at.push(a_len + j as u32);
                        rows.push(r as u32);
                    }
                    offsets.push(from_a.len() as i32);
                }
                // An empty `map()` has keys of type NULL: both sides take the other's key type.
                let key_type = if a.column(0).data_type().is_null() { b.column(0).data_type().clone() } else { a.column(0).data_type().clone() };
                let (a_keys, b_keys) = (datafusion::arrow::compute::cast(a.column(0), &key_type)?, datafusion::arrow::compute::cast(b.column(0), &key_type)?);
                let all_keys = datafusion::arrow::compute::concat(&[a_keys.as_ref(), b_keys.as_ref()])?;
                let keys = take(all_keys.as_ref(), &UInt32Array::from(key_at), None)?;
                let v1 = take(a.column(1).as_ref(), &UInt32Array::from(from_a), None)?;
                let v2 = take(b.column(1).as_ref(), &UInt32Array::from(from_b), None)?;
                let result = eval(&self.lambda, vec![keys.clone(), v1, v2], outer, &UInt32Array::from(rows))?;
                let DataType::Struct(fs) = field.data_type() else { return exec_err!("malformed map") };
                let kf = Arc::new(Field::new(fs[0].name(), keys.data_type().clone(), false));
                let vf = Arc::new(Field::new(fs[1].name(), result.data_type().clone(), true));
                let entries = StructArray::try_new(vec![kf, vf].into(), vec![keys, result], None)?;
                let ef = Arc::new(Field::new(field.name(), entries.data_type().clone(), false));
                Arc::new(MapArray::try_new(ef, OffsetBuffer::new(offsets.into()), entries, NullBuffer::union(a_nulls.as_ref(), b_nulls.as_ref()), sorted)?)
            }
            LambdaKind::MapFilter | LambdaKind::TransformKeys | LambdaKind::TransformValues => {
                let (field, offsets, entries, nulls, sorted) = map_parts(&collections[0])?;
                let (rows, _) = element_rows(&offsets);
                let keys = entries.column(0).clone();
                let values = entries.column(1).clone();
                let result = eval(&self.lambda, vec![keys.clone(), values.clone()], outer, &rows)?;
                let (key_field, value_field) = match field.data_type() {
                    DataType::Struct(fs) if fs.len() == 2 => (fs[0].clone(), fs[1].clone()),
                    _ => return exec_err!("malformed map"),
                };
                let (offsets, keys, values) = match self.kind {
                    LambdaKind::MapFilter => {
                        let mask = result.as_boolean();
                        (filter_list(&offsets, mask), filter(keys.as_ref(), mask)?, filter(values.as_ref(), mask)?)
                    }
                    LambdaKind::TransformKeys => (offsets, result, values),
                    _ => (offsets, keys, result),
                };
                let kf = Arc::new(Field::new(key_field.name(), keys.data_type().clone(), false));
                let vf = Arc::new(Field::new(value_field.name(), values.data_type().clone(), true));
                let entries = StructArray::try_new(vec![kf, vf].into(), vec![keys, values], None)?;
                let ef = Arc::new(Field::new(field.name(), entries.data_type().clone(), false));
                Arc::new(MapArray::try_new(ef, offsets, entries, nulls, sorted)?)
            }
        };
        Ok(ColumnarValue::Array(out))
    }
}
