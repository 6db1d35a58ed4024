//! Reading one ORC file as a DataFusion table: its stripes are spread over
//! the session's target partitions, each partition decoding its stripes
//! with `orc-rust` on a blocking thread, only the projected columns, and
//! converting them to Spark's Arrow types ([`super::types`]). Columns of
//! the table the file lacks read as NULL, as in Spark.

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, MapArray, RecordBatch, RecordBatchOptions, StructArray, make_array, new_null_array};
use datafusion::arrow::array::{AsArray, ListArray};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{DataType, Date32Type, SchemaRef, TimeUnit, TimestampMicrosecondType};
use datafusion::catalog::{Session, TableProvider};
use datafusion::common::tree_node::TreeNodeRecursion;
use datafusion::error::{DataFusionError, Result as DfResult};
use datafusion::execution::{SendableRecordBatchStream, TaskContext};
use datafusion::logical_expr::{Expr, TableProviderFilterPushDown, TableType};
use datafusion::physical_expr::{EquivalenceProperties, PhysicalExpr};
use datafusion::physical_plan::execution_plan::{Boundedness, EmissionType};
use datafusion::physical_plan::stream::RecordBatchStreamAdapter;
use datafusion::physical_plan::{ChildrenPropertiesMode, DisplayAs, DisplayFormatType, ExecutionPlan, Partitioning, PlanProperties, ReplaceChildrenOptions};
use orc_rust::projection::ProjectionMask;
use orc_rust::{ArrowReaderBuilder, TimestampPrecision};

use super::calendar::{FIRST_UNCHANGED_DAY, hybrid_to_gregorian_days, hybrid_to_gregorian_micros};
use crate::{SourceError, SourceResult};

/// Rows per decoded batch.
const BATCH_ROWS: usize = 8192;

/// One stripe: where it starts and how many rows it holds.
#[derive(Debug, Clone, Copy)]
struct StripeSpan {
    offset: u64,
    rows: u64,
}

/// An ORC file as a table of `schema`.
#[derive(Debug)]
pub struct OrcTable {
    path: PathBuf,
    schema: SchemaRef,
    stripes: Vec<StripeSpan>,
    /// Whether dates and timestamps need rebasing from the hybrid calendar.
    rebase: bool,
}

impl OrcTable {
    pub fn open(path: &std::path::Path, schema: SchemaRef) -> SourceResult<Self> {
        let tail = super::footer::read_tail(path)?;
        let stripes = tail.stripes.iter().map(|&(offset, rows)| StripeSpan { offset, rows }).collect();
        Ok(Self { path: path.to_path_buf(), schema, stripes, rebase: !tail.proleptic })
    }
}

#[async_trait::async_trait]
impl TableProvider for OrcTable {
    fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    fn table_type(&self) -> TableType {
        TableType::Base
    }

    async fn scan(&self, state: &dyn Session, projection: Option<&Vec<usize>>, _filters: &[Expr], _limit: Option<usize>) -> DfResult<Arc<dyn ExecutionPlan>> {
        let schema = match projection {
            Some(p) => Arc::new(self.schema.project(p)?),
            None => self.schema.clone(),
        };
        // Contiguous runs of stripes, one per partition.
        let partitions = state.config().target_partitions().clamp(1, self.stripes.len().max(1));
        let per = self.stripes.len().div_ceil(partitions).max(1);
        let mut groups: Vec<Vec<StripeSpan>> = self.stripes.chunks(per).map(<[StripeSpan]>::to_vec).collect();
        if groups.is_empty() {
            groups.push(Vec::new());
        }
        Ok(Arc::new(OrcScanExec::new(self.path.clone(), schema, groups, self.rebase)))
    }

    fn supports_filters_pushdown(&self, filters: &[&Expr]) -> DfResult<Vec<TableProviderFilterPushDown>> {
        Ok(vec![TableProviderFilterPushDown::Unsupported; filters.len()])
    }
}

#[derive(Debug)]
pub struct OrcScanExec {
    path: PathBuf,
    groups: Vec<Vec<StripeSpan>>,
    rebase: bool,
    properties: Arc<PlanProperties>,
}

