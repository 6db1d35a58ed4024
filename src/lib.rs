//! spark-connect-server: a Spark Connect endpoint on Apache DataFusion.
//!
//! A request flows top-down through these modules: `server` (the gRPC
//! service) → `session_manager` (sessions) → `convert` (proto → unresolved
//! plan) → `execute` / `analyze` / `config_rpc` → the `spark-engine` crate
//! (resolve with `spark-resolver`, run on DataFusion) → `arrow_ipc` (results)
//! → `operation` (buffered responses, reattach) → back to the client.

pub mod analyze;
pub mod auth;
pub mod arrow_ipc;
pub mod artifacts;
pub mod codec;
pub mod command_results;
pub mod config;
pub mod config_rpc;
pub mod convert;
pub mod error;
pub mod execute;
pub mod executor;
pub mod fuzzing;
pub mod metrics;
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
    let runtime_env = shared.runtime.clone();
    let memory_limit = config.engine_settings().memory_limit_bytes;
    let limits = convert::SizeLimits {
        max_literal_bytes: config.execution.max_literal_bytes,
        max_local_relation_bytes: config.execution.max_local_relation_bytes,
    };
    let sessions = session_manager::SessionManager::new(shared, Duration::from_secs(config.server.session_idle_timeout_secs), limits);
    if config.server.metrics_port != 0 {
        let addr = SocketAddr::new(listen_addr(&config)?.ip(), config.server.metrics_port);
        let metrics_listener = tokio::net::TcpListener::bind(addr).await?;
        tracing::info!(address = %metrics_listener.local_addr()?, "Prometheus metrics on /metrics");
        let counted = sessions.clone();
        let gauges = Arc::new(move || metrics::Gauges {
            sessions: counted.session_count(),
            memory_reserved: runtime_env.memory_pool.reserved(),
            memory_limit,
            spill_bytes: runtime_env.disk_manager.used_disk_space(),
            udf_workers: 0,
        });
        tokio::spawn(metrics::serve(metrics_listener, gauges));
    }
    let reaper = sessions.clone();
    let sessions_for_shutdown = sessions.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(30));
        loop {
            tick.tick().await;
            reaper.expire_idle();
        }
    });
    let runtimes = Arc::new(executor::QueryRuntimes::new(config.engine_settings().target_partitions)?);
    let query_timeout = (config.execution.query_timeout_secs > 0).then(|| Duration::from_secs(config.execution.query_timeout_secs));
    let service = SparkConnectServiceServer::new(server::SparkConnectServer::new(sessions, runtimes, query_timeout))
        .max_decoding_message_size(config.server.max_message_size)
        .max_encoding_message_size(config.server.max_message_size);
    let service = tonic::service::interceptor::InterceptedService::new(service, auth::TokenCheck::new(config.server.auth_tokens.clone()));
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
    // A shutdown stops accepting work and cancels running queries; streams
    // still open after the grace period are cut.
    let grace = Duration::from_secs(config.server.shutdown_grace_secs);
    let (stopping_tx, stopping_rx) = tokio::sync::oneshot::channel::<()>();
    let stopper = sessions_for_shutdown;
    let shutdown = async move {
        shutdown.await;
        let interrupted = stopper.interrupt_everything();
        let _ = stopping_tx.send(());
        // Keep answering until the clients have seen their cancellations
        // (bounded by the grace period below).
        session_manager::SessionManager::drained(&interrupted).await;
    };
    let mut builder = tonic::transport::Server::builder();
    if let Some(tls) = tls_config(&config)? {
        builder = builder.tls_config(tls)?;
    }
    let server = builder
        .layer(metrics::RpcLayer { access_log: config.server.access_log })
        .tcp_nodelay(true)
        .http2_keepalive_interval(Some(Duration::from_secs(60)))
        .add_service(service)
        .serve_with_incoming_shutdown(incoming, shutdown);
    let deadline = async move {
        if stopping_rx.await.is_ok() {
            tokio::time::sleep(grace).await;
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


/// TLS from the configured certificate and key files, if both are set.
fn tls_config(config: &config::Config) -> Result<Option<tonic::transport::ServerTlsConfig>, Box<dyn std::error::Error + Send + Sync>> {
    let (cert, key) = (&config.server.tls_cert, &config.server.tls_key);
    match (cert.is_empty(), key.is_empty()) {
        (true, true) => Ok(None),
        (false, false) => {
            let read = |path: &str| std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"));
            let identity = tonic::transport::Identity::from_pem(read(cert)?, read(key)?);
            Ok(Some(tonic::transport::ServerTlsConfig::new().identity(identity)))
        }
        _ => Err("TLS needs both server.tls_cert and server.tls_key".into()),
    }
}

/// The address the config asks to listen on.
pub fn listen_addr(config: &config::Config) -> Result<SocketAddr, std::net::AddrParseError> {
    let host = if config.server.host.contains(':') && !config.server.host.starts_with('[') {
        format!("[{}]", config.server.host)
    } else {
        config.server.host.clone()
    };
    format!("{host}:{}", config.server.port).parse()
}
