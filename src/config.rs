//! Server configuration: built-in defaults (`config/default.toml`), then an
//! optional `--config` file, then environment variables, then CLI flags.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

const DEFAULT_TOML: &str = include_str!("../config/default.toml");

#[derive(Debug, Clone, Deserialize)]
pub struct ServerSection {
    pub host: String,
    pub port: u16,
    pub max_message_size: usize,
    pub session_idle_timeout_secs: u64,
    pub shutdown_grace_secs: u64,
    pub auth_tokens: Vec<String>,
    pub tls_cert: String,
    pub tls_key: String,
    pub metrics_port: u16,
    pub access_log: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ExecutionSection {
    pub memory_limit_mb: usize,
    pub spill_dir: String,
    pub target_partitions: usize,
    pub query_timeout_secs: u64,
    pub max_literal_bytes: usize,
    pub max_local_relation_bytes: usize,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CatalogSection {
    pub warehouse_dir: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PythonSection {
    pub executable: String,
    pub max_workers: usize,
    pub memory_limit_mb: u64,
    pub idle_timeout_secs: u64,
    pub nice: i32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    pub server: ServerSection,
    pub execution: ExecutionSection,
    pub catalog: CatalogSection,
    pub python: PythonSection,
    #[serde(default)]
    pub spark_conf: BTreeMap<String, String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {0}: {1}")]
    Read(PathBuf, std::io::Error),
    #[error("invalid config: {0}")]
    Parse(#[from] toml::de::Error),
    #[error("invalid value for {0}: {1}")]
    Env(String, String),
}

fn merge(base: &mut toml::Value, over: toml::Value) {
    match (base, over) {
        (toml::Value::Table(b), toml::Value::Table(o)) => {
            for (k, v) in o {
                match b.get_mut(&k) {
                    Some(existing) => merge(existing, v),
                    None => {
                        b.insert(k, v);
                    }
                }
            }
        }
        (b, o) => *b = o,
    }
}

fn env<T: std::str::FromStr>(name: &str, target: &mut T) -> Result<(), ConfigError> {
    if let Ok(v) = std::env::var(name) {
        *target = v.parse().map_err(|_| ConfigError::Env(name.into(), v.clone()))?;
    }
    Ok(())
}

impl Config {
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut value: toml::Value = toml::from_str(DEFAULT_TOML)?;
        if let Some(path) = file {
            let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read(path.to_path_buf(), e))?;
            merge(&mut value, toml::from_str(&text)?);
        }
        let mut c: Config = value.try_into()?;
        env("SPARK_CONNECT_SERVER_HOST", &mut c.server.host)?;
        env("SPARK_CONNECT_SERVER_PORT", &mut c.server.port)?;
        env("SPARK_CONNECT_SERVER_MAX_MESSAGE_SIZE", &mut c.server.max_message_size)?;
        env("SPARK_CONNECT_SERVER_SESSION_IDLE_TIMEOUT_SECS", &mut c.server.session_idle_timeout_secs)?;
        env("SPARK_CONNECT_SERVER_SHUTDOWN_GRACE_SECS", &mut c.server.shutdown_grace_secs)?;
        if let Ok(tokens) = std::env::var("SPARK_CONNECT_SERVER_AUTH_TOKENS") {
            c.server.auth_tokens = tokens.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_string).collect();
        }
        env("SPARK_CONNECT_SERVER_TLS_CERT", &mut c.server.tls_cert)?;
        env("SPARK_CONNECT_SERVER_TLS_KEY", &mut c.server.tls_key)?;
        env("SPARK_CONNECT_SERVER_METRICS_PORT", &mut c.server.metrics_port)?;
        env("SPARK_CONNECT_SERVER_ACCESS_LOG", &mut c.server.access_log)?;
        env("SPARK_CONNECT_SERVER_QUERY_TIMEOUT_SECS", &mut c.execution.query_timeout_secs)?;
        env("SPARK_CONNECT_SERVER_MAX_LITERAL_BYTES", &mut c.execution.max_literal_bytes)?;
        env("SPARK_CONNECT_SERVER_MAX_LOCAL_RELATION_BYTES", &mut c.execution.max_local_relation_bytes)?;
        env("SPARK_CONNECT_SERVER_MEMORY_LIMIT_MB", &mut c.execution.memory_limit_mb)?;
        env("SPARK_CONNECT_SERVER_SPILL_DIR", &mut c.execution.spill_dir)?;
        env("SPARK_CONNECT_SERVER_TARGET_PARTITIONS", &mut c.execution.target_partitions)?;
        env("SPARK_CONNECT_SERVER_WAREHOUSE_DIR", &mut c.catalog.warehouse_dir)?;
        env("SPARK_CONNECT_SERVER_PYTHON", &mut c.python.executable)?;
        env("SPARK_CONNECT_SERVER_PYTHON_MAX_WORKERS", &mut c.python.max_workers)?;
        env("SPARK_CONNECT_SERVER_PYTHON_MEMORY_LIMIT_MB", &mut c.python.memory_limit_mb)?;
        env("SPARK_CONNECT_SERVER_PYTHON_IDLE_TIMEOUT_SECS", &mut c.python.idle_timeout_secs)?;
        env("SPARK_CONNECT_SERVER_PYTHON_NICE", &mut c.python.nice)?;
        Ok(c)
    }

    pub fn engine_settings(&self) -> spark_engine::EngineSettings {
        let defaults = spark_engine::EngineSettings::default();
        spark_engine::EngineSettings {
            memory_limit_bytes: self.execution.memory_limit_mb.saturating_mul(1 << 20),
            spill_dir: (!self.execution.spill_dir.is_empty()).then(|| PathBuf::from(&self.execution.spill_dir)),
            warehouse_dir: PathBuf::from(&self.catalog.warehouse_dir),
            default_confs: self.spark_conf.clone(),
            target_partitions: if self.execution.target_partitions == 0 { defaults.target_partitions } else { self.execution.target_partitions },
            python: Some(self.python_settings()),
        }
    }

    fn python_settings(&self) -> spark_python::WorkerSettings {
        let p = &self.python;
        let mut settings = spark_python::WorkerSettings {
            max_workers: p.max_workers.max(1),
            memory_limit_mb: (p.memory_limit_mb > 0).then_some(p.memory_limit_mb),
            idle_timeout: std::time::Duration::from_secs(p.idle_timeout_secs),
            nice: p.nice,
            ..Default::default()
        };
        // python.executable, else the `spark.pyspark.python` conf, else
        // PYSPARK_PYTHON (the default), else python3.
        if !p.executable.is_empty() {
            settings.python = p.executable.clone();
        } else if let Some(python) = self.spark_conf.get("spark.pyspark.python").filter(|v| !v.is_empty()) {
            settings.python = python.clone();
        }
        settings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_parse() {
        let c = Config::load(None).map_err(|e| e.to_string());
        assert!(c.is_ok(), "{c:?}");
        if let Ok(c) = c {
            assert_eq!(c.server.port, 15002);
            assert_eq!(c.server.max_message_size, 128 << 20);
        }
    }
}
