//! spark-connect-server: a Spark Connect endpoint on Apache DataFusion.
//!
//! A request flows top-down through these modules: `server` (the gRPC
//! service) → `session_manager` (sessions) → `convert` (proto → unresolved
//! plan) → `execute` / `analyze` / `config_rpc` → the `spark-engine` crate
//! (resolve with `spark-resolver`, run on DataFusion) → `arrow_ipc` (results)
//! → `operation` (buffered responses, reattach) → back to the client.

pub mod analyze;
pub mod arrow_ipc;
pub mod artifacts;
pub mod codec;
pub mod config;
pub mod config_rpc;
pub mod convert;
pub mod error;
pub mod execute;
pub mod executor;
pub mod operation;
pub mod persist;
pub mod proto;
pub mod server;
pub mod session_manager;

use std::net::SocketAddr;

use std::sync::Arc;
use std::time::Duration;

use proto::sc::spark_connect_service_server::SparkConnectServiceServer;

/// Serves until `shutdown` resolves.
pub async fn serve(
    config: config::Config,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let shared = spark_engine::SessionShared::new(config.engine_settings())?;
    let sessions = session_manager::SessionManager::new(shared, Duration::from_secs(config.server.session_idle_timeout_secs));
    let reaper = sessions.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(30));
        loop {
            tick.tick().await;
            reaper.expire_idle();
        }
    });
    let runtimes = Arc::new(executor::QueryRuntimes::new(config.engine_settings().target_partitions)?);
    let service = SparkConnectServiceServer::new(server::SparkConnectServer::new(sessions, runtimes))
        .max_decoding_message_size(config.server.max_message_size)
        .max_encoding_message_size(config.server.max_message_size);
    // tonic applies `tcp_nodelay` only to listeners it binds itself; without
    // it, Nagle's algorithm holds each small response for a delayed ACK.
    use futures::StreamExt;
    let incoming = tokio_stream::wrappers::TcpListenerStream::new(listener).map(|conn| {
        conn.inspect(|stream| {
            if let Err(e) = stream.set_nodelay(true) {
                tracing::warn!(error = %e, "cannot set TCP_NODELAY");
            }
        })
    });
    // Graceful shutdown lets running operations finish, but no longer than
    // SHUTDOWN_GRACE: a client streaming a long result must not keep the
    // process alive indefinitely.
    let (stopping_tx, stopping_rx) = tokio::sync::oneshot::channel::<()>();
    let shutdown = async move {
        shutdown.await;
        let _ = stopping_tx.send(());
    };
    let server = tonic::transport::Server::builder()
        .tcp_nodelay(true)
        .http2_keepalive_interval(Some(Duration::from_secs(60)))
        .add_service(service)
        .serve_with_incoming_shutdown(incoming, shutdown);
    let deadline = async move {
        if stopping_rx.await.is_ok() {
            tokio::time::sleep(SHUTDOWN_GRACE).await;
            tracing::warn!("operations still running after the shutdown grace period; stopping anyway");
        } else {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        result = server => result?,
        _ = deadline => {}
    }
    Ok(())
}

/// How long a shutdown waits for running operations.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// The address the config asks to listen on.
pub fn listen_addr(config: &config::Config) -> Result<SocketAddr, std::net::AddrParseError> {
    let host = if config.server.host.contains(':') && !config.server.host.starts_with('[') {
        format!("[{}]", config.server.host)
    } else {
        config.server.host.clone()
    };
    format!("{host}:{}", config.server.port).parse()
}
