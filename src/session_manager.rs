//! Server-side sessions, keyed by (user_id, session_id) as the JVM keys them.
//! Each holds a Spark session (DataFusion context, conf, temp views), its
//! running operations, and uploaded artifacts. Idle sessions expire.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use spark_engine::{SessionShared, SparkSession};

use crate::convert::SizeLimits;
use crate::error::{ServerError, ServerResult};
use crate::operation::Operation;

pub type SessionKey = (String, String);

pub struct ServerSession {
    pub user_id: String,
    pub session_id: String,
    /// Generated once; the client checks that it never changes.
    pub server_side_session_id: String,
    pub spark: SparkSession,
    pub operations: Mutex<HashMap<String, Arc<Operation>>>,
    pub artifacts: Mutex<HashMap<String, Arc<Vec<u8>>>>,
    /// What `persist()` recorded.
    pub persisted: Mutex<crate::persist::PersistedPlans>,
    /// Results of commands sent as root `Sql` relations.
    command_results: crate::command_results::CommandResults,
    /// The largest data a plan may carry.
    pub limits: SizeLimits,
    last_used: Mutex<Instant>,
}

impl ServerSession {
    fn new(user_id: &str, session_id: &str, spark: SparkSession, limits: SizeLimits) -> Self {
        Self {
            limits,
            user_id: user_id.to_string(),
            session_id: session_id.to_string(),
            server_side_session_id: uuid::Uuid::new_v4().to_string(),
            spark,
            operations: Mutex::new(HashMap::new()),
            artifacts: Mutex::new(HashMap::new()),
            persisted: Mutex::new(Default::default()),
            command_results: Default::default(),
            last_used: Mutex::new(Instant::now()),
        }
    }

    /// Runs a command sent as a root `Sql` relation, once per relation of a
    /// client (see `command_results`).
    pub async fn run_root_command(&self, rel: &crate::proto::sc::Relation, cmd: &spark_plan::Command) -> ServerResult<Arc<spark_engine::CommandOutput>> {
        let key = crate::command_results::key_of(rel);
        if let Some(hit) = key.as_deref().and_then(|k| self.command_results.get(k)) {
            return Ok(hit);
        }
        let output = Arc::new(self.spark.run_command(cmd).await?);
        if let Some(key) = key {
            self.command_results.insert(key, output.clone());
        }
        Ok(output)
    }

    pub fn touch(&self) {
        if let Ok(mut t) = self.last_used.lock() {
            *t = Instant::now();
        }
    }

    fn idle_for(&self) -> Duration {
        self.last_used.lock().map(|t| t.elapsed()).unwrap_or_default()
    }

    pub fn artifact(&self, name: &str) -> Option<Arc<Vec<u8>>> {
        self.artifacts.lock().ok()?.get(name).cloned()
    }

    /// How this session's SQL text reads.
    pub fn parse_options(&self) -> spark_sql_parser::ParseOptions {
        self.spark.parse_options()
    }

    /// The cache id of a relation `persist()`ed in this session, if it is one.
    pub fn persisted(&self, r: &spark_plan::Relation) -> Option<String> {
        self.persisted.lock().ok()?.cache_id_of(r)
    }

    pub fn operation(&self, id: &str) -> Option<Arc<Operation>> {
        self.operations.lock().ok()?.get(id).cloned()
    }

    /// Cancels every operation of the session.
    pub fn interrupt_all(&self) -> Vec<String> {
        let ops: Vec<Arc<Operation>> = self.operations.lock().map(|o| o.values().cloned().collect()).unwrap_or_default();
        ops.iter().filter(|o| o.interrupt()).map(|o| o.id.clone()).collect()
    }
}

pub struct SessionManager {
    shared: Arc<SessionShared>,
    sessions: Mutex<HashMap<SessionKey, Arc<ServerSession>>>,
    closed: Mutex<HashSet<SessionKey>>,
    /// Set by a shutdown: new operations are refused.
    stopping: std::sync::atomic::AtomicBool,
    idle_timeout: Duration,
    /// The largest data a plan may carry.
    limits: SizeLimits,
}

fn copy_locked<T: Clone>(from: &Mutex<T>, to: &Mutex<T>) {
    if let (Ok(from), Ok(mut to)) = (from.lock(), to.lock()) {
        *to = from.clone();
    }
}

