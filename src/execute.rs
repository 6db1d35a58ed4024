//! Runs one ExecutePlan request and appends its responses to the operation,
//! in the order the JVM server sends them: schema, arrow batches (at least
//! one), metrics, then `result_complete` for reattachable requests.

use std::sync::Arc;

use datafusion::arrow::array::{RecordBatch, StringArray};
use datafusion::arrow::datatypes::{DataType as ArrowType, Field, Schema};
use futures::StreamExt;
use spark_plan::{DataType, Plan, Relation, RelationKind, StructField};

use crate::arrow_ipc::{encode_batch, write_stream};
use crate::convert::{ConnectCommand, RelationContext, convert_command, convert_relation, type_to_proto};
use crate::error::{ServerError, ServerResult};
use crate::operation::Operation;
use crate::proto::sc;
use crate::proto::sc::execute_plan_response::{self as epr, ResponseType};
use crate::session_manager::ServerSession;

/// Stamps every response with the ids the client checks.
pub struct Responder {
    pub session_id: String,
    pub server_side_session_id: String,
    pub operation_id: String,
    pub op: Arc<Operation>,
}

impl Responder {
    fn response(&self) -> sc::ExecutePlanResponse {
        sc::ExecutePlanResponse {
            session_id: self.session_id.clone(),
            server_side_session_id: self.server_side_session_id.clone(),
            operation_id: self.operation_id.clone(),
            response_id: uuid::Uuid::new_v4().to_string(),
            ..Default::default()
        }
    }

    async fn send(&self, t: ResponseType) {
        let mut r = self.response();
        r.response_type = Some(t);
        self.op.push(r).await;
    }

    async fn send_schema(&self, t: &DataType) {
        let mut r = self.response();
        r.schema = Some(type_to_proto(t));
        self.op.push(r).await;
    }

    async fn send_metrics(&self) {
        let mut r = self.response();
        r.metrics = Some(epr::Metrics { metrics: vec![] });
        self.op.push(r).await;
    }

    async fn send_batch(&self, rows: usize, data: Vec<u8>, offset: i64) {
        self.send(ResponseType::ArrowBatch(epr::ArrowBatch {
            row_count: rows as i64,
            data,
            start_offset: Some(offset),
            chunk_index: None,
            num_chunks_in_batch: None,
        }))
        .await;
    }

    pub async fn complete(&self) {
        self.send(ResponseType::ResultComplete(epr::ResultComplete {})).await;
    }
}

pub async fn run(session: Arc<ServerSession>, plan: sc::Plan, out: &Responder) -> ServerResult<()> {
    let artifact = |name: &str| session.artifact(name);
    let mut ctx = RelationContext::new(&artifact);
    match plan.op_type.ok_or_else(|| ServerError::missing("Plan.op_type"))? {
        sc::plan::OpType::Root(rel) => {
            let rel = convert_relation(&rel, &mut ctx)?;
            run_root(&session, rel, out).await
        }
        sc::plan::OpType::Command(cmd) => {
            let cmd = convert_command(&cmd, &mut ctx)?;
            run_command(&session, cmd, out).await
        }
        sc::plan::OpType::CompressedOperation(_) => {
            Err(ServerError::invalid_plan("compressed plans are not supported; the server advertises no plan compression"))
        }
    }
}

async fn run_root(session: &ServerSession, rel: Relation, out: &Responder) -> ServerResult<()> {
    match &rel.kind {
        RelationKind::ShowString { input, num_rows, truncate, vertical } => {
            let text = session.spark.show_string(input, *num_rows, *truncate, *vertical).await?;
            send_single_string(out, "show_string", text).await
        }
        RelationKind::HtmlString { input, num_rows, truncate } => {
            let text = session.spark.html_string(input, *num_rows, *truncate).await?;
            send_single_string(out, "html_string", text).await
        }
        _ => {
            let mut stream = session.spark.execute(&rel).await?;
            out.send_schema(&stream.spark_schema).await;
            let mut offset: i64 = 0;
            let mut sent = false;
            while let Some(batch) = stream.next().await {
                let batch = batch?;
                if batch.num_rows() == 0 {
                    continue;
                }
                for (rows, data) in encode_batch(&batch)? {
                    out.send_batch(rows, data, offset).await;
                    offset += rows as i64;
                    sent = true;
                }
            }
            if !sent {
                let empty = RecordBatch::new_empty(stream.schema.clone());
                out.send_batch(0, write_stream(&stream.schema, &[empty])?, 0).await;
            }
            out.send_metrics().await;
            Ok(())
        }
    }
}

/// A one-row, one-column string result (`show()`, `_repr_html_`).
async fn send_single_string(out: &Responder, column: &str, text: String) -> ServerResult<()> {
    let schema = Arc::new(Schema::new(vec![Field::new(column, ArrowType::Utf8, false)]));
    let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(StringArray::from(vec![text]))])
        .map_err(|e| ServerError::invalid_plan(e.to_string()))?;
    out.send_schema(&DataType::Struct(vec![StructField::new(column, DataType::String, false)])).await;
    out.send_batch(1, write_stream(&schema, &[batch])?, 0).await;
    out.send_metrics().await;
    Ok(())
}

async fn run_command(session: &ServerSession, cmd: ConnectCommand, out: &Responder) -> ServerResult<()> {
    match cmd {
        ConnectCommand::Sql { plan: Plan::Query(rel), input } => {
            // Spark analyzes a query at spark.sql() time but runs it only on an action.
            session.spark.resolve(&rel)?;
            out.send(ResponseType::SqlCommandResult(epr::SqlCommandResult { relation: Some(input) })).await;
            out.send_metrics().await;
            Ok(())
        }
        ConnectCommand::Sql { plan: Plan::Command(c), .. } => {
            let result = session.spark.run_command(&c).await?;
            let data = write_stream(&result.schema, &result.batches)?;
            let relation = sc::Relation {
                common: None,
                rel_type: Some(sc::relation::RelType::LocalRelation(sc::LocalRelation { data: Some(data), schema: None })),
            };
            out.send(ResponseType::SqlCommandResult(epr::SqlCommandResult { relation: Some(relation) })).await;
            out.send_metrics().await;
            Ok(())
        }
        ConnectCommand::Run(c) => {
            session.spark.run_command(&c).await?;
            Ok(())
        }
        ConnectCommand::NoOp => Ok(()),
    }
}
