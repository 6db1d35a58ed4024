//! Long DataFrame chains (a `select` in a loop) resolve, optimize and run.
//! Resolution recurses over the plan, so the test runs on a big stack, as the
//! server's worker threads do.

use futures::TryStreamExt;
use datafusion::arrow::array::{Array, Int64Array};
use spark_engine::{EngineSettings, SessionShared, SparkSession};
use spark_plan::{Expr, Literal, Relation, RelationKind};

fn chain(depth: usize) -> Relation {
    let mut rel = Relation::new(RelationKind::Range { start: 0, end: 3, step: 1, num_partitions: None });
    for _ in 0..depth {
        let e = Expr::func("+", vec![Expr::column("id"), Expr::Literal(Literal::Integer(1))]).alias("id");
        rel = Relation::new(RelationKind::Project { input: Box::new(rel), exprs: vec![e] });
    }
    rel
}

async fn run_chain(depth: usize) -> Vec<i64> {
    let shared = SessionShared::new(EngineSettings::default()).expect("session");
    let session = SparkSession::new(shared);
    let stream = session.execute(&chain(depth)).await.expect("execute");
    let batches: Vec<_> = stream.try_collect().await.expect("collect");
    let mut out: Vec<i64> = batches
        .iter()
        .flat_map(|b| {
            let a = b.column(0).as_any().downcast_ref::<Int64Array>().expect("bigint").clone();
            (0..a.len()).map(move |i| a.value(i))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn deep_select_chains_run() {
    let handle = std::thread::Builder::new()
        .stack_size(256 << 20)
        .spawn(|| {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            rt.block_on(async {
                for depth in [1usize, 30, 500, 2000] {
                    let d = depth as i64;
                    assert_eq!(run_chain(depth).await, vec![d, d + 1, d + 2], "depth {depth}");
                }
            })
        })
        .expect("thread");
    handle.join().expect("deep chains");
}
