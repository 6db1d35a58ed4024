//! The SparkConnectService: each RPC decodes its request, finds the session,
//! calls the module that does the work, and stamps the ids on the response.

use std::pin::Pin;
use std::sync::Arc;

use futures::{Stream, StreamExt};
use tonic::{Request, Response, Status, Streaming};

use crate::error::ServerError;
use crate::execute::{self, Responder};
use crate::executor::{QueryRuntimes, Weight};
use crate::operation::Operation;
use crate::proto::sc::{self, spark_connect_service_server::SparkConnectService};
use crate::session_manager::{ServerSession, SessionManager};

pub struct SparkConnectServer {
    sessions: Arc<SessionManager>,
    /// Where queries run (never on the gRPC threads).
    runtimes: Arc<QueryRuntimes>,
    /// Operations running longer are cancelled.
    query_timeout: Option<std::time::Duration>,
}

impl SparkConnectServer {
    pub fn new(sessions: Arc<SessionManager>, runtimes: Arc<QueryRuntimes>, query_timeout: Option<std::time::Duration>) -> Self {
        Self { sessions, runtimes, query_timeout }
    }

    fn session(&self, user: Option<&sc::UserContext>, session_id: &str, observed: Option<&str>) -> Result<Arc<ServerSession>, Status> {
        let user_id = user.map(|u| u.user_id.as_str()).unwrap_or_default();
        Ok(self.sessions.get_or_create(user_id, session_id, observed)?)
    }

    fn existing(&self, user: Option<&sc::UserContext>, session_id: &str, observed: Option<&str>) -> Result<Arc<ServerSession>, Status> {
        let user_id = user.map(|u| u.user_id.as_str()).unwrap_or_default();
        Ok(self.sessions.get(user_id, session_id, observed)?)
    }
}

type ResponseStream = Pin<Box<dyn Stream<Item = Result<sc::ExecutePlanResponse, Status>> + Send + 'static>>;

#[tonic::async_trait]
impl SparkConnectService for SparkConnectServer {
    type ExecutePlanStream = ResponseStream;
    type ReattachExecuteStream = ResponseStream;

    async fn execute_plan(&self, request: Request<sc::ExecutePlanRequest>) -> Result<Response<Self::ExecutePlanStream>, Status> {
        let req = request.into_inner();
        if self.sessions.is_stopping() {
            return Err(ServerError::internal("the server is shutting down").into());
        }
        let session = self.session(req.user_context.as_ref(), &req.session_id, req.client_observed_server_side_session_id.as_deref())?;
        let operation_id = req.operation_id.clone().unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        if uuid::Uuid::parse_str(&operation_id).is_err() {
            return Err(ServerError::handle("INVALID_HANDLE.FORMAT", format!("The handle {operation_id} is invalid. Handle must be an UUID string of the format '00112233-4455-6677-8899-aabbccddeeff'")).into());
        }
        let reattachable = req.request_options.iter().any(|o| {
            matches!(&o.request_option, Some(sc::execute_plan_request::request_option::RequestOption::ReattachOptions(r)) if r.reattachable)
        });
        tracing::debug!(session_id = %req.session_id, operation_id = %operation_id, reattachable, "ExecutePlan");
        let op = Operation::new(operation_id.clone(), req.tags.clone());
        {
            let mut ops = session.operations.lock().map_err(|_| Status::internal("operation registry unavailable"))?;
            if ops.contains_key(&operation_id) {
                return Err(ServerError::handle("INVALID_HANDLE.OPERATION_ALREADY_EXISTS", format!("The handle {operation_id} is invalid. Operation already exists.")).into());
            }
            ops.insert(operation_id.clone(), op.clone());
        }
        let responder = Responder {
            session_id: req.session_id.clone(),
            server_side_session_id: session.server_side_session_id.clone(),
            operation_id: operation_id.clone(),
            op: op.clone(),
        };
        let Some(plan) = req.plan else {
            remove_op(&session, &operation_id);
            return Err(ServerError::missing("ExecutePlanRequest.plan").into());
        };
        let task_session = session.clone();
        let runtimes = self.runtimes.clone();
        // The plan is converted on the light runtime, then runs where its
        // weight says (see `executor`).
        let handle = self.runtimes.spawn(Weight::Light, async move {
            // A panic in execution (ours or a library's) must end the
            // operation with an error, not leave its stream open forever.
            let run = std::panic::AssertUnwindSafe(execute::run(task_session, plan, &responder, &runtimes));
            let result = match futures::FutureExt::catch_unwind(run).await {
                Ok(result) => result,
                Err(panic) => Err(ServerError::internal(format!(
                    "The query failed unexpectedly: {}",
                    panic_message(panic.as_ref())
                ))),
            };
            match result {
                Ok(()) => {
                    if reattachable {
                        responder.complete().await;
                    }
                    responder.op.finish(None);
                }
                Err(e) => {
                    tracing::debug!(operation_id = %responder.operation_id, error = %e, "operation failed");
                    responder.op.finish(Some(e.into()));
                }
            }
        });
        // The task runs on by itself; the operation's abort handle stops it.
        let Some(abort) = handle.and_then(|h| h.detach()) else {
            remove_op(&session, &operation_id);
            return Err(ServerError::internal("the server is shutting down").into());
        };
        op.set_task(abort);
        if let Some(limit) = self.query_timeout {
            let watched = op.clone();
            tokio::spawn(async move {
                tokio::time::sleep(limit).await;
                if watched.time_out(limit) {
                    tracing::info!(operation_id = %watched.id, "operation cancelled by the query time limit");
                }
            });
        }
        let mut stream = Box::pin(op.clone().stream_from(0));
        // An operation that fails before its first response fails the call
        // itself (a trailers-only response), as the JVM server's does; the
        // Python client otherwise can hang at exit finalizing the failed
        // stream.
        let stream = match stream.next().await {
            Some(Err(status)) => {
                if !reattachable {
                    remove_op(&session, &operation_id);
                }
                return Err(status);
            }
            Some(Ok(first)) => futures::stream::once(std::future::ready(Ok(first))).chain(stream).left_stream(),
            None => futures::stream::empty().right_stream(),
        };
        if reattachable {
            Ok(Response::new(Box::pin(stream)))
        } else {
            // Without reattachment the operation ends with its stream.
            let cleanup = OpCleanup { session, operation_id };
            Ok(Response::new(Box::pin(CleanupStream { inner: Box::pin(stream), _cleanup: cleanup })))
        }
    }

