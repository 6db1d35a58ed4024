//! How the server runs Python workers (`[python]` in the server's config).

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct WorkerSettings {
    /// The Python that runs workers: `python.executable`, else
    /// `PYSPARK_PYTHON`, else `python3`. It needs pyspark (or
    /// pyspark-client), plus pandas and pyarrow for the Arrow kinds.
    pub python: String,
    /// Workers alive at once, busy or idle, across all sessions.
    pub max_workers: usize,
    /// Address-space limit of each worker (`RLIMIT_AS`), as Spark's
    /// `spark.executor.pyspark.memory`.
    pub memory_limit_mb: Option<u64>,
    /// An idle worker older than this is stopped.
    pub idle_timeout: Duration,
    /// The workers' `nice` increment: busy UDFs yield the CPU to the
    /// server's own threads.
    pub nice: i32,
}

impl Default for WorkerSettings {
    fn default() -> Self {
        Self {
            python: std::env::var("PYSPARK_PYTHON").unwrap_or_else(|_| "python3".into()),
            max_workers: 8,
            memory_limit_mb: None,
            idle_timeout: Duration::from_secs(60),
            nice: 5,
        }
    }
}
