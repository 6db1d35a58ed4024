//! The work the fuzz targets (`fuzz/`) drive, shared with the short fuzz
//! pass the tests run: arbitrary bytes as an ExecutePlan request (decode,
//! convert to the plan IR, resolve) and arbitrary text as SQL (parse,
//! resolve). Errors are the expected outcome; a panic, a hang or a stack
//! overflow is a bug. Each input runs on a thread with the server's query
//! stack size, as requests do.

use std::sync::OnceLock;

use crate::convert::{RelationContext, convert_command, convert_relation};
use crate::proto::sc;

/// The stack a query thread has (see `executor`).
const STACK_BYTES: usize = 512 << 20;

fn session() -> Option<&'static spark_engine::SparkSession> {
    static SESSION: OnceLock<Option<spark_engine::SparkSession>> = OnceLock::new();
    SESSION
        .get_or_init(|| {
            let settings = spark_engine::EngineSettings { target_partitions: 1, ..Default::default() };
            spark_engine::SessionShared::new(settings).ok().map(spark_engine::SparkSession::new)
        })
        .as_ref()
}

/// Runs `work` on a thread with a query thread's stack; a panic in it
/// continues in the caller (where the fuzzer sees it).
fn on_query_thread(work: impl FnOnce() + Send) {
    std::thread::scope(|scope| {
        if let Ok(Err(panic)) = std::thread::Builder::new().stack_size(STACK_BYTES).spawn_scoped(scope, work).map(|h| h.join()) {
            std::panic::resume_unwind(panic);
        }
    });
}

/// Bytes as an ExecutePlan request: decoded, converted and resolved.
pub fn execute_plan_bytes(data: &[u8]) {
    let bytes = bytes::Bytes::copy_from_slice(data);
    on_query_thread(move || {
        let Ok(request) = crate::codec::decode_message::<sc::ExecutePlanRequest>(bytes) else { return };
        let Some(plan) = request.plan.and_then(|p| p.op_type) else { return };
        let artifact = |_: &str| None;
        let mut ctx = RelationContext::new(&artifact);
        match plan {
            sc::plan::OpType::Root(rel) => {
                if let (Ok(rel), Some(spark)) = (convert_relation(&rel, &mut ctx), session()) {
                    let _ = spark.resolve(&rel);
                }
            }
            sc::plan::OpType::Command(cmd) => {
                let _ = convert_command(&cmd, &mut ctx);
            }
            _ => {}
        }
    });
}

/// Text as a SQL statement: parsed, and resolved when it is a query.
pub fn sql_text(text: &str) {
    on_query_thread(move || {
        if let (Ok(spark_plan::Plan::Query(rel)), Some(spark)) = (spark_sql_parser::parse_statement(text), session()) {
            let _ = spark.resolve(&rel);
        }
    });
}