    async fn analyze_plan(&self, request: Request<sc::AnalyzePlanRequest>) -> Result<Response<sc::AnalyzePlanResponse>, Status> {
        let req = request.into_inner();
        let session = self.session(req.user_context.as_ref(), &req.session_id, req.client_observed_server_side_session_id.as_deref())?;
        tracing::debug!(session_id = %req.session_id, "AnalyzePlan");
        let analyze = req.analyze.ok_or_else(|| ServerError::missing("AnalyzePlanRequest.analyze"))?;
        let task_session = session.clone();
        let result = self
            .runtimes
            .spawn(Weight::Light, async move { crate::analyze::handle(&task_session, analyze).await })
            .ok_or_else(|| ServerError::internal("the server is shutting down"))?
            .await
            .map_err(|e| ServerError::internal(format!("The analysis failed unexpectedly: {e}")))??;
        Ok(Response::new(sc::AnalyzePlanResponse {
            session_id: req.session_id,
            server_side_session_id: session.server_side_session_id.clone(),
            result: Some(result),
        }))
    }

    async fn config(&self, request: Request<sc::ConfigRequest>) -> Result<Response<sc::ConfigResponse>, Status> {
        let req = request.into_inner();
        let session = self.session(req.user_context.as_ref(), &req.session_id, req.client_observed_server_side_session_id.as_deref())?;
        tracing::debug!(session_id = %req.session_id, "Config");
        let op = req.operation.and_then(|o| o.op_type).ok_or_else(|| ServerError::missing("ConfigRequest.operation"))?;
        let (pairs, warnings) = crate::config_rpc::handle(&session, op)?;
        let mut resp = crate::config_rpc::response(&session, pairs, warnings);
        resp.session_id = req.session_id;
        Ok(Response::new(resp))
    }

    async fn add_artifacts(&self, request: Request<Streaming<sc::AddArtifactsRequest>>) -> Result<Response<sc::AddArtifactsResponse>, Status> {
        let mut stream = request.into_inner();
        crate::artifacts::add_artifacts(&self.sessions, &mut stream).await.map(Response::new)
    }

