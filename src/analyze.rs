//! The AnalyzePlan RPC: schemas, explain, versions, DDL parsing and the
//! other questions clients ask about a plan without running it.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use spark_plan::{DataType, Relation, RelationKind};

use crate::convert::{RelationContext, convert_relation, type_to_proto};
use crate::error::{ServerError, ServerResult};
use crate::proto::sc::{self, analyze_plan_request::Analyze, analyze_plan_response as res};
use crate::session_manager::ServerSession;

/// The Spark version this server answers as.
pub const SPARK_VERSION: &str = "4.3.0";

fn relation_of(session: &ServerSession, plan: Option<&sc::Plan>) -> ServerResult<Relation> {
    let plan = plan.ok_or_else(|| ServerError::missing("plan"))?;
    match plan.op_type.as_ref() {
        Some(sc::plan::OpType::Root(r)) => convert(session, r),
        _ => Err(ServerError::invalid_plan("AnalyzePlan needs a relation as the plan root")),
    }
}

fn convert(session: &ServerSession, r: &sc::Relation) -> ServerResult<Relation> {
    let artifact = |name: &str| session.artifact(name);
    let persisted = |r: &sc::Relation| session.persisted(r);
    let mut ctx = RelationContext::new(&artifact).with_persisted(&persisted).with_parse_options(session.parse_options());
    convert_relation(r, &mut ctx)
}

/// Spark's `StructType.treeString`.
pub fn tree_string(t: &DataType, max_level: Option<i32>) -> String {
    fn walk(out: &mut String, t: &DataType, prefix: &str, level: i32, max: i32) {
        if level > max {
            return;
        }
        match t {
            DataType::Struct(fields) => {
                for f in fields {
                    out.push_str(&format!("{prefix}-- {}: {} (nullable = {})\n", f.name, type_name(&f.data_type), f.nullable));
                    walk(out, &f.data_type, &format!("{prefix}    |"), level + 1, max);
                }
            }
            DataType::Array { element, contains_null } => {
                out.push_str(&format!("{prefix}-- element: {} (containsNull = {contains_null})\n", type_name(element)));
                walk(out, element, &format!("{prefix}    |"), level + 1, max);
            }
            DataType::Map { key, value, value_contains_null } => {
                out.push_str(&format!("{prefix}-- key: {}\n", type_name(key)));
                walk(out, key, &format!("{prefix}    |"), level + 1, max);
                out.push_str(&format!("{prefix}-- value: {} (valueContainsNull = {value_contains_null})\n", type_name(value)));
                walk(out, value, &format!("{prefix}    |"), level + 1, max);
            }
            _ => {}
        }
    }
    fn type_name(t: &DataType) -> String {
        match t {
            DataType::Struct(_) => "struct".into(),
            DataType::Array { .. } => "array".into(),
            DataType::Map { .. } => "map".into(),
            other => other.json_type_name(),
        }
    }
    let mut out = String::from("root\n");
    walk(&mut out, t, " |", 1, max_level.filter(|l| *l > 0).unwrap_or(i32::MAX));
    out
}

/// A plan in canonical form for `sameSemantics` / `semanticHash`: the
/// unresolved plan with the client's plan ids erased (they differ between two
/// DataFrames built the same way). Resolving it first rejects invalid plans.
fn canonical_plan(session: &ServerSession, rel: &Relation) -> ServerResult<String> {
    session.spark.plan_of(rel)?;
    let text = format!("{rel:?}");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    const MARK: &str = "plan_id: Some(";
    while let Some(pos) = rest.find(MARK) {
        out.push_str(&rest[..pos]);
        out.push_str("plan_id: None");
        let after = &rest[pos + MARK.len()..];
        rest = after.find(')').map(|end| &after[end + 1..]).unwrap_or("");
    }
    out.push_str(rest);
    Ok(out)
}

use crate::session_manager::{cache_id, storage_key};

