//! A smoke run of the `spark-connect-rs` client against a Spark Connect
//! server: `spark-connect-rs-smoke sc://127.0.0.1:PORT`. Prints one line per
//! check and exits non-zero at the first check that fails.

use arrow::array::{Array, Int64Array, StringArray};
use spark_connect_rs::functions::{col, lit};
use spark_connect_rs::{SparkSession, SparkSessionBuilder};

type Failure = Box<dyn std::error::Error>;

fn check(name: &str, ok: bool, detail: String) -> Result<(), Failure> {
    if ok {
        println!("ok {name}");
        Ok(())
    } else {
        Err(format!("{name}: {detail}").into())
    }
}

fn int64_column(batch: &arrow::array::RecordBatch, i: usize) -> Result<Vec<i64>, Failure> {
    let column = batch.column(i).as_any().downcast_ref::<Int64Array>().ok_or("not a BIGINT column")?;
    Ok((0..column.len()).map(|r| column.value(r)).collect())
}

async fn run(url: &str) -> Result<(), Failure> {
    let spark: SparkSession = SparkSessionBuilder::remote(url).app_name("spark-connect-rs-smoke").build().await?;
    check("version", !spark.version().await?.is_empty(), String::new())?;

    let df = spark.range(None, 10, 1, Some(2)).filter("id % 3 = 0").select([col("id"), (col("id") * lit(2)).alias("twice")]);
    let batch = df.collect().await?;
    let ids = int64_column(&batch, 0)?;
    let twice = int64_column(&batch, 1)?;
    check("range filter select", ids == vec![0, 3, 6, 9] && twice == vec![0, 6, 12, 18], format!("{ids:?} {twice:?}"))?;

    let batch = spark.sql("SELECT * FROM VALUES ('b', 2L), ('a', 1L) AS t(s, n) ORDER BY s").await?.collect().await?;
    let strings = batch.column(0).as_any().downcast_ref::<StringArray>().ok_or("not a STRING column")?;
    let values: Vec<&str> = (0..strings.len()).map(|r| strings.value(r)).collect();
    check("sql", values == vec!["a", "b"] && int64_column(&batch, 1)? == vec![1, 2], format!("{values:?}"))?;

    let count = spark.range(None, 1000, 1, None).count().await?;
    check("count", count == 1000, format!("{count}"))?;

    let mut conf = spark.conf();
    conf.set("spark.sql.shuffle.partitions", "7").await?;
    let value = conf.get("spark.sql.shuffle.partitions", None).await?;
    check("conf", value == "7", value)?;

    let failed = spark.sql("SELECT * FROM no_such_table").await;
    let message = match failed {
        Ok(df) => df.collect().await.err().map(|e| e.to_string()).unwrap_or_default(),
        Err(e) => e.to_string(),
    };
    check("error", message.contains("TABLE_OR_VIEW_NOT_FOUND"), message)?;
    Ok(())
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let url = std::env::args().nth(1).unwrap_or_else(|| "sc://127.0.0.1:15002".to_string());
    match run(&url).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            println!("FAILED {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