    async fn artifact_status(&self, request: Request<sc::ArtifactStatusesRequest>) -> Result<Response<sc::ArtifactStatusesResponse>, Status> {
        let req = request.into_inner();
        let session = self.session(req.user_context.as_ref(), &req.session_id, req.client_observed_server_side_session_id.as_deref())?;
        let statuses = req
            .names
            .iter()
            .map(|n| (n.clone(), sc::artifact_statuses_response::ArtifactStatus { exists: session.artifact(n).is_some() }))
            .collect();
        Ok(Response::new(sc::ArtifactStatusesResponse {
            session_id: req.session_id,
            server_side_session_id: session.server_side_session_id.clone(),
            statuses,
        }))
    }

    async fn interrupt(&self, request: Request<sc::InterruptRequest>) -> Result<Response<sc::InterruptResponse>, Status> {
        use sc::interrupt_request::{Interrupt, InterruptType};
        let req = request.into_inner();
        let session = self.session(req.user_context.as_ref(), &req.session_id, req.client_observed_server_side_session_id.as_deref())?;
        tracing::debug!(session_id = %req.session_id, "Interrupt");
        let ops: Vec<Arc<Operation>> = session.operations.lock().map(|o| o.values().cloned().collect()).unwrap_or_default();
        let selected: Vec<Arc<Operation>> = match InterruptType::try_from(req.interrupt_type).unwrap_or(InterruptType::Unspecified) {
            InterruptType::All => ops,
            InterruptType::Tag => match &req.interrupt {
                Some(Interrupt::OperationTag(t)) => ops.into_iter().filter(|o| o.tags.contains(t)).collect(),
                _ => return Err(ServerError::missing("InterruptRequest.operation_tag").into()),
            },
            InterruptType::OperationId => match &req.interrupt {
                Some(Interrupt::OperationId(id)) => ops.into_iter().filter(|o| &o.id == id).collect(),
                _ => return Err(ServerError::missing("InterruptRequest.operation_id").into()),
            },
            InterruptType::Unspecified => return Err(ServerError::missing("InterruptRequest.interrupt_type").into()),
        };
        let interrupted_ids = selected.iter().filter(|o| o.interrupt()).map(|o| o.id.clone()).collect();
        Ok(Response::new(sc::InterruptResponse {
            session_id: req.session_id,
            server_side_session_id: session.server_side_session_id.clone(),
            interrupted_ids,
        }))
    }

    async fn reattach_execute(&self, request: Request<sc::ReattachExecuteRequest>) -> Result<Response<Self::ReattachExecuteStream>, Status> {
        let req = request.into_inner();
        let session = self.existing(req.user_context.as_ref(), &req.session_id, req.client_observed_server_side_session_id.as_deref())?;
        tracing::debug!(session_id = %req.session_id, operation_id = %req.operation_id, "ReattachExecute");
        let op = session.operation(&req.operation_id).ok_or_else(|| {
            Status::from(ServerError::handle("INVALID_HANDLE.OPERATION_NOT_FOUND", format!("The handle {} is invalid. Operation not found.", req.operation_id)))
        })?;
        let cursor = op.cursor_after(req.last_response_id.as_deref())?;
        Ok(Response::new(Box::pin(op.stream_from(cursor))))
    }

    async fn release_execute(&self, request: Request<sc::ReleaseExecuteRequest>) -> Result<Response<sc::ReleaseExecuteResponse>, Status> {
        use sc::release_execute_request::Release;
        let req = request.into_inner();
        let session = self.existing(req.user_context.as_ref(), &req.session_id, req.client_observed_server_side_session_id.as_deref())?;
        tracing::debug!(session_id = %req.session_id, operation_id = %req.operation_id, "ReleaseExecute");
        if let Some(op) = session.operation(&req.operation_id) {
            match &req.release {
                Some(Release::ReleaseUntil(u)) => op.release_until(&u.response_id),
                Some(Release::ReleaseAll(_)) | None => {
                    op.release_all();
                    remove_op(&session, &req.operation_id);
                }
            }
        }
        Ok(Response::new(sc::ReleaseExecuteResponse {
            session_id: req.session_id,
            server_side_session_id: session.server_side_session_id.clone(),
            operation_id: Some(req.operation_id),
        }))
    }

