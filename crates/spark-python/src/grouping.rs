//! Cutting a partition's rows into groups of equal keys, for the grouped
//! kinds (`applyInPandas`, `applyInArrow`, and their cogroup forms): the rows are gathered, ordered
//! by their keys (compared in Arrow's row format, so any key type works and
//! NULL keys form a group of their own) and sliced where the key changes.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, RecordBatch, RecordBatchOptions, UInt32Array};
use datafusion::arrow::compute::{SortOptions, cast, concat_batches, take_record_batch};
use datafusion::arrow::datatypes::SchemaRef;
use datafusion::arrow::row::{OwnedRow, RowConverter, SortField};

use crate::error::PythonResult;

/// The groups of a partition's rows: the last `keys` columns of `schema`
/// are the keys; with no keys, all rows are one group (none when there are
/// no rows).
pub(crate) fn groups(
    incoming: impl Iterator<Item = PythonResult<RecordBatch>>,
    schema: SchemaRef,
    keys: usize,
) -> impl Iterator<Item = PythonResult<Vec<RecordBatch>>> {
    let mut incoming = Some(incoming);
    let mut pending: std::vec::IntoIter<PythonResult<Vec<RecordBatch>>> = Vec::new().into_iter();
    std::iter::from_fn(move || {
        if let Some(input) = incoming.take() {
            pending = match split(input, &schema, keys) {
                Ok(groups) => groups.into_iter().map(|g| Ok(vec![g])).collect::<Vec<_>>().into_iter(),
                Err(e) => vec![Err(e)].into_iter(),
            };
        }
        pending.next()
    })
}

fn split(incoming: impl Iterator<Item = PythonResult<RecordBatch>>, schema: &SchemaRef, keys: usize) -> PythonResult<Vec<RecordBatch>> {
    let batches = incoming.map(|b| b.and_then(|b| conform(&b, schema))).collect::<PythonResult<Vec<_>>>()?;
    let all = concat_batches(schema, &batches)?;
    if all.num_rows() == 0 {
        return Ok(vec![]);
    }
    if keys == 0 {
        return Ok(vec![all]);
    }
    let converter = key_converter(schema, keys)?;
    Ok(keyed_groups(&all, keys, &converter)?.into_iter().map(|(_, g)| g).collect())
}

/// A row converter for the last `keys` columns of `schema`.
fn key_converter(schema: &SchemaRef, keys: usize) -> PythonResult<RowConverter> {
    let fields = &schema.fields()[schema.fields().len() - keys..];
    Ok(RowConverter::new(fields.iter().map(|f| SortField::new(f.data_type().clone())).collect())?)
}

/// The rows of `all` in groups of equal keys, ordered by key.
fn keyed_groups(all: &RecordBatch, keys: usize, converter: &RowConverter) -> PythonResult<Vec<(OwnedRow, RecordBatch)>> {
    let rows = all.num_rows();
    if rows == 0 {
        return Ok(vec![]);
    }
    let key_columns: Vec<ArrayRef> = all.columns()[all.num_columns() - keys..].to_vec();
    let key_rows = converter.convert_columns(&key_columns)?;
    let mut order: Vec<u32> = (0..rows as u32).collect();
    order.sort_by(|a, b| key_rows.row(*a as usize).cmp(&key_rows.row(*b as usize)));
    let sorted = take_record_batch(all, &UInt32Array::from(order.clone()))?;
    let mut groups = vec![];
    let mut start = 0;
    for i in 1..=rows {
        if i == rows || key_rows.row(order[i] as usize) != key_rows.row(order[start] as usize) {
            groups.push((key_rows.row(order[start] as usize).owned(), sorted.slice(start, i - start)));
            start = i;
        }
    }
    Ok(groups)
}

/// Cogroups: for every key on either side (ordered), the rows of each
/// side with it — an empty batch for a side without them.
pub(crate) fn cogroups(
    incoming: impl Iterator<Item = (usize, PythonResult<RecordBatch>)>,
    schemas: [SchemaRef; 2],
    keys: usize,
) -> impl Iterator<Item = PythonResult<[Vec<RecordBatch>; 2]>> {
    let mut incoming = Some(incoming);
    let mut pending: std::vec::IntoIter<PythonResult<[Vec<RecordBatch>; 2]>> = Vec::new().into_iter();
    std::iter::from_fn(move || {
        if let Some(input) = incoming.take() {
            pending = match pair_groups(input, &schemas, keys) {
                Ok(pairs) => pairs.into_iter().map(Ok).collect::<Vec<_>>().into_iter(),
                Err(e) => vec![Err(e)].into_iter(),
            };
        }
        pending.next()
    })
}

