//! The Config RPC, as `SparkConnectConfigHandler` answers it.

use crate::error::{ServerError, ServerResult};
use crate::proto::sc::{self, KeyValue, config_request::operation::OpType};
use crate::session_manager::ServerSession;

fn not_found(key: &str) -> ServerError {
    ServerError::Engine(spark_engine::EngineError::spark(
        spark_engine::error::ExceptionKind::NoSuchElement,
        "SQL_CONF_NOT_FOUND",
        "42K0I",
        format!("The SQL config \"{key}\" cannot be found. Please verify that the config exists."),
        &[("sqlConf", format!("\"{key}\""))],
    ))
}

/// Confs that pyspark sets but Spark Connect ignores, with Spark's warning.
const IGNORED: &[&str] = &["spark.sql.execution.arrow.enabled", "spark.sql.execution.arrow.pyspark.fallback.enabled"];

pub fn handle(session: &ServerSession, op: OpType) -> ServerResult<(Vec<KeyValue>, Vec<String>)> {
    let spark = &session.spark;
    let mut warnings = Vec::new();
    let pairs = match op {
        OpType::Set(s) => {
            let silent = s.silent.unwrap_or(false);
            for p in &s.pairs {
                let value = p.value.clone().unwrap_or_default();
                if IGNORED.contains(&p.key.as_str()) {
                    warnings.push(format!("The SQL config '{}' is NOT supported in Spark Connect", p.key));
                }
                let result = spark.set_conf(&p.key, &value).map_err(ServerError::from);
                match result {
                    Ok(()) => {}
                    Err(e) if silent => warnings.push(e.to_string()),
                    Err(e) => return Err(e),
                }
            }
            vec![]
        }
        OpType::Get(g) => {
            let conf = spark.conf();
            g.keys
                .iter()
                .map(|k| conf.get(k).map(|v| KeyValue { key: k.clone(), value: Some(v) }).ok_or_else(|| not_found(k)))
                .collect::<ServerResult<Vec<_>>>()?
        }
        OpType::GetWithDefault(g) => {
            let conf = spark.conf();
            g.pairs.iter().map(|p| KeyValue { key: p.key.clone(), value: conf.get(&p.key).or_else(|| p.value.clone()) }).collect()
        }
        OpType::GetOption(g) => {
            let conf = spark.conf();
            g.keys.iter().map(|k| KeyValue { key: k.clone(), value: conf.get(k) }).collect()
        }
        OpType::GetAll(g) => {
            let conf = spark.conf();
            let all = conf.all();
            match &g.prefix {
                Some(prefix) => all
                    .into_iter()
                    .filter_map(|(k, v)| k.strip_prefix(prefix.as_str()).map(|rest| KeyValue { key: rest.to_string(), value: Some(v) }))
                    .collect(),
                None => all.into_iter().map(|(k, v)| KeyValue { key: k, value: Some(v) }).collect(),
            }
        }
        OpType::Unset(u) => {
            for k in &u.keys {
                spark.unset_conf(k);
            }
            vec![]
        }
        OpType::IsModifiable(m) => {
            let conf = spark.conf();
            m.keys.iter().map(|k| KeyValue { key: k.clone(), value: Some(conf.is_modifiable(k).to_string()) }).collect()
        }
    };
    Ok((pairs, warnings))
}

pub fn response(session: &ServerSession, pairs: Vec<KeyValue>, warnings: Vec<String>) -> sc::ConfigResponse {
    sc::ConfigResponse {
        session_id: session.session_id.clone(),
        server_side_session_id: session.server_side_session_id.clone(),
        pairs,
        warnings,
    }
}
