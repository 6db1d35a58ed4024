//! One ExecutePlan operation: execution runs in its own task and appends
//! responses to a buffer; client streams read the buffer from a cursor.
//! That decouples execution from any one gRPC stream, so a broken or
//! deadline-cut stream resumes with ReattachExecute, and ReleaseExecute frees
//! what the client has acknowledged (Spark's `ExecuteResponseObserver`).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use futures::Stream;
use prost::Message;
use tokio::sync::Notify;
use tonic::Status;

use crate::error::ServerError;
use crate::proto::sc::ExecutePlanResponse;

/// Unsent responses beyond this make execution wait for the client.
const MAX_UNSENT_BYTES: usize = 64 << 20;
/// Sent but unreleased responses kept for reattachment.
const MAX_RETAINED_BYTES: usize = 16 << 20;

struct Buffered {
    index: u64,
    bytes: usize,
    response: ExecutePlanResponse,
}

#[derive(Default)]
struct State {
    responses: VecDeque<Buffered>,
    next_index: u64,
    /// Highest index any client stream has been given, plus one.
    sent_until: u64,
    finished: bool,
    error: Option<Status>,
    released_all: bool,
    cancelled: bool,
}

/// Where an operation is, as `GetStatus` reports it (as Spark does, an
/// operation runs until its last response has been sent, then terminates
/// until the client releases it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    Running,
    Terminating,
    Failed,
    Cancelled,
}

impl State {
    fn unsent_bytes(&self) -> usize {
        self.responses.iter().filter(|b| b.index >= self.sent_until).map(|b| b.bytes).sum()
    }

    fn trim_sent(&mut self) {
        let mut retained: usize = self.responses.iter().filter(|b| b.index < self.sent_until).map(|b| b.bytes).sum();
        while retained > MAX_RETAINED_BYTES {
            match self.responses.front() {
                Some(f) if f.index < self.sent_until => {
                    retained -= f.bytes;
                    self.responses.pop_front();
                }
                _ => break,
            }
        }
    }
}

pub struct Operation {
    pub id: String,
    pub tags: Vec<String>,
    state: Mutex<State>,
    notify: Notify,
    task: Mutex<Option<tokio::task::AbortHandle>>,
    /// Set when the operation is interrupted: synchronous stages
    /// (resolution) see it through `spark_resolver::cancel` and stop.
    pub cancel_flag: Arc<std::sync::atomic::AtomicBool>,
}

impl Operation {
    pub fn new(id: String, tags: Vec<String>) -> Arc<Self> {
        crate::metrics::metrics().operations_started.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Arc::new(Self { id, tags, state: Mutex::new(State::default()), notify: Notify::new(), task: Mutex::new(None), cancel_flag: Default::default() })
    }

    pub fn set_task(&self, handle: tokio::task::AbortHandle) {
        if let Ok(mut t) = self.task.lock() {
            *t = Some(handle);
        }
    }

    /// Appends a response, waiting while the client is far behind.
    pub async fn push(&self, response: ExecutePlanResponse) {
        loop {
            let notified = self.notify.notified();
            {
                let Ok(mut s) = self.state.lock() else { return };
                if s.released_all {
                    return;
                }
                if s.unsent_bytes() < MAX_UNSENT_BYTES {
                    let index = s.next_index;
                    s.next_index += 1;
                    let bytes = response.encoded_len();
                    s.responses.push_back(Buffered { index, bytes, response });
                    drop(s);
                    self.notify.notify_waiters();
                    return;
                }
            }
            notified.await;
        }
    }