impl OrcScanExec {
    fn new(path: PathBuf, schema: SchemaRef, groups: Vec<Vec<StripeSpan>>, rebase: bool) -> Self {
        let properties = Arc::new(PlanProperties::new(
            EquivalenceProperties::new(schema),
            Partitioning::UnknownPartitioning(groups.len()),
            EmissionType::Incremental,
            Boundedness::Bounded,
        ));
        Self { path, groups, rebase, properties }
    }
}

impl DisplayAs for OrcScanExec {
    fn fmt_as(&self, _: DisplayFormatType, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "OrcScanExec: file={}, partitions={}", self.path.display(), self.groups.len())
    }
}

impl ExecutionPlan for OrcScanExec {
    fn name(&self) -> &str {
        "OrcScanExec"
    }

    fn properties(&self) -> &Arc<PlanProperties> {
        &self.properties
    }

    fn children(&self) -> Vec<&Arc<dyn ExecutionPlan>> {
        Vec::new()
    }

    fn apply_expressions(&self, _: &mut dyn FnMut(&Arc<dyn PhysicalExpr>) -> DfResult<TreeNodeRecursion>) -> DfResult<TreeNodeRecursion> {
        Ok(TreeNodeRecursion::Continue)
    }

    fn replace_children(self: Arc<Self>, _: Vec<Arc<dyn ExecutionPlan>>, _: ReplaceChildrenOptions) -> DfResult<Arc<dyn ExecutionPlan>> {
        Ok(self)
    }

    fn with_new_children(self: Arc<Self>, children: Vec<Arc<dyn ExecutionPlan>>) -> DfResult<Arc<dyn ExecutionPlan>> {
        self.replace_children(children, ReplaceChildrenOptions::new(ChildrenPropertiesMode::Recompute))
    }

    fn execute(&self, partition: usize, _context: Arc<TaskContext>) -> DfResult<SendableRecordBatchStream> {
        let schema = self.properties.eq_properties.schema().clone();
        let stripes = self.groups.get(partition).cloned().unwrap_or_default();
        let path = self.path.clone();
        let rebase = self.rebase;
        let (tx, rx) = tokio::sync::mpsc::channel::<DfResult<RecordBatch>>(2);
        let out_schema = schema.clone();
        tokio::task::spawn_blocking(move || {
            let sent = read_stripes(&path, &out_schema, &stripes, rebase, &mut |batch| tx.blocking_send(Ok(batch)).is_ok());
            if let Err(e) = sent {
                let _ = tx.blocking_send(Err(DataFusionError::External(Box::new(e))));
            }
        });
        let stream = futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) });
        Ok(Box::pin(RecordBatchStreamAdapter::new(schema, stream)))
    }
}

/// Decodes the stripes and hands each batch to `send` (false: stop).
fn read_stripes(path: &std::path::Path, schema: &SchemaRef, stripes: &[StripeSpan], rebase: bool, send: &mut dyn FnMut(RecordBatch) -> bool) -> SourceResult<()> {
    let (Some(first), Some(last)) = (stripes.first(), stripes.last()) else { return Ok(()) };
    let range: Range<usize> = first.offset as usize..last.offset as usize + 1;
    let file = std::fs::File::open(path).map_err(|e| SourceError::read(path, e))?;
    let builder = ArrowReaderBuilder::try_new(file).map_err(|e| SourceError::read(path, e))?;
    let root = builder.file_metadata().root_data_type().clone();
    // Each wanted column's name in the file (Spark matches names case-insensitively).
    let in_file: Vec<Option<String>> = schema
        .fields()
        .iter()
        .map(|f| root.children().iter().find(|c| c.name().eq_ignore_ascii_case(f.name())).map(|c| c.name().to_string()))
        .collect();
    let names: Vec<&str> = in_file.iter().flatten().map(String::as_str).collect();
    if names.is_empty() {
        // No column to decode: only the row counts matter.
        let mut rows: u64 = stripes.iter().map(|s| s.rows).sum();
        while rows > 0 {
            let n = rows.min(BATCH_ROWS as u64);
            rows -= n;
            let columns = schema.fields().iter().map(|f| new_null_array(f.data_type(), n as usize)).collect();
            let options = RecordBatchOptions::new().with_row_count(Some(n as usize));
            if !send(RecordBatch::try_new_with_options(schema.clone(), columns, &options)?) {
                return Ok(());
            }
        }
        return Ok(());
    }
    let reader = builder
        .with_projection(ProjectionMask::named_roots(&root, &names))
        .with_batch_size(BATCH_ROWS)
        .with_timestamp_precision(TimestampPrecision::Microsecond)
        .with_file_byte_range(range)
        .build();
    for batch in reader {
        let batch = batch.map_err(|e| SourceError::read(path, e))?;
        let columns = schema
            .fields()
            .iter()
            .zip(&in_file)
            .map(|(field, name)| match name.as_deref().and_then(|n| batch.column_by_name(n)) {
                Some(column) => to_spark(column, field.data_type(), rebase),
                None => Ok(new_null_array(field.data_type(), batch.num_rows())),
            })
            .collect::<SourceResult<Vec<_>>>()?;
        let options = RecordBatchOptions::new().with_row_count(Some(batch.num_rows()));
        if !send(RecordBatch::try_new_with_options(schema.clone(), columns, &options)?) {
            return Ok(());
        }
    }
    Ok(())
}

