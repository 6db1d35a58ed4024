//! The AnalyzePlan RPC: schemas, explain, versions, DDL parsing and the
//! other questions clients ask about a plan without running it.


use spark_plan::{DataType, Relation, RelationKind};

use crate::convert::{RelationContext, Root, convert_root, type_to_proto};
use crate::error::{ServerError, ServerResult};
use crate::proto::sc::{self, analyze_plan_request::Analyze, analyze_plan_response as res};
use crate::session_manager::ServerSession;

/// The Spark version this server answers as.
pub const SPARK_VERSION: &str = "4.3.0";

fn root_of<'a>(session: &ServerSession, plan: Option<&'a sc::Plan>) -> ServerResult<(Root, &'a sc::Relation)> {
    let plan = plan.ok_or_else(|| ServerError::missing("plan"))?;
    match plan.op_type.as_ref() {
        Some(sc::plan::OpType::Root(r)) => {
            let artifact = |name: &str| session.artifact(name);
            let persisted = |r: &spark_plan::Relation| session.persisted(r);
            let mut ctx = RelationContext::new(&artifact).with_persisted(&persisted).with_parse_options(session.parse_options()).with_limits(session.limits);
            Ok((convert_root(r, &mut ctx)?, r))
        }
        _ => Err(ServerError::invalid_plan("AnalyzePlan needs a relation as the plan root")),
    }
}

fn relation_of(session: &ServerSession, plan: Option<&sc::Plan>) -> ServerResult<Relation> {
    match root_of(session, plan)?.0 {
        Root::Query(rel) => Ok(rel),
        Root::Command(_) => Err(ServerError::invalid_plan("a SQL command cannot be used as a query; run it with spark.sql()")),
    }
}

/// A plan's schema. A command sent as a `Sql` relation runs, as Spark's
/// eager `spark.sql()` runs it, and its result's schema is the answer.
async fn schema_of(session: &ServerSession, plan: Option<&sc::Plan>) -> ServerResult<DataType> {
    match root_of(session, plan)? {
        (Root::Query(rel), _) => Ok(session.spark.schema(&rel)?),
        (Root::Command(cmd), proto) => Ok(session.run_root_command(proto, &cmd).await?.spark_schema()?),
    }
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

/// A plan's identity for `sameSemantics` / `semanticHash`: its fingerprint,
/// blind to the client's plan ids (they differ between two DataFrames built
/// the same way). Resolving it first rejects invalid plans.
fn semantic_fingerprint(session: &ServerSession, rel: &Relation) -> ServerResult<u64> {
    session.spark.plan_of(rel)?;
    Ok(rel.fingerprint())
}

/// The plan `persist()` / `unpersist()` / `storageLevel` name: as converted,
/// without the marker a persisted plan gets when it is read.
fn persist_target(session: &ServerSession, r: Option<&sc::Relation>) -> ServerResult<Relation> {
    let r = r.ok_or_else(|| ServerError::missing("relation"))?;
    let root = sc::Plan { op_type: Some(sc::plan::OpType::Root(r.clone())) };
    let plan = relation_of(session, Some(&root))?;
    Ok(match plan.kind {
        RelationKind::Persisted { input, .. } => *input,
        _ => plan,
    })
}


pub async fn handle(session: &ServerSession, analyze: Analyze) -> ServerResult<res::Result> {
    Ok(match analyze {
        Analyze::Schema(s) => {
            res::Result::Schema(res::Schema { schema: Some(type_to_proto(&schema_of(session, s.plan.as_ref()).await?)) })
        }
        Analyze::Explain(e) => {
            let rel = relation_of(session, e.plan.as_ref())?;
            let extended = e.explain_mode >= 2;
            res::Result::Explain(res::Explain { explain_string: session.spark.explain(&rel, extended).await? })
        }
        Analyze::TreeString(t) => {
            res::Result::TreeString(res::TreeString { tree_string: tree_string(&schema_of(session, t.plan.as_ref()).await?, t.level) })
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
            let same = semantic_fingerprint(session, &a)? == semantic_fingerprint(session, &b)?;
            res::Result::SameSemantics(res::SameSemantics { result: same })
        }
        Analyze::SemanticHash(s) => {
            let rel = relation_of(session, s.plan.as_ref())?;
            res::Result::SemanticHash(res::SemanticHash { result: semantic_fingerprint(session, &rel)? as i32 })
        }
        Analyze::Persist(p) => {
            let plan = persist_target(session, p.relation.as_ref())?;
            let level = p.storage_level.unwrap_or(sc::StorageLevel {
                use_disk: true,
                use_memory: true,
                use_off_heap: false,
                deserialized: true,
                replication: 1,
            });
            if let Ok(mut persisted) = session.persisted.lock() {
                persisted.persist(&plan, level);
            }
            res::Result::Persist(res::Persist {})
        }
        Analyze::Unpersist(u) => {
            let plan = persist_target(session, u.relation.as_ref())?;
            if let Ok(mut persisted) = session.persisted.lock() {
                session.spark.release_checkpoint(&persisted.unpersist(&plan));
            }
            res::Result::Unpersist(res::Unpersist {})
        }
        Analyze::GetStorageLevel(g) => {
            let plan = persist_target(session, g.relation.as_ref())?;
            let level = session.persisted.lock().map(|p| p.storage_level(&plan)).map_err(|_| ServerError::internal("persist state"))?;
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
