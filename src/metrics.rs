//! What the server is doing, for Prometheus: counters and histograms kept in
//! atomics, rendered in the text exposition format on `GET /metrics` of the
//! configured port, and the per-RPC layer that feeds them (and writes the
//! access log).

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll};
use std::time::Instant;

/// Upper bounds (seconds) of the RPC latency histogram.
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0, 30.0];

#[derive(Default)]
struct Histogram {
    counts: [AtomicU64; BUCKETS.len()],
    total: AtomicU64,
    /// Sum in microseconds.
    sum_us: AtomicU64,
}

impl Histogram {
    fn observe(&self, seconds: f64) {
        for (i, b) in BUCKETS.iter().enumerate() {
            if seconds <= *b {
                self.counts[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.total.fetch_add(1, Ordering::Relaxed);
        self.sum_us.fetch_add((seconds * 1e6) as u64, Ordering::Relaxed);
    }
}

/// The process-wide metrics.
#[derive(Default)]
pub struct Metrics {
    rpc: Mutex<BTreeMap<String, Arc<Histogram>>>,
    rpc_errors: Mutex<BTreeMap<String, u64>>,
    pub operations_started: AtomicU64,
    pub operations_succeeded: AtomicU64,
    pub operations_failed: AtomicU64,
    pub operations_cancelled: AtomicU64,
    pub rows_returned: AtomicU64,
    pub bytes_returned: AtomicU64,
}

pub fn metrics() -> &'static Metrics {
    static METRICS: OnceLock<Metrics> = OnceLock::new();
    METRICS.get_or_init(Metrics::default)
}

/// Live values read when rendering.
pub struct Gauges {
    pub sessions: usize,
    pub memory_reserved: usize,
    pub memory_limit: usize,
    pub spill_bytes: u64,
    pub udf_workers: usize,
}

impl Metrics {
    fn rpc_histogram(&self, method: &str) -> Option<Arc<Histogram>> {
        let mut m = self.rpc.lock().ok()?;
        Some(m.entry(method.to_string()).or_default().clone())
    }

    pub fn render(&self, g: &Gauges) -> String {
        let mut out = String::new();
        let mut metric = |name: &str, kind: &str, help: &str, lines: Vec<String>| {
            out.push_str(&format!("# HELP {name} {help}\n# TYPE {name} {kind}\n"));
            for l in lines {
                out.push_str(&l);
                out.push('\n');
            }
        };
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        metric("scs_sessions", "gauge", "Open Spark Connect sessions.", vec![format!("scs_sessions {}", g.sessions)]);
        let started = load(&self.operations_started);
        let ended = load(&self.operations_succeeded) + load(&self.operations_failed) + load(&self.operations_cancelled);
        metric(
            "scs_operations",
            "gauge",
            "ExecutePlan operations by state (running now; the others since start).",
            vec![
                format!("scs_operations{{state=\"running\"}} {}", started.saturating_sub(ended)),
                format!("scs_operations{{state=\"succeeded\"}} {}", load(&self.operations_succeeded)),
                format!("scs_operations{{state=\"failed\"}} {}", load(&self.operations_failed)),
                format!("scs_operations{{state=\"cancelled\"}} {}", load(&self.operations_cancelled)),
            ],
        );
        let mut rpc_lines = Vec::new();
        if let Ok(rpc) = self.rpc.lock() {
            for (method, h) in rpc.iter() {
                for (i, b) in BUCKETS.iter().enumerate() {
                    rpc_lines.push(format!("scs_rpc_duration_seconds_bucket{{method=\"{method}\",le=\"{b}\"}} {}", load(&h.counts[i])));
                }
                let total = load(&h.total);
                rpc_lines.push(format!("scs_rpc_duration_seconds_bucket{{method=\"{method}\",le=\"+Inf\"}} {total}"));
                rpc_lines.push(format!("scs_rpc_duration_seconds_sum{{method=\"{method}\"}} {}", load(&h.sum_us) as f64 / 1e6));
                rpc_lines.push(format!("scs_rpc_duration_seconds_count{{method=\"{method}\"}} {total}"));
            }
        }
        metric("scs_rpc_duration_seconds", "histogram", "Time to answer each RPC (to the first response of streams).", rpc_lines);
        let errors = self.rpc_errors.lock().map(|e| e.iter().map(|(m, n)| format!("scs_rpc_errors_total{{method=\"{m}\"}} {n}")).collect()).unwrap_or_default();
        metric("scs_rpc_errors_total", "counter", "RPCs answered with an error status.", errors);
        metric("scs_rows_returned_total", "counter", "Result rows sent to clients.", vec![format!("scs_rows_returned_total {}", load(&self.rows_returned))]);
        metric("scs_bytes_returned_total", "counter", "Arrow IPC bytes sent to clients.", vec![format!("scs_bytes_returned_total {}", load(&self.bytes_returned))]);
        metric("scs_memory_pool_reserved_bytes", "gauge", "Execution memory in use across all sessions.", vec![format!("scs_memory_pool_reserved_bytes {}", g.memory_reserved)]);
        metric("scs_memory_pool_limit_bytes", "gauge", "The execution memory limit.", vec![format!("scs_memory_pool_limit_bytes {}", g.memory_limit)]);
        metric("scs_spill_bytes", "gauge", "Bytes currently spilled to disk.", vec![format!("scs_spill_bytes {}", g.spill_bytes)]);
        metric("scs_udf_workers", "gauge", "Python UDF worker processes.", vec![format!("scs_udf_workers {}", g.udf_workers)]);
        out
    }
}

/// Serves `GET /metrics` on `listener` (HTTP/1.1, one response per
/// connection), with the gauges `gauges` reads at each scrape.
pub async fn serve(listener: tokio::net::TcpListener, gauges: Arc<dyn Fn() -> Gauges + Send + Sync>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    loop {
        let Ok((mut socket, _)) = listener.accept().await else { continue };
        let gauges = gauges.clone();
        tokio::spawn(async move {
            let mut request = Vec::new();
            let mut buf = [0u8; 1024];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 8192 {
                match socket.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => request.extend_from_slice(&buf[..n]),
                }
            }
            let line = String::from_utf8_lossy(&request);
            let ok = line.starts_with("GET /metrics ") || line.starts_with("GET /metrics?");
            let (status, body) = if ok { ("200 OK", metrics().render(&gauges())) } else { ("404 Not Found", "only /metrics is served here\n".to_string()) };
            let response = format!(
                "HTTP/1.1 {status}\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(response.as_bytes()).await;
        });
    }
}

/// The tower layer that times every RPC (and logs it when asked).
#[derive(Clone)]
pub struct RpcLayer {
    pub access_log: bool,
}

impl<S> tower::Layer<S> for RpcLayer {
    type Service = RpcService<S>;

    fn layer(&self, inner: S) -> RpcService<S> {
        RpcService { inner, access_log: self.access_log }
    }
}

#[derive(Clone)]
pub struct RpcService<S> {
    inner: S,
    access_log: bool,
}

impl<S, B, R> tower::Service<http::Request<B>> for RpcService<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<R>>,
    S::Future: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<S::Response, S::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<B>) -> Self::Future {
        let method = req.uri().path().rsplit('/').next().unwrap_or_default().to_string();
        let access_log = self.access_log;
        let started = Instant::now();
        let fut = self.inner.call(req);
        Box::pin(async move {
            let result = fut.await;
            let elapsed = started.elapsed();
            let m = metrics();
            if let Some(h) = m.rpc_histogram(&method) {
                h.observe(elapsed.as_secs_f64());
            }
            // gRPC errors travel in the `grpc-status` header of a
            // trailers-only response (0 is OK; streams report theirs later).
            let status = match &result {
                Ok(r) => r.headers().get("grpc-status").and_then(|v| v.to_str().ok()).unwrap_or("0").to_string(),
                Err(_) => "transport error".to_string(),
            };
            if status != "0" {
                if let Ok(mut e) = m.rpc_errors.lock() {
                    *e.entry(method.clone()).or_default() += 1;
                }
            }
            if access_log {
                tracing::info!(target: "access", method = %method, grpc_status = %status, millis = elapsed.as_secs_f64() * 1e3, "rpc");
            }
            result
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_prometheus_text() {
        let m = Metrics::default();
        if let Some(h) = m.rpc_histogram("ExecutePlan") {
            h.observe(0.003);
        }
        m.operations_started.fetch_add(2, Ordering::Relaxed);
        m.operations_succeeded.fetch_add(1, Ordering::Relaxed);
        let text = m.render(&Gauges { sessions: 3, memory_reserved: 10, memory_limit: 100, spill_bytes: 0, udf_workers: 0 });
        assert!(text.contains("scs_sessions 3"));
        assert!(text.contains("scs_operations{state=\"running\"} 1"));
        assert!(text.contains("scs_rpc_duration_seconds_bucket{method=\"ExecutePlan\",le=\"0.005\"} 1"));
        assert!(text.contains("scs_rpc_duration_seconds_bucket{method=\"ExecutePlan\",le=\"0.001\"} 0"));
        assert!(text.contains("# TYPE scs_rpc_duration_seconds histogram"));
    }
}
