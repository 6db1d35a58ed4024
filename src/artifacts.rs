//! AddArtifacts: uploads kept per session. The client uploads large local
//! data as `cache/<sha256>` artifacts and then refers to them by hash, and
//! Python files as `pyfiles/<name>` for its UDFs.

use std::sync::Arc;

use tonic::{Status, Streaming};

use crate::error::ServerError;
use crate::proto::sc::{self, add_artifacts_request::Payload, add_artifacts_response::ArtifactSummary};
use crate::session_manager::SessionManager;

fn crc_ok(data: &[u8], crc: i64) -> bool {
    crc32fast::hash(data) as i64 == crc
}

/// Keeps an artifact; Python files (`pyfiles/...`) also go where the
/// session's UDF workers import them from.
fn store_artifact(session: &crate::session_manager::ServerSession, name: &str, data: Vec<u8>) {
    if let Some(file) = name.strip_prefix("pyfiles/") {
        if let Err(e) = session.spark.add_python_file(file, &data) {
            tracing::warn!("artifact {name}: {e}");
        }
    }
    if let Ok(mut a) = session.artifacts.lock() {
        a.insert(name.to_string(), Arc::new(data));
    }
}

pub async fn add_artifacts(
    sessions: &SessionManager,
    stream: &mut Streaming<sc::AddArtifactsRequest>,
) -> Result<sc::AddArtifactsResponse, Status> {
    let mut summaries = Vec::new();
    let mut session = None;
    let mut session_id = String::new();
    // A chunked artifact in progress: name, data so far, all chunks' CRCs fine.
    let mut pending: Option<(String, Vec<u8>, bool)> = None;
    while let Some(req) = stream.message().await? {
        if session.is_none() {
            let user_id = req.user_context.as_ref().map(|u| u.user_id.clone()).unwrap_or_default();
            session = Some(sessions.get_or_create(&user_id, &req.session_id, req.client_observed_server_side_session_id.as_deref())?);
            session_id = req.session_id.clone();
        }
        let Some(s) = session.as_ref() else { continue };
        let store = |name: &str, data: Vec<u8>| store_artifact(s, name, data);
        match req.payload {
            Some(Payload::Batch(b)) => {
                for a in b.artifacts {
                    let chunk = a.data.unwrap_or_default();
                    let ok = crc_ok(&chunk.data, chunk.crc);
                    if ok {
                        store(&a.name, chunk.data);
                    }
                    summaries.push(ArtifactSummary { name: a.name, is_crc_successful: ok });
                }
            }
            Some(Payload::BeginChunk(b)) => {
                if let Some((name, data, ok)) = pending.take() {
                    if ok {
                        store(&name, data);
                    }
                    summaries.push(ArtifactSummary { name, is_crc_successful: ok });
                }
                let chunk = b.initial_chunk.unwrap_or_default();
                let ok = crc_ok(&chunk.data, chunk.crc);
                pending = Some((b.name, chunk.data, ok));
            }
            Some(Payload::Chunk(c)) => {
                let Some((_, data, ok)) = pending.as_mut() else {
                    return Err(ServerError::invalid_plan("an artifact chunk arrived without begin_chunk").into());
                };
                *ok &= crc_ok(&c.data, c.crc);
                data.extend_from_slice(&c.data);
            }
            None => return Err(ServerError::missing("AddArtifactsRequest.payload").into()),
        }
    }
    if let (Some((name, data, ok)), Some(s)) = (pending.take(), session.as_ref()) {
        if ok {
            store_artifact(s, &name, data);
        }
        summaries.push(ArtifactSummary { name, is_crc_successful: ok });
    }
    Ok(sc::AddArtifactsResponse {
        session_id,
        server_side_session_id: session.map(|s| s.server_side_session_id.clone()).unwrap_or_default(),
        artifacts: summaries,
    })
}