/// A decoded column as the Spark type the table gives it: the types ORC
/// lacks are the same bits relabelled; nested types convert their children.
fn to_spark(array: &ArrayRef, target: &DataType, rebase: bool) -> SourceResult<ArrayRef> {
    let source = array.data_type();
    Ok(match (source, target) {
        (DataType::Date32, DataType::Date32) if rebase => {
            let days = array.as_primitive::<Date32Type>();
            if days.iter().flatten().all(|d| i64::from(d) >= FIRST_UNCHANGED_DAY) {
                return Ok(array.clone());
            }
            Arc::new(days.unary::<_, Date32Type>(|d| hybrid_to_gregorian_days(i64::from(d)) as i32))
        }
        (DataType::Timestamp(TimeUnit::Microsecond, _), DataType::Timestamp(TimeUnit::Microsecond, Some(_))) if rebase => {
            let micros = array.as_primitive::<TimestampMicrosecondType>().unary::<_, TimestampMicrosecondType>(hybrid_to_gregorian_micros);
            make_array(micros.to_data().into_builder().data_type(target.clone()).build()?)
        }
        _ if source == target => array.clone(),
        (DataType::Int32, DataType::Interval(_))
        | (DataType::Int64, DataType::Duration(_) | DataType::Timestamp(_, _))
        | (DataType::Timestamp(_, _), DataType::Timestamp(_, _))
            if source.primitive_width() == target.primitive_width() =>
        {
            make_array(array.to_data().into_builder().data_type(target.clone()).build()?)
        }
        (DataType::Struct(_), DataType::Struct(fields)) => {
            let s = array.as_struct();
            let children = fields
                .iter()
                .map(|f| match s.column_by_name(f.name()) {
                    Some(c) => to_spark(c, f.data_type(), rebase),
                    None => Ok(new_null_array(f.data_type(), s.len())),
                })
                .collect::<SourceResult<Vec<_>>>()?;
            Arc::new(StructArray::try_new(fields.clone(), children, s.nulls().cloned())?)
        }
        (DataType::List(_), DataType::List(item)) => {
            let l = array.as_list::<i32>();
            let values = to_spark(l.values(), item.data_type(), rebase)?;
            Arc::new(ListArray::try_new(item.clone(), l.offsets().clone(), values, l.nulls().cloned())?)
        }
        (DataType::Map(_, _), DataType::Map(entries, sorted)) => {
            let m = array.as_map();
            let DataType::Struct(kv) = entries.data_type() else { return Ok(cast(array, target)?) };
            let keys = to_spark(m.keys(), kv[0].data_type(), rebase)?;
            let values = to_spark(m.values(), kv[1].data_type(), rebase)?;
            let entries_array = StructArray::try_new(kv.clone(), vec![keys, values], None)?;
            Arc::new(MapArray::try_new(entries.clone(), m.offsets().clone(), entries_array, m.nulls().cloned(), *sorted)?)
        }
        _ => cast(array, target)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orc::compress::OrcCodec;
    use crate::orc::writer::OrcEncoder;
    use crate::write::encode::FileEncoder;
    use datafusion::arrow::array::{Int32Array, Int64Array, StringArray, TimestampMicrosecondArray};
    use datafusion::arrow::buffer::{NullBuffer, OffsetBuffer};
    use datafusion::arrow::compute::concat_batches;
    use datafusion::arrow::datatypes::{Field, Fields, Schema};

    fn sample(rows: i64) -> SourceResult<RecordBatch> {
        let ids = Int64Array::from_iter((0..rows).map(|i| (i % 7 != 3).then_some(i - rows / 2)));
        let names = StringArray::from_iter((0..rows).map(|i| (i % 5 != 0).then(|| format!("n{}", i % 13))));
        let ts = TimestampMicrosecondArray::from_iter((0..rows).map(|i| (i % 4 != 1).then_some(i * 1_234_567 - 40_000_000_000_000_000))).with_timezone("UTC");
        // A struct that is null every third row, whose field is null every other row.
        let inner = Fields::from(vec![Field::new("x", DataType::Int32, true)]);
        let xs = Int32Array::from_iter((0..rows).map(|i| (i % 2 == 0).then_some(i as i32)));
        let st = StructArray::try_new(inner.clone(), vec![Arc::new(xs)], Some(NullBuffer::from_iter((0..rows).map(|i| i % 3 != 0))))?;
        // Lists of 0..3 ints, null every fourth row.
        let lens: Vec<usize> = (0..rows).map(|i| (i % 4) as usize).collect();
        let values = Int32Array::from_iter((0..lens.iter().sum::<usize>()).map(|v| (v % 6 != 0).then_some(v as i32)));
        let item = Arc::new(Field::new("element", DataType::Int32, true));
        let list = ListArray::try_new(item.clone(), OffsetBuffer::from_lengths(lens), Arc::new(values), Some(NullBuffer::from_iter((0..rows).map(|i| i % 4 != 3))))?;
        let schema = Arc::new(Schema::new(vec![
            Field::new("id", DataType::Int64, true),
            Field::new("name", DataType::Utf8, true),
            Field::new("ts", DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())), true),
            Field::new("st", DataType::Struct(inner), true),
            Field::new("list", DataType::List(item), true),
        ]));
        Ok(RecordBatch::try_new(schema, vec![Arc::new(ids), Arc::new(names), Arc::new(ts), Arc::new(st), Arc::new(list)])?)
    }

    fn round_trip(test: &str, batches: &[RecordBatch], codec: OrcCodec) -> SourceResult<RecordBatch> {
        let schema = batches[0].schema();
        let dir = std::env::temp_dir().join(format!("scs-orc-{}-{test}-{codec:?}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join("t.orc");
        let mut encoder = Box::new(OrcEncoder::create(&path, schema.clone(), codec)?);
        for b in batches {
            encoder.write(b)?;
        }
        encoder.finish()?;
        let tail = crate::orc::footer::read_tail(&path)?;
        assert_eq!(crate::orc::types::spark_schema(&tail.types)?, *schema);
        let stripes: Vec<StripeSpan> = tail.stripes.iter().map(|&(offset, rows)| StripeSpan { offset, rows }).collect();
        let mut read = Vec::new();
        read_stripes(&path, &schema, &stripes, !tail.proleptic, &mut |b| {
            read.push(b);
            true
        })?;
        let _ = std::fs::remove_dir_all(&dir);
        Ok(concat_batches(&schema, &read)?)
    }

    #[test]
    fn nested_nulls_round_trip() -> SourceResult<()> {
        for codec in [OrcCodec::None, OrcCodec::Zstd, OrcCodec::Snappy, OrcCodec::Zlib, OrcCodec::Lz4, OrcCodec::Lzo] {
            let batch = sample(1000)?;
            assert_eq!(round_trip("nested", std::slice::from_ref(&batch), codec)?, batch, "{codec:?}");
        }
        Ok(())
    }

    #[test]
    fn many_stripes_round_trip() -> SourceResult<()> {
        // Enough rows to fill several stripes.
        let batches: Vec<RecordBatch> = (0..30).map(|_| sample(50_000)).collect::<SourceResult<_>>()?;
        let all = concat_batches(&batches[0].schema(), &batches)?;
        assert_eq!(round_trip("stripes", &batches, OrcCodec::Zstd)?, all);
        Ok(())
    }
}
