//! SQL text through the parser, the resolver and DataFusion, without the
//! protocol: recursive CTEs iterate to a fixed point.

use datafusion::arrow::array::{Array, Int32Array};
use futures::TryStreamExt;
use spark_engine::{EngineSettings, SessionShared, SparkSession};
use spark_plan::relation::Plan;

async fn int_column(sql: &str) -> Vec<i32> {
    let session = SparkSession::new(SessionShared::new(EngineSettings::default()).expect("session"));
    let Plan::Query(rel) = spark_sql_parser::parse_statement(sql).expect("parse") else { panic!("not a query: {sql}") };
    let stream = session.execute(&rel).await.expect("execute");
    let batches: Vec<_> = stream.try_collect().await.expect("collect");
    batches
        .iter()
        .flat_map(|b| {
            let a = b.column(0).as_any().downcast_ref::<Int32Array>().expect("int").clone();
            (0..a.len()).map(move |i| a.value(i))
        })
        .collect()
}

#[tokio::test]
async fn recursive_cte_counts_to_a_fixed_point() {
    let out = int_column("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT * FROM r ORDER BY n").await;
    assert_eq!(out, vec![1, 2, 3, 4, 5]);
}

async fn run_error(sql: &str) -> String {
    let session = SparkSession::new(SessionShared::new(EngineSettings::default()).expect("session"));
    let Plan::Query(rel) = spark_sql_parser::parse_statement(sql).expect("parse") else { panic!("not a query: {sql}") };
    match session.execute(&rel).await {
        Err(e) => e.to_string(),
        Ok(stream) => match stream.try_collect::<Vec<_>>().await {
            Err(e) => e.to_string(),
            Ok(_) => panic!("no error: {sql}"),
        },
    }
}

#[tokio::test]
async fn recursive_union_distinct_is_refused_as_in_spark() {
    let e = run_error("WITH RECURSIVE r(n) AS (SELECT 1 UNION SELECT (n % 3) + 1 FROM r) SELECT * FROM r").await;
    assert!(e.contains("UNION_NOT_SUPPORTED_IN_RECURSIVE_CTE"), "{e}");
}

#[tokio::test]
async fn endless_recursion_stops_at_the_level_limit() {
    let e = run_error("WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r").await;
    assert!(e.contains("RECURSION_LEVEL_LIMIT_EXCEEDED") && e.contains("limit 100"), "{e}");
}

#[tokio::test]
async fn max_recursion_level_overrides_the_limit() {
    let e = run_error("WITH RECURSIVE r(n) MAX RECURSION LEVEL 3 AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10) SELECT * FROM r").await;
    assert!(e.contains("limit 3"), "{e}");
    let out = int_column("WITH RECURSIVE r(n) MAX RECURSION LEVEL 3 AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r ORDER BY n").await;
    assert_eq!(out, vec![1, 2, 3]);
}