fn pair_groups(incoming: impl Iterator<Item = (usize, PythonResult<RecordBatch>)>, schemas: &[SchemaRef; 2], keys: usize) -> PythonResult<Vec<[Vec<RecordBatch>; 2]>> {
    let mut sides: [Vec<RecordBatch>; 2] = [vec![], vec![]];
    for (side, batch) in incoming {
        let side = side.min(1);
        sides[side].push(conform(&batch?, &schemas[side])?);
    }
    let converter = key_converter(&schemas[0], keys)?;
    let [left, right] = sides;
    let left = keyed_groups(&concat_batches(&schemas[0], &left)?, keys, &converter)?;
    let right = keyed_groups(&concat_batches(&schemas[1], &right)?, keys, &converter)?;
    let empty = |i: usize| vec![RecordBatch::new_empty(Arc::clone(&schemas[i]))];
    let (mut l, mut r) = (left.into_iter().peekable(), right.into_iter().peekable());
    let mut pairs = vec![];
    loop {
        let next = match (l.peek(), r.peek()) {
            (None, None) => break,
            (Some(_), None) => l.next().map(|(_, g)| [vec![g], empty(1)]),
            (None, Some(_)) => r.next().map(|(_, g)| [empty(0), vec![g]]),
            (Some((lk, _)), Some((rk, _))) => match lk.cmp(rk) {
                std::cmp::Ordering::Less => l.next().map(|(_, g)| [vec![g], empty(1)]),
                std::cmp::Ordering::Greater => r.next().map(|(_, g)| [empty(0), vec![g]]),
                std::cmp::Ordering::Equal => match (l.next(), r.next()) {
                    (Some((_, a)), Some((_, b))) => Some([vec![a], vec![b]]),
                    _ => None,
                },
            },
        };
        pairs.extend(next);
    }
    Ok(pairs)
}

/// A partition's rows in one batch, ordered by the columns of `sort`
/// (none: as they came); nothing when there are no rows.
pub(crate) fn sorted(
    incoming: impl Iterator<Item = PythonResult<RecordBatch>>,
    schema: SchemaRef,
    sort: Vec<(usize, SortOptions)>,
) -> impl Iterator<Item = PythonResult<RecordBatch>> {
    let mut incoming = Some(incoming);
    std::iter::from_fn(move || {
        let input = incoming.take()?;
        let all = input.map(|b| b.and_then(|b| conform(&b, &schema))).collect::<PythonResult<Vec<_>>>().and_then(|b| Ok(concat_batches(&schema, &b)?));
        Some(all.and_then(|all| {
            if sort.is_empty() || all.num_rows() == 0 {
                return Ok(all);
            }
            let fields = sort.iter().map(|(i, o)| SortField::new_with_options(schema.field(*i).data_type().clone(), *o)).collect();
            let converter = RowConverter::new(fields)?;
            let rows = converter.convert_columns(&sort.iter().map(|(i, _)| all.column(*i).clone()).collect::<Vec<_>>())?;
            let mut order: Vec<u32> = (0..all.num_rows() as u32).collect();
            order.sort_by(|a, b| rows.row(*a as usize).cmp(&rows.row(*b as usize)));
            Ok(take_record_batch(&all, &UInt32Array::from(order))?)
        }))
    })
    .filter(|b| !matches!(b, Ok(b) if b.num_rows() == 0))
}

/// A batch with `schema`'s names and types.
pub(crate) fn conform(batch: &RecordBatch, schema: &SchemaRef) -> PythonResult<RecordBatch> {
    let columns = batch
        .columns()
        .iter()
        .zip(schema.fields())
        .map(|(c, f)| if c.data_type() == f.data_type() { Ok(c.clone()) } else { cast(c, f.data_type()) })
        .collect::<Result<Vec<ArrayRef>, _>>()?;
    let options = RecordBatchOptions::new().with_row_count(Some(batch.num_rows()));
    Ok(RecordBatch::try_new_with_options(Arc::clone(schema), columns, &options)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::arrow::array::{Array, Int64Array, StringArray};
    use datafusion::arrow::datatypes::{DataType, Field, Schema};

    fn batch(values: Vec<i64>, keys: Vec<Option<&str>>) -> RecordBatch {
        let schema = Arc::new(Schema::new(vec![Field::new("v", DataType::Int64, true), Field::new("k", DataType::Utf8, true)]));
        let columns: Vec<ArrayRef> = vec![Arc::new(Int64Array::from(values)), Arc::new(StringArray::from(keys))];
        RecordBatch::try_new(schema, columns).unwrap_or_else(|_| RecordBatch::new_empty(Arc::new(Schema::empty())))
    }

    #[test]
    fn rows_with_equal_keys_form_one_group_across_batches_and_nulls_group_together() -> PythonResult<()> {
        let a = batch(vec![1, 2, 3], vec![Some("x"), None, Some("y")]);
        let b = batch(vec![4, 5], vec![Some("x"), None]);
        let schema = a.schema();
        let groups: Vec<Vec<RecordBatch>> = groups(vec![Ok(a), Ok(b)].into_iter(), schema, 1).collect::<PythonResult<_>>()?;
        let mut sizes: Vec<(usize, Option<String>)> = groups
            .iter()
            .map(|g| {
                let keys = g[0].column(1).as_any().downcast_ref::<StringArray>().map(|k| if k.is_null(0) { None } else { Some(k.value(0).to_string()) });
                (g[0].num_rows(), keys.flatten())
            })
            .collect();
        sizes.sort();
        assert_eq!(sizes, vec![(1, Some("y".into())), (2, None), (2, Some("x".into()))]);
        Ok(())
    }

    #[test]
    fn no_rows_make_no_groups_and_no_keys_make_one() -> PythonResult<()> {
        let a = batch(vec![1, 2], vec![Some("x"), Some("y")]);
        let schema = a.schema();
        assert_eq!(groups(std::iter::empty(), schema.clone(), 1).count(), 0);
        let one: Vec<Vec<RecordBatch>> = groups(vec![Ok(a)].into_iter(), schema, 0).collect::<PythonResult<_>>()?;
        assert_eq!(one.len(), 1);
        assert_eq!(one[0][0].num_rows(), 2);
        Ok(())
    }
}