fn is_uuid(s: &str) -> bool {
    uuid::Uuid::parse_str(s).is_ok()
}

impl SessionManager {
    pub fn new(shared: Arc<SessionShared>, idle_timeout: Duration, limits: SizeLimits) -> Arc<Self> {
        Arc::new(Self { shared, sessions: Mutex::new(HashMap::new()), closed: Mutex::new(HashSet::new()), stopping: Default::default(), idle_timeout, limits })
    }

    /// Cancels every running operation of every session (shutdown).
    /// A shutdown: refuses new operations and interrupts the running ones.
    /// Returns the operations it interrupted, with their sessions.
    pub fn interrupt_everything(&self) -> Vec<(Arc<ServerSession>, String)> {
        self.stopping.store(true, std::sync::atomic::Ordering::SeqCst);
        let sessions: Vec<Arc<ServerSession>> = self.sessions.lock().map(|s| s.values().cloned().collect()).unwrap_or_default();
        let mut interrupted = Vec::new();
        for s in sessions {
            for id in s.interrupt_all() {
                interrupted.push((s.clone(), id));
            }
        }
        interrupted
    }

    pub fn is_stopping(&self) -> bool {
        self.stopping.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Waits until clients have released the operations a shutdown
    /// interrupted. After an interrupted operation fails, the pyspark client
    /// asks for the error's details and a conf and releases the operation;
    /// answering those lets it raise the cancellation instead of retrying a
    /// closed port for minutes.
    pub async fn drained(interrupted: &[(Arc<ServerSession>, String)]) {
        if interrupted.is_empty() {
            return;
        }
        let open = || interrupted.iter().any(|(s, id)| s.operations.lock().map(|o| o.contains_key(id)).unwrap_or(false));
        while open() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // The client's last calls (a conf read) follow the release closely.
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    fn check_id(session_id: &str) -> ServerResult<()> {
        if is_uuid(session_id) {
            Ok(())
        } else {
            Err(ServerError::handle("INVALID_HANDLE.FORMAT", format!("The handle {session_id} is invalid. Handle must be an UUID string of the format '00112233-4455-6677-8899-aabbccddeeff'")))
        }
    }

    fn check_observed(session: &ServerSession, observed: Option<&str>) -> ServerResult<()> {
        match observed {
            Some(o) if !o.is_empty() && o != session.server_side_session_id => Err(ServerError::handle(
                "INVALID_HANDLE.SESSION_CHANGED",
                format!("The handle {} is invalid. The existing Spark server driver instance has restarted. Please reconnect.", session.session_id),
            )),
            _ => Ok(()),
        }
    }

    /// A session belongs to the user who created it: another user naming
    /// its id (to run in it, reattach to or release its operations) is
    /// refused.
    fn check_owner(sessions: &HashMap<SessionKey, Arc<ServerSession>>, user_id: &str, session_id: &str) -> ServerResult<()> {
        if sessions.keys().any(|(u, s)| s == session_id && u != user_id) {
            return Err(ServerError::PermissionDenied(format!("The session {session_id} belongs to another user.")));
        }
        Ok(())
    }

    /// The session for a request, created on first use.
    pub fn get_or_create(&self, user_id: &str, session_id: &str, observed: Option<&str>) -> ServerResult<Arc<ServerSession>> {
        Self::check_id(session_id)?;
        let key = (user_id.to_string(), session_id.to_string());
        if self.closed.lock().map(|c| c.contains(&key)).unwrap_or(false) {
            return Err(ServerError::handle("INVALID_HANDLE.SESSION_CLOSED", format!("The handle {session_id} is invalid. Session was closed.")));
        }
        let mut sessions = self.sessions.lock().map_err(|_| ServerError::invalid_plan("session registry unavailable"))?;
        if let Some(s) = sessions.get(&key) {
            Self::check_observed(s, observed)?;
            s.touch();
            return Ok(s.clone());
        }
        Self::check_owner(&sessions, user_id, session_id)?;
        if observed.is_some_and(|o| !o.is_empty()) {
            // The client saw another server instance (this server restarted).
            return Err(ServerError::handle(
                "INVALID_HANDLE.SESSION_CHANGED",
                format!("The handle {session_id} is invalid. The existing Spark server driver instance has restarted. Please reconnect."),
            ));
        }
        let session = Arc::new(ServerSession::new(user_id, session_id, SparkSession::new(self.shared.clone()), self.limits));
        sessions.insert(key, session.clone());
        tracing::debug!(session_id, user_id, "session created");
        Ok(session)
    }

    /// `cloneSession`: a new session (under `new_session_id`, or a fresh id)
    /// with copies of the source's confs, temporary views, cached data and
    /// artifacts.
    pub fn clone_session(&self, source: &ServerSession, new_session_id: Option<&str>) -> ServerResult<Arc<ServerSession>> {
        let new_id = match new_session_id {
            Some(id) if !id.is_empty() => id.to_string(),
            _ => uuid::Uuid::new_v4().to_string(),
        };
        Self::check_id(&new_id)?;
        let key = (source.user_id.clone(), new_id.clone());
        let mut sessions = self.sessions.lock().map_err(|_| ServerError::invalid_plan("session registry unavailable"))?;
        let closed = self.closed.lock().map(|c| c.contains(&key)).unwrap_or(false);
        if sessions.contains_key(&key) || closed {
            return Err(ServerError::handle(
                "INVALID_HANDLE.SESSION_ALREADY_EXISTS",
                format!("The handle {new_id} is invalid. Session already exists."),
            ));
        }
        let clone = ServerSession::new(&source.user_id, &new_id, source.spark.clone_session(), source.limits);
        copy_locked(&source.artifacts, &clone.artifacts);
        copy_locked(&source.persisted, &clone.persisted);
        let clone = Arc::new(clone);
        sessions.insert(key, clone.clone());
        tracing::debug!(session_id = %source.session_id, new_session_id = %new_id, "session cloned");
        Ok(clone)
    }

    /// An existing session (for calls that must not create one).
    pub fn get(&self, user_id: &str, session_id: &str, observed: Option<&str>) -> ServerResult<Arc<ServerSession>> {
        Self::check_id(session_id)?;
        let key = (user_id.to_string(), session_id.to_string());
        let sessions = self.sessions.lock().map_err(|_| ServerError::invalid_plan("session registry unavailable"))?;
        Self::check_owner(&sessions, user_id, session_id)?;
        let s = sessions
            .get(&key)
            .cloned()
            .ok_or_else(|| ServerError::handle("INVALID_HANDLE.SESSION_NOT_FOUND", format!("The handle {session_id} is invalid. Session not found.")))?;
        drop(sessions);
        Self::check_observed(&s, observed)?;
        s.touch();
        Ok(s)
    }

    /// Refuses to release another user's session.
    pub fn check_may_release(&self, user_id: &str, session_id: &str) -> ServerResult<()> {
        let sessions = self.sessions.lock().map_err(|_| ServerError::invalid_plan("session registry unavailable"))?;
        Self::check_owner(&sessions, user_id, session_id)
    }

    /// Drops a session and everything it holds.
    pub fn release(&self, user_id: &str, session_id: &str, allow_reconnect: bool) -> Option<Arc<ServerSession>> {
        let key = (user_id.to_string(), session_id.to_string());
        let s = self.sessions.lock().ok()?.remove(&key);
        if let Some(s) = &s {
            s.interrupt_all();
        }
        if !allow_reconnect {
            if let Ok(mut c) = self.closed.lock() {
                c.insert(key);
            }
        }
        s
    }

    /// Removes sessions idle beyond the timeout; runs periodically.
    pub fn expire_idle(&self) {
        let expired: Vec<SessionKey> = self
            .sessions
            .lock()
            .map(|s| {
                s.iter()
                    .filter(|(_, v)| v.idle_for() > self.idle_timeout && v.operations.lock().map(|o| o.is_empty()).unwrap_or(true))
                    .map(|(k, _)| k.clone())
                    .collect()
            })
            .unwrap_or_default();
        for (user, id) in expired {
            tracing::info!(session_id = %id, "session expired after idle timeout");
            self.release(&user, &id, true);
        }
    }

    pub fn session_count(&self) -> usize {
        self.sessions.lock().map(|s| s.len()).unwrap_or(0)
    }
}
