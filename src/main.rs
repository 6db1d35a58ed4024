//! The `spark-connect-server` binary.

use std::path::PathBuf;

use clap::Parser;
use spark_connect_server::{config::Config, listen_addr, serve};
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::prelude::*;

/// A Spark Connect server built on Apache DataFusion.
#[derive(Parser, Debug)]
#[command(name = "spark-connect-server", version, about)]
struct Args {
    /// Address to listen on (overrides the config file).
    #[arg(long)]
    host: Option<String>,
    /// Port to listen on (overrides the config file).
    #[arg(long)]
    port: Option<u16>,
    /// A TOML config file; see config/default.toml for every setting.
    #[arg(long)]
    config: Option<PathBuf>,
}

/// Deep plans are decoded and resolved recursively; big stacks (reserved,
/// not committed) keep that from overflowing.
const WORKER_STACK_BYTES: usize = 512 << 20;

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    // `RUST_LOG` as `level` or `target=level,...` (a plain target filter:
    // tracing-subscriber's regex-based EnvFilter would turn on the `regex`
    // crate's full-DFA construction, which makes every pattern the query
    // kernels compile per batch, such as LIKE's, several times slower).
    let filter = std::env::var("RUST_LOG").ok().and_then(|v| v.parse::<Targets>().ok()).unwrap_or_else(|| Targets::new().with_default(LevelFilter::INFO));
    tracing_subscriber::registry().with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr)).with(filter).init();
    let mut config = match Config::load(args.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    if let Some(h) = args.host {
        config.server.host = h;
    }
    if let Some(p) = args.port {
        config.server.port = p;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(WORKER_STACK_BYTES)
        .max_blocking_threads(64)
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        let addr = listen_addr(&config)?;
        let listener = tokio::net::TcpListener::bind(addr).await?;
        tracing::info!(address = %listener.local_addr()?, "Spark Connect server listening");
        serve(config, listener, shutdown_signal()).await
    });
    // Whatever still runs (a blocking task, a query ignoring cancellation)
    // must not hold the process past the grace period.
    runtime.shutdown_timeout(std::time::Duration::from_millis(500));
    match result {
        Ok(()) => {
            tracing::info!("server stopped");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Resolves on SIGTERM or SIGINT.
async fn signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

/// The first signal starts a graceful shutdown; a second exits at once.
async fn shutdown_signal() {
    signal().await;
    tracing::info!("shutting down (a second signal exits at once)");
    tokio::spawn(async {
        signal().await;
        tracing::warn!("second signal: exiting now");
        std::process::exit(130);
    });
}