    pub fn finish(&self, error: Option<Status>) {
        if let Ok(mut s) = self.state.lock() {
            if !s.finished {
                let m = crate::metrics::metrics();
                let counter = match (&error, s.cancelled) {
                    (_, true) => &m.operations_cancelled,
                    (Some(_), false) => &m.operations_failed,
                    (None, false) => &m.operations_succeeded,
                };
                counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            s.finished = true;
            if s.error.is_none() {
                s.error = error;
            }
        }
        self.notify.notify_waiters();
    }

    pub fn progress(&self) -> Progress {
        match self.state.lock() {
            Ok(s) if s.cancelled => Progress::Cancelled,
            Ok(s) if s.finished && s.error.is_some() => Progress::Failed,
            Ok(s) if !s.finished || s.sent_until < s.next_index => Progress::Running,
            Ok(_) => Progress::Terminating,
            Err(_) => Progress::Failed,
        }
    }

    pub fn is_finished(&self) -> bool {
        self.state.lock().map(|s| s.finished).unwrap_or(true)
    }

    /// Cancels the running execution; returns whether it was still running.
    pub fn interrupt(&self) -> bool {
        self.stop(ServerError::Engine(spark_engine::EngineError::operation_cancelled()).into())
    }

    /// Stops an operation that ran past the query time limit.
    pub fn time_out(&self, limit: std::time::Duration) -> bool {
        let error = spark_engine::EngineError::spark(
            spark_engine::error::ExceptionKind::Spark,
            "OPERATION_CANCELED",
            "HY008",
            format!("Operation has been canceled: it ran longer than the server's query time limit of {} seconds (execution.query_timeout_secs).", limit.as_secs()),
            &[],
        );
        self.stop(ServerError::Engine(error).into())
    }

    /// Stops the execution (its task and its synchronous stages) and ends
    /// the operation with `error` if it was still running.
    fn stop(&self, error: Status) -> bool {
        let running = !self.is_finished();
        self.cancel_flag.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Ok(t) = self.task.lock() {
            if let Some(h) = t.as_ref() {
                h.abort();
            }
        }
        if running {
            if let Ok(mut s) = self.state.lock() {
                s.cancelled = true;
            }
            self.finish(Some(error));
        }
        running
    }

    /// Frees responses up to and including `response_id`.
    pub fn release_until(&self, response_id: &str) {
        if let Ok(mut s) = self.state.lock() {
            if let Some(pos) = s.responses.iter().position(|b| b.response.response_id == response_id) {
                s.responses.drain(..=pos);
            }
        }
        self.notify.notify_waiters();
    }

    pub fn release_all(&self) {
        self.interrupt();
        if let Ok(mut s) = self.state.lock() {
            s.released_all = true;
            s.responses.clear();
        }
        self.notify.notify_waiters();
    }

    /// Where a reattaching client resumes: after `last_response_id`, or at the
    /// first buffered response.
    pub fn cursor_after(&self, last_response_id: Option<&str>) -> Result<u64, Status> {
        let s = self.state.lock().map_err(|_| Status::internal("operation state unavailable"))?;
        match last_response_id {
            None => Ok(s.responses.front().map(|b| b.index).unwrap_or(s.next_index)),
            Some(id) => match s.responses.iter().find(|b| b.response.response_id == id) {
                Some(b) => Ok(b.index + 1),
                None => Err(ServerError::handle(
                    "INVALID_CURSOR.POSITION_NOT_AVAILABLE",
                    format!("The cursor is invalid. The position {id} is not available for reattachment."),
                )
                .into()),
            },
        }
    }

    async fn next_from(&self, cursor: u64) -> Option<Result<ExecutePlanResponse, Status>> {
        loop {
            let notified = self.notify.notified();
            {
                let Ok(mut s) = self.state.lock() else { return None };
                if let Some(b) = s.responses.iter().find(|b| b.index == cursor) {
                    let r = b.response.clone();
                    s.sent_until = s.sent_until.max(cursor + 1);
                    s.trim_sent();
                    drop(s);
                    self.notify.notify_waiters();
                    return Some(Ok(r));
                }
                if cursor >= s.next_index && s.finished {
                    return s.error.take().map(Err);
                }
                if s.released_all {
                    return None;
                }
            }
            notified.await;
        }
    }

    /// The responses from `cursor` on, as a gRPC response stream.
    pub fn stream_from(self: Arc<Self>, cursor: u64) -> impl Stream<Item = Result<ExecutePlanResponse, Status>> + Send + 'static {
        futures::stream::unfold((self, cursor, false), |(op, cursor, done)| async move {
            if done {
                return None;
            }
            match op.next_from(cursor).await {
                Some(Ok(r)) => Some((Ok(r), (op, cursor + 1, false))),
                Some(Err(e)) => Some((Err(e), (op, cursor, true))),
                None => None,
            }
        })
    }
}