    async fn release_session(&self, request: Request<sc::ReleaseSessionRequest>) -> Result<Response<sc::ReleaseSessionResponse>, Status> {
        let req = request.into_inner();
        let user_id = req.user_context.as_ref().map(|u| u.user_id.clone()).unwrap_or_default();
        tracing::debug!(session_id = %req.session_id, "ReleaseSession");
        self.sessions.check_may_release(&user_id, &req.session_id)?;
        let released = self.sessions.release(&user_id, &req.session_id, req.allow_reconnect);
        Ok(Response::new(sc::ReleaseSessionResponse {
            session_id: req.session_id,
            server_side_session_id: released.map(|s| s.server_side_session_id.clone()).unwrap_or_default(),
        }))
    }

    async fn fetch_error_details(&self, request: Request<sc::FetchErrorDetailsRequest>) -> Result<Response<sc::FetchErrorDetailsResponse>, Status> {
        // Errors carry everything in their ErrorInfo (no errorId), so there are
        // no stored details; Spark answers unknown ids with an empty response.
        let req = request.into_inner();
        let session = self.existing(req.user_context.as_ref(), &req.session_id, req.client_observed_server_side_session_id.as_deref()).ok();
        Ok(Response::new(sc::FetchErrorDetailsResponse {
            server_side_session_id: session.map(|s| s.server_side_session_id.clone()).unwrap_or_default(),
            session_id: req.session_id,
            root_error_idx: None,
            errors: vec![],
        }))
    }

    async fn clone_session(&self, request: Request<sc::CloneSessionRequest>) -> Result<Response<sc::CloneSessionResponse>, Status> {
        let req = request.into_inner();
        tracing::debug!(session_id = %req.session_id, "CloneSession");
        let source = self.existing(req.user_context.as_ref(), &req.session_id, req.client_observed_server_side_session_id.as_deref())?;
        let clone = self.sessions.clone_session(&source, req.new_session_id.as_deref())?;
        Ok(Response::new(sc::CloneSessionResponse {
            session_id: req.session_id,
            server_side_session_id: source.server_side_session_id.clone(),
            new_session_id: clone.session_id.clone(),
            new_server_side_session_id: clone.server_side_session_id.clone(),
        }))
    }

    async fn get_status(&self, request: Request<sc::GetStatusRequest>) -> Result<Response<sc::GetStatusResponse>, Status> {
        use crate::operation::Progress;
        use sc::get_status_response::{OperationStatus, operation_status::OperationState};
        let req = request.into_inner();
        let session = self.existing(req.user_context.as_ref(), &req.session_id, req.client_observed_server_side_session_id.as_deref())?;
        let mut operation_statuses = Vec::new();
        if let Some(asked) = req.operation_status {
            // No ids asks for every operation the session knows.
            let ids: Vec<String> = if asked.operation_ids.is_empty() {
                session.operations.lock().map(|o| o.keys().cloned().collect()).unwrap_or_default()
            } else {
                asked.operation_ids
            };
            for operation_id in ids {
                let state = match session.operation(&operation_id).map(|o| o.progress()) {
                    Some(Progress::Running) => OperationState::Running,
                    Some(Progress::Terminating) => OperationState::Terminating,
                    Some(Progress::Failed) => OperationState::Failed,
                    Some(Progress::Cancelled) => OperationState::Cancelled,
                    None => OperationState::Unknown,
                };
                operation_statuses.push(OperationStatus { operation_id, state: state as i32, extensions: vec![] });
            }
        }
        Ok(Response::new(sc::GetStatusResponse {
            session_id: req.session_id,
            server_side_session_id: session.server_side_session_id.clone(),
            operation_statuses,
            extensions: vec![],
        }))
    }
}

fn remove_op(session: &ServerSession, operation_id: &str) {
    if let Ok(mut ops) = session.operations.lock() {
        ops.remove(operation_id);
    }
}

/// Removes a non-reattachable operation when its stream is dropped.
struct OpCleanup {
    session: Arc<ServerSession>,
    operation_id: String,
}

impl Drop for OpCleanup {
    fn drop(&mut self) {
        if let Some(op) = self.session.operation(&self.operation_id) {
            op.release_all();
        }
        remove_op(&self.session, &self.operation_id);
    }
}

/// A response stream that releases its operation when dropped.
struct CleanupStream {
    inner: ResponseStream,
    _cleanup: OpCleanup,
}

impl Stream for CleanupStream {
    type Item = Result<sc::ExecutePlanResponse, Status>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// The text of a caught panic.
pub(crate) fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}
