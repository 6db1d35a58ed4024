//! The server's Python workers: at most `max_workers` alive, reused only by
//! the session that used them before (a worker keeps the session's Python
//! files on its `sys.path` and whatever the UDFs left in its globals), and
//! stopped when idle for too long.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::daemon::{Daemon, Worker};
use crate::error::{PythonError, PythonResult};
use crate::settings::WorkerSettings;

/// How often a task waiting for a free worker checks for an interrupt.
const WAIT_SLICE: Duration = Duration::from_millis(100);

pub struct WorkerPool {
    settings: WorkerSettings,
    /// Started on first use; restarted when it died.
    daemon: Mutex<Option<Daemon>>,
    state: Mutex<PoolState>,
    freed: Condvar,
}

#[derive(Default)]
struct PoolState {
    busy: usize,
    idle: Vec<IdleWorker>,
}

struct IdleWorker {
    worker: Worker,
    session: String,
    since: Instant,
}

impl std::fmt::Debug for WorkerPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkerPool").field("settings", &self.settings).finish()
    }
}

/// A worker lent to one task. Dropped without [`Lease::give_back`], its
/// worker is killed: a task that failed half-way leaves nothing behind.
pub struct Lease {
    pool: Arc<WorkerPool>,
    session: String,
    worker: Option<Worker>,
}

impl Lease {
    pub(crate) fn worker(&self) -> PythonResult<&Worker> {
        self.worker.as_ref().ok_or(PythonError::Crashed)
    }

    /// The task finished cleanly and the worker said it can serve another.
    pub(crate) fn give_back(mut self) {
        if let Some(worker) = self.worker.take() {
            let mut state = self.pool.lock();
            state.idle.push(IdleWorker { worker, session: std::mem::take(&mut self.session), since: Instant::now() });
            state.busy -= 1;
            drop(state);
            self.pool.freed.notify_one();
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some(worker) = self.worker.take() {
            worker.kill();
            self.pool.lock().busy -= 1;
            self.pool.freed.notify_one();
        }
    }
}

impl WorkerPool {
    pub fn new(settings: WorkerSettings) -> Arc<Self> {
        Arc::new(Self { settings, daemon: Mutex::new(None), state: Mutex::new(PoolState::default()), freed: Condvar::new() })
    }

    pub fn settings(&self) -> &WorkerSettings {
        &self.settings
    }

    fn lock(&self) -> MutexGuard<'_, PoolState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A worker for `session`: one it used before if idle, else a new one
    /// once fewer than `max_workers` are alive. Waits for a free slot, and
    /// gives up when `cancel` is raised.
    pub fn acquire(self: &Arc<Self>, session: &str, cancel: &AtomicBool) -> PythonResult<Lease> {
        let mut state = self.lock();
        loop {
            if cancel.load(Ordering::Relaxed) {
                return Err(PythonError::Cancelled);
            }
            let timeout = self.settings.idle_timeout;
            state.idle.retain(|w| {
                let keep = w.since.elapsed() < timeout;
                if !keep {
                    w.worker.kill();
                }
                keep
            });
            if let Some(i) = state.idle.iter().rposition(|w| w.session == session) {
                let idle = state.idle.swap_remove(i);
                state.busy += 1;
                return Ok(Lease { pool: self.clone(), session: session.to_string(), worker: Some(idle.worker) });
            }
            if state.busy + state.idle.len() >= self.settings.max_workers.max(1) && !state.idle.is_empty() {
                // Make room: the oldest idle worker of another session goes.
                let oldest = state.idle.iter().enumerate().min_by_key(|(_, w)| w.since).map(|(i, _)| i).unwrap_or(0);
                state.idle.swap_remove(oldest).worker.kill();
            }
            if state.busy + state.idle.len() < self.settings.max_workers.max(1) {
                state.busy += 1;
                drop(state);
                return match self.fork() {
                    Ok(worker) => Ok(Lease { pool: self.clone(), session: session.to_string(), worker: Some(worker) }),
                    Err(e) => {
                        self.lock().busy -= 1;
                        self.freed.notify_one();
                        Err(e)
                    }
                };
            }
            state = self.freed.wait_timeout(state, WAIT_SLICE).map(|(s, _)| s).unwrap_or_else(|p| p.into_inner().0);
        }
    }

    fn fork(&self) -> PythonResult<Worker> {
        let mut daemon = self.daemon.lock().unwrap_or_else(|p| p.into_inner());
        if !daemon.as_mut().is_some_and(Daemon::is_running) {
            *daemon = Some(Daemon::start(&self.settings)?);
        }
        let Some(d) = daemon.as_ref() else { return Err(PythonError::Unavailable("the Python worker daemon is not running".into())) };
        d.fork().map_err(|e| match e {
            PythonError::Crashed => PythonError::Unavailable(format!("The Python worker daemon could not fork a worker:\n{}", d.recent_stderr())),
            other => other,
        })
    }

    /// Stops the idle workers of a session that ended.
    pub fn release_session(&self, session: &str) {
        self.lock().idle.retain(|w| {
            let keep = w.session != session;
            if !keep {
                w.worker.kill();
            }
            keep
        });
    }

    /// How many workers are alive (busy, idle), for tests and metrics.
    pub fn counts(&self) -> (usize, usize) {
        let s = self.lock();
        (s.busy, s.idle.len())
    }
}

/// What a session's UDFs run with.
#[derive(Clone, Debug)]
pub struct PythonContext {
    pub pool: Arc<WorkerPool>,
    /// Workers are reused within one session only.
    pub session_id: String,
    /// The Spark confs the worker reads (`RunnerConf`): the session time
    /// zone, Arrow batch sizes, pandas conversion switches.
    pub runner_conf: Vec<(String, String)>,
    /// The session's Python files directory (added to the worker's `sys.path`).
    pub files_dir: std::path::PathBuf,
    /// `.zip`/`.egg` archives inside `files_dir`, added to `sys.path` too.
    pub includes: Vec<String>,
    /// Raised when the operation is interrupted: the worker is killed.
    pub cancel: Arc<AtomicBool>,
}
