//! Writing files as Spark's file sources do: each task of the query writes
//! its rows to its own files, named `part-NNNNN-<job uuid>-c000<codec>.<ext>`
//! (`part-NNNNN-<job uuid>.c000...` inside partition directories), spread
//! over `col=value/` directories by the partition columns, and for bucketed
//! tables over one file per bucket (`part-NNNNN-<uuid>_BBBBB.c000...`); the
//! job is published atomically with a `_SUCCESS` marker ([`commit`]).

pub mod commit;
pub mod encode;
pub mod partition_path;

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, RecordBatch, UInt32Array};
use datafusion::arrow::compute::take_record_batch;
use datafusion::execution::SendableRecordBatchStream;
use futures::StreamExt;

pub use commit::{Replace, StagedWrite, recover};
pub use encode::{FileEncoding, WriteFormat, file_schema};

use crate::{SourceError, SourceResult};

/// The shape of the rows a write receives: the data columns first (already
/// encoded as lines for the line formats), then each partition column's
/// value as a string, then (for bucketed tables) the bucket id as an INT.
#[derive(Debug, Clone)]
pub struct WriteLayout {
    pub encoding: FileEncoding,
    pub data_columns: usize,
    pub partition_columns: Vec<String>,
    pub bucketed: bool,
}

/// What a write produced.
#[derive(Debug, Default, Clone, Copy)]
pub struct WriteStats {
    pub files: usize,
    pub rows: usize,
}

/// Writes every task's stream into the job's staging area, tasks in
/// parallel. Commit or drop `job` afterwards.
pub async fn write_tasks(streams: Vec<SendableRecordBatchStream>, job: &StagedWrite, layout: &WriteLayout) -> SourceResult<WriteStats> {
    let layout = Arc::new(layout.clone());
    let mut tasks = tokio::task::JoinSet::new();
    for (task, stream) in streams.into_iter().enumerate() {
        let writer = TaskWriter::new(task, job, layout.clone());
        tasks.spawn(writer.run(stream));
    }
    let mut total = WriteStats::default();
    while let Some(done) = tasks.join_next().await {
        let stats = done.map_err(|e| SourceError::Write { path: "task".into(), message: e.to_string() })??;
        total.files += stats.files;
        total.rows += stats.rows;
    }
    // Spark leaves one (empty) file when a job without partition columns wrote none.
    if total.files == 0 && layout.partition_columns.is_empty() && !layout.bucketed {
        let path = job.staged_path(&TaskWriter::file_name(0, job.job_id(), &layout, false, None))?;
        layout.encoding.open(&path)?.finish()?;
        total.files = 1;
    }
    Ok(total)
}

/// One task's open files, by partition directory.
struct TaskWriter {
    task: usize,
    job_id: String,
    layout: Arc<WriteLayout>,
    open: HashMap<String, Box<dyn encode::FileEncoder>>,
    stats: WriteStats,
    job_paths: JobPaths,
}

/// Where a task may stage files (a copy of the job's staging root).
#[derive(Clone)]
struct JobPaths(std::path::PathBuf);

impl TaskWriter {
    fn new(task: usize, job: &StagedWrite, layout: Arc<WriteLayout>) -> Self {
        let root = job.staging_root().to_path_buf();
        Self { task, job_id: job.job_id().to_string(), layout, open: HashMap::new(), stats: WriteStats::default(), job_paths: JobPaths(root) }
    }

    fn file_name(task: usize, job_id: &str, layout: &WriteLayout, partitioned: bool, bucket: Option<i32>) -> String {
        match bucket {
            Some(b) => format!("part-{task:05}-{job_id}_{b:05}.c000{}", layout.encoding.suffix()),
            None => {
                let sep = if partitioned { '.' } else { '-' };
                format!("part-{task:05}-{job_id}{sep}c000{}", layout.encoding.suffix())
            }
        }
    }

