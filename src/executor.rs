//! Where queries run: never on the threads that serve gRPC, and small
//! queries apart from large ones.
//!
//! The gRPC runtime only decodes requests and moves responses, so the server
//! keeps accepting connections and answering Config, Interrupt and
//! ReleaseSession whatever runs. Queries run on two runtimes of their own:
//! - **light**: plans over small in-memory inputs (`range(1)`, `SELECT 1`,
//!   local DataFrames, schema requests) — they take milliseconds;
//! - **heavy**: plans that read files or tables, large ranges, large local
//!   data or cached results, with as many threads as query partitions.
//!
//! A small query then never waits behind the partitions of another
//! session's large one: the operating system shares the cores between the
//! two runtimes' threads, and the light runtime's queue only ever holds
//! small work.

use std::future::Future;

use spark_plan::{Command, Plan, Relation, RelationKind};
use tokio::runtime::{Builder, Handle, Runtime};
use tokio::task::JoinHandle;

/// A range longer than this is heavy work.
const LIGHT_RANGE_ROWS: i64 = 1 << 20;
/// Local data larger than this is heavy work.
const LIGHT_LOCAL_BYTES: usize = 8 << 20;
/// Deep plans are resolved recursively: big stacks (reserved, not committed).
const STACK_BYTES: usize = 512 << 20;

/// How much work a plan is, before running it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    Light,
    Heavy,
}

pub struct QueryRuntimes {
    light: Option<Runtime>,
    heavy: Option<Runtime>,
}

fn runtime(name: &str, threads: usize) -> std::io::Result<Runtime> {
    Builder::new_multi_thread().worker_threads(threads.max(1)).thread_name(name).thread_stack_size(STACK_BYTES).enable_all().build()
}

impl QueryRuntimes {
    /// `partitions` threads for heavy queries, two for light ones.
    pub fn new(partitions: usize) -> std::io::Result<Self> {
        Ok(Self { light: Some(runtime("query-light", 2)?), heavy: Some(runtime("query-heavy", partitions)?) })
    }

    fn handle(&self, weight: Weight) -> Option<Handle> {
        let rt = match weight {
            Weight::Light => self.light.as_ref(),
            Weight::Heavy => self.heavy.as_ref(),
        };
        rt.map(|r| r.handle().clone())
    }

    /// Runs `work` on the runtime for its weight; the returned handle aborts
    /// the work when dropped (an interrupted caller stops it).
    pub fn spawn<F>(&self, weight: Weight, work: F) -> Option<AbortOnDrop<F::Output>>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.handle(weight).map(|h| AbortOnDrop(Some(h.spawn(work))))
    }
}

impl Drop for QueryRuntimes {
    /// Stops running queries without waiting for them (a runtime may not
    /// block while dropped inside another).
    fn drop(&mut self) {
        for rt in [self.light.take(), self.heavy.take()].into_iter().flatten() {
            rt.shutdown_background();
        }
    }
}

/// A spawned task that is aborted when its handle is dropped, unless
/// detached.
pub struct AbortOnDrop<T>(Option<JoinHandle<T>>);

impl<T> AbortOnDrop<T> {
    /// Lets the task run on by itself; the handle can still abort it.
    pub fn detach(mut self) -> Option<tokio::task::AbortHandle> {
        self.0.take().map(|h| h.abort_handle())
    }
}

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        if let Some(h) = &self.0 {
            h.abort();
        }
    }
}

impl<T> Future for AbortOnDrop<T> {
    type Output = Result<T, tokio::task::JoinError>;

    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Self::Output> {
        match self.0.as_mut() {
            Some(h) => std::pin::Pin::new(h).poll(cx),
            None => std::task::Poll::Pending,
        }
    }
}

/// The weight of a plan: heavy when it reads files or tables, cached
/// results or large generated or local data, or runs Python functions.
pub fn weight(plan: &Plan) -> Weight {
    match plan {
        Plan::Query(r) => relation_weight(r),
        Plan::Command(Command::CacheTable { input: Some(r), .. }) => relation_weight(r),
        Plan::Command(Command::CacheTable { .. }) => Weight::Heavy,
        Plan::Command(Command::Write(_) | Command::WriteTo(_) | Command::InsertInto(_) | Command::CreateTable(_) | Command::ExecuteImmediate(_) | Command::Script(_)) => Weight::Heavy,
        Plan::Command(_) => Weight::Light,
    }
}

pub fn relation_weight(rel: &Relation) -> Weight {
    let mut stack = vec![rel];
    while let Some(r) = stack.pop() {
        let heavy = match &r.kind {
            RelationKind::Read(_) | RelationKind::CachedRelation { .. } | RelationKind::Persisted { .. } => true,
            RelationKind::Range { start, end, step, .. } => {
                let rows = if *step == 0 { 0 } else { (end.saturating_sub(*start) / step).saturating_abs() };
                rows > LIGHT_RANGE_ROWS
            }
            RelationKind::LocalRelation { data, .. } => data.as_ref().is_some_and(|d| d.len() > LIGHT_LOCAL_BYTES),
            // Python functions run for as long as the user's code takes.
            RelationKind::MapPartitions { .. } | RelationKind::GroupMap { .. } | RelationKind::CoGroupMap { .. } => true,
            _ => false,
        };
        if heavy {
            return Weight::Heavy;
        }
        stack.extend(r.children());
        // Subqueries in expressions count too.
        for e in r.expressions() {
            let mut exprs = vec![e];
            while let Some(e) = exprs.pop() {
                if matches!(e, spark_plan::Expr::PythonUdf { .. } | spark_plan::Expr::PythonUdtf { .. }) {
                    return Weight::Heavy;
                }
                let (children, plans) = e.children();
                exprs.extend(children);
                stack.extend(plans);
            }
        }
    }
    Weight::Light
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(end: i64) -> Relation {
        Relation::new(RelationKind::Range { start: 0, end, step: 1, num_partitions: None })
    }

    #[test]
    fn small_inputs_are_light() {
        assert_eq!(relation_weight(&range(1)), Weight::Light);
        let project = Relation::new(RelationKind::Project { input: Box::new(range(10)), exprs: vec![] });
        assert_eq!(relation_weight(&project), Weight::Light);
    }

    #[test]
    fn files_and_large_ranges_are_heavy() {
        assert_eq!(relation_weight(&range(1 << 30)), Weight::Heavy);
        let read = Relation::new(RelationKind::Read(spark_plan::ReadSource::Table { name: vec!["t".into()] }));
        let join = Relation::new(RelationKind::Project { input: Box::new(read), exprs: vec![] });
        assert_eq!(relation_weight(&join), Weight::Heavy);
    }
}