pub async fn handle(session: &ServerSession, analyze: Analyze) -> ServerResult<res::Result> {
    Ok(match analyze {
        Analyze::Schema(s) => {
            let rel = relation_of(session, s.plan.as_ref())?;
            res::Result::Schema(res::Schema { schema: Some(type_to_proto(&session.spark.schema(&rel)?)) })
        }
        Analyze::Explain(e) => {
            let rel = relation_of(session, e.plan.as_ref())?;
            let extended = e.explain_mode >= 2;
            res::Result::Explain(res::Explain { explain_string: session.spark.explain(&rel, extended).await? })
        }
        Analyze::TreeString(t) => {
            let rel = relation_of(session, t.plan.as_ref())?;
            res::Result::TreeString(res::TreeString { tree_string: tree_string(&session.spark.schema(&rel)?, t.level) })
        }
        Analyze::IsLocal(l) => {
            let rel = relation_of(session, l.plan.as_ref())?;
            let local = matches!(rel.kind, RelationKind::LocalRelation { .. } | RelationKind::OneRow | RelationKind::Values { .. });
            res::Result::IsLocal(res::IsLocal { is_local: local })
        }
        Analyze::IsStreaming(s) => {
            relation_of(session, s.plan.as_ref())?;
            res::Result::IsStreaming(res::IsStreaming { is_streaming: false })
        }
        Analyze::InputFiles(f) => {
            relation_of(session, f.plan.as_ref())?;
            res::Result::InputFiles(res::InputFiles { files: vec![] })
        }
        Analyze::SparkVersion(_) => res::Result::SparkVersion(res::SparkVersion { version: SPARK_VERSION.into() }),
        Analyze::DdlParse(d) => {
            let t = spark_sql_parser::parse_data_type(&d.ddl_string).map_err(|e| ServerError::Engine(e.into()))?;
            // The JVM answers with a struct of nullable fields for schema strings.
            res::Result::DdlParse(res::DdlParse { parsed: Some(type_to_proto(&t)) })
        }
        Analyze::SameSemantics(s) => {
            let a = relation_of(session, s.target_plan.as_ref())?;
            let b = relation_of(session, s.other_plan.as_ref())?;
            let same = canonical_plan(session, &a)? == canonical_plan(session, &b)?;
            res::Result::SameSemantics(res::SameSemantics { result: same })
        }
        Analyze::SemanticHash(s) => {
            let rel = relation_of(session, s.plan.as_ref())?;
            let mut h = DefaultHasher::new();
            canonical_plan(session, &rel)?.hash(&mut h);
            res::Result::SemanticHash(res::SemanticHash { result: h.finish() as i32 })
        }
        Analyze::Persist(p) => {
            let r = p.relation.as_ref().ok_or_else(|| ServerError::missing("Persist.relation"))?;
            convert(session, r)?;
            let level = p.storage_level.unwrap_or(sc::StorageLevel {
                use_disk: true,
                use_memory: true,
                use_off_heap: false,
                deserialized: true,
                replication: 1,
            });
            if let Ok(mut m) = session.storage_levels.lock() {
                m.insert(storage_key(r), level);
            }
            if let (Some(id), Ok(mut ids)) = (r.common.as_ref().and_then(|c| c.plan_id), session.persisted_plan_ids.lock()) {
                ids.insert(id);
            }
            res::Result::Persist(res::Persist {})
        }
        Analyze::Unpersist(u) => {
            let r = u.relation.as_ref().ok_or_else(|| ServerError::missing("Unpersist.relation"))?;
            let key = storage_key(r);
            if let Ok(mut m) = session.storage_levels.lock() {
                m.remove(&key);
            }
            session.spark.release_checkpoint(&cache_id(&key));
            res::Result::Unpersist(res::Unpersist {})
        }
        Analyze::GetStorageLevel(g) => {
            let r = g.relation.as_ref().ok_or_else(|| ServerError::missing("GetStorageLevel.relation"))?;
            // Not persisted: StorageLevel.NONE, which has one replica.
            let none = sc::StorageLevel { replication: 1, ..Default::default() };
            let level = session.storage_levels.lock().ok().and_then(|m| m.get(&storage_key(r)).cloned()).unwrap_or(none);
            res::Result::GetStorageLevel(res::GetStorageLevel { storage_level: Some(level) })
        }
        Analyze::JsonToDdl(j) => {
            let t = spark_plan::schema_json::parse_json_type(&j.json_string).map_err(|e| ServerError::invalid_plan(e.to_string()))?;
            let ddl = match &t {
                DataType::Struct(fields) => fields
                    .iter()
                    .map(|f| format!("{} {}{}", spark_plan::data_type::quote_if_needed(&f.name), f.data_type.sql(), if f.nullable { "" } else { " NOT NULL" }))
                    .collect::<Vec<_>>()
                    .join(","),
                other => other.sql(),
            };
            res::Result::JsonToDdl(res::JsonToDdl { ddl_string: ddl })
        }
    })
}