    async fn run(mut self, mut stream: SendableRecordBatchStream) -> SourceResult<WriteStats> {
        while let Some(batch) = stream.next().await {
            let batch = batch?;
            if batch.num_rows() > 0 {
                self.write(&batch)?;
            }
        }
        for (_, encoder) in self.open.drain() {
            encoder.finish()?;
        }
        Ok(self.stats)
    }

    /// The open file for rows of a partition directory (and bucket).
    fn encoder(&mut self, dir: &str, bucket: Option<i32>) -> SourceResult<&mut Box<dyn encode::FileEncoder>> {
        let key = match bucket {
            Some(b) => format!("{dir}#{b}"),
            None => dir.to_string(),
        };
        if !self.open.contains_key(&key) {
            let partitioned = !dir.is_empty();
            let name = Self::file_name(self.task, &self.job_id, &self.layout, partitioned, bucket);
            let relative = if partitioned { format!("{dir}/{name}") } else { name };
            let path = self.job_paths.0.join(&relative);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| SourceError::Write { path: parent.display().to_string(), message: e.to_string() })?;
            }
            let encoder = self.layout.encoding.open(&path)?;
            self.stats.files += 1;
            self.open.insert(key.clone(), encoder);
        }
        self.open.get_mut(&key).ok_or_else(|| SourceError::Write { path: dir.into(), message: "no open file".into() })
    }

    fn write(&mut self, batch: &RecordBatch) -> SourceResult<()> {
        let data = batch.project(&(0..self.layout.data_columns).collect::<Vec<_>>())?;
        let data = RecordBatch::try_new(if self.layout.encoding.format == WriteFormat::Parquet { self.layout.encoding.schema.clone() } else { data.schema() }, data.columns().to_vec())?;
        self.stats.rows += batch.num_rows();
        if self.layout.partition_columns.is_empty() && !self.layout.bucketed {
            return self.encoder("", None)?.write(&data);
        }
        // Rows grouped by their partition directory and bucket, in order of first appearance.
        let partitions = self.layout.partition_columns.len();
        let values: Vec<_> = (self.layout.data_columns..self.layout.data_columns + partitions).map(|i| batch.column(i).clone()).collect();
        let buckets = if self.layout.bucketed {
            let column = batch.column(self.layout.data_columns + partitions);
            Some(column.as_primitive_opt::<datafusion::arrow::datatypes::Int32Type>().ok_or_else(|| SourceError::Write { path: "bucket".into(), message: "bucket ids must be INT".into() })?.clone())
        } else {
            None
        };
        let strings: Vec<_> = values.iter().map(|c| c.as_string_opt::<i32>()).collect();
        // Group rows by their partition values (borrowed, no copies) and
        // bucket; each group's directory name is built once.
        let mut groups: Vec<((Vec<Option<&str>>, Option<i32>), Vec<u32>)> = Vec::new();
        let mut index: HashMap<(Vec<Option<&str>>, Option<i32>), usize> = HashMap::new();
        for row in 0..batch.num_rows() {
            let key: Vec<Option<&str>> = strings.iter().map(|s| s.filter(|s| !s.is_null(row)).map(|s| s.value(row))).collect();
            let bucket = buckets.as_ref().map(|b| if b.is_null(row) { 0 } else { b.value(row) });
            let key = (key, bucket);
            match index.get(&key) {
                Some(&at) => groups[at].1.push(row as u32),
                None => {
                    index.insert(key.clone(), groups.len());
                    groups.push((key, vec![row as u32]));
                }
            }
        }
        let groups: Vec<((String, Option<i32>), Vec<u32>)> = groups
            .into_iter()
            .map(|((values, bucket), rows)| {
                let dir = self.layout.partition_columns.iter().zip(&values).map(|(name, v)| partition_path::segment(name, *v)).collect::<Vec<_>>().join("/");
                ((dir, bucket), rows)
            })
            .collect();
        for ((dir, bucket), rows) in groups {
            let part = take_record_batch(&data, &UInt32Array::from(rows))?;
            self.encoder(&dir, bucket)?.write(&part)?;
        }
        Ok(())
    }
}
