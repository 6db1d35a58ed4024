//! Runs one ExecutePlan request and appends its responses to the operation,
//! in the order the JVM server sends them: schema, arrow batches (at least
//! one), metrics, then `result_complete` for reattachable requests.

use std::sync::Arc;

use datafusion::arrow::array::{RecordBatch, StringArray};
use datafusion::arrow::datatypes::{DataType as ArrowType, Field, Schema};
use futures::StreamExt;
use spark_plan::{DataType, Plan, Relation, RelationKind, StructField};

use crate::arrow_ipc::{encode_batch, write_stream};
use crate::convert::{ConnectCommand, MlCacheCommand, RelationContext, Root, convert_command, convert_root, literal_to_proto, type_to_proto};
use crate::error::{ServerError, ServerResult};
use crate::executor::{QueryRuntimes, Weight, relation_weight};
use spark_resolver::cancel::Cancellable;
use crate::operation::Operation;
use crate::proto::sc;
use crate::proto::sc::execute_plan_response::{self as epr, ResponseType};
use crate::session_manager::ServerSession;

/// Stamps every response with the ids the client checks.
#[derive(Clone)]
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

    async fn send_metrics(&self) {
        let mut r = self.response();
        r.metrics = Some(epr::Metrics { metrics: vec![] });
        self.op.push(r).await;
    }

    async fn send_progress(&self, (stages, inflight): (Vec<spark_engine::progress::StageProgress>, i64)) {
        let stages = stages
            .into_iter()
            .map(|s| epr::execution_progress::StageInfo {
                stage_id: s.stage_id,
                num_tasks: s.num_tasks,
                num_completed_tasks: s.num_completed_tasks,
                input_bytes_read: s.input_bytes_read,
                done: s.done,
            })
            .collect();
        self.send(ResponseType::ExecutionProgress(epr::ExecutionProgress { stages, num_inflight_tasks: inflight })).await;
    }

    pub async fn complete(&self) {
        self.send(ResponseType::ResultComplete(epr::ResultComplete {})).await;
    }
}

/// The executed plan's operator metrics as the client reads them.
fn metrics_proto(nodes: Vec<spark_engine::plan_metrics::NodeMetrics>) -> epr::Metrics {
    let metrics = nodes
        .into_iter()
        .map(|n| epr::metrics::MetricObject {
            name: n.name,
            plan_id: n.id,
            parent: n.parent,
            execution_metrics: n
                .values
                .into_iter()
                .map(|m| (m.name.clone(), epr::metrics::MetricValue { name: m.name, value: m.value, metric_type: m.kind.to_string() }))
                .collect(),
        })
        .collect();
    epr::Metrics { metrics }
}

/// What one request asks for, converted from its proto.
enum Work {
    Root(Relation),
    /// A `Sql` relation at the root whose text is a command (`SET`, `CREATE
    /// TEMP VIEW`, ...): Spark runs it and returns its rows as the result.
    /// ADBC drivers send commands this way.
    RootCommand(spark_plan::Command, sc::Relation),
    Command(ConnectCommand),
}

impl Work {
    /// Reads files, tables or large data (see `executor`).
    fn weight(&self) -> Weight {
        match self {
            Work::Root(rel) | Work::Command(ConnectCommand::Checkpoint(rel)) => relation_weight(rel),
            Work::Command(ConnectCommand::Sql { plan, .. }) => crate::executor::weight(plan),
            Work::Command(ConnectCommand::Run(cmd)) | Work::RootCommand(cmd, _) => crate::executor::weight(&Plan::Command(cmd.clone())),
            Work::Command(_) => Weight::Light,
        }
    }
}

/// `spark.connect.progress.reportInterval` (Spark's default 2 s); a
/// negative value turns progress reports off.
fn report_interval(session: &ServerSession) -> Option<std::time::Duration> {
    let text = session.spark.conf().get("spark.connect.progress.reportInterval").unwrap_or_else(|| "2s".into());
    let text = text.trim().to_ascii_lowercase();
    let (number, scale) = if let Some(ms) = text.strip_suffix("ms") {
        (ms, 1.0)
    } else if let Some(s) = text.strip_suffix('s') {
        (s, 1000.0)
    } else if let Some(m) = text.strip_suffix("min") {
        (m, 60_000.0)
    } else {
        (text.as_str(), 1.0)
    };
    let millis = number.trim().parse::<f64>().ok()? * scale;
    (millis > 0.0).then(|| std::time::Duration::from_millis(millis as u64))
}

/// The SQL text of a plan, for logs.
fn sql_text(plan: &sc::Plan) -> Option<String> {
    use sc::relation::RelType;
    let sql_of = |r: &sc::Relation| match &r.rel_type {
        Some(RelType::Sql(s)) => Some(s.query.clone()),
        _ => None,
    };
    match &plan.op_type {
        Some(sc::plan::OpType::Command(sc::Command { command_type: Some(sc::command::CommandType::SqlCommand(s)) })) => s.input.as_ref().and_then(sql_of),
        Some(sc::plan::OpType::Root(r)) => sql_of(r),
        _ => None,
    }
}

/// The kinds of a plan's relations, outermost first (`Project <- Filter <- Read`).
fn outline(rel: &Relation) -> String {
    let mut kinds = Vec::new();
    let mut next = Some(rel);
    while let Some(r) = next.filter(|_| kinds.len() < 12) {
        let debug = format!("{:?}", std::mem::discriminant(&r.kind));
        let name = format!("{:?}", r.kind);
        kinds.push(name.split([' ', '(', '{']).next().unwrap_or(&debug).to_string());
        next = r.children().into_iter().next();
    }
    kinds.join(" <- ")
}

/// Converts the plan (on the light runtime, where this runs) and runs it
/// here if it is light, else on the heavy runtime.
pub async fn run(session: Arc<ServerSession>, plan: sc::Plan, out: &Responder, runtimes: &QueryRuntimes) -> ServerResult<()> {
    let span = tracing::debug_span!("operation", session_id = %out.session_id, operation_id = %out.operation_id, plan = tracing::field::Empty);
    if span.is_disabled() {
        return run_plan(session, plan, out, runtimes).await;
    }
    if let Some(sql) = sql_text(&plan) {
        span.record("plan", sql.as_str());
    }
    tracing::Instrument::instrument(run_plan(session, plan, out, runtimes), span).await
}

async fn run_plan(session: Arc<ServerSession>, plan: sc::Plan, out: &Responder, runtimes: &QueryRuntimes) -> ServerResult<()> {
    let work = {
        let artifact = |name: &str| session.artifact(name);
        let persisted = |r: &spark_plan::Relation| session.persisted(r);
        let mut ctx = RelationContext::new(&artifact).with_persisted(&persisted).with_parse_options(session.parse_options()).with_limits(session.limits);
        match plan.op_type.ok_or_else(|| ServerError::missing("Plan.op_type"))? {
            sc::plan::OpType::Root(rel) => match convert_root(&rel, &mut ctx)? {
                Root::Query(converted) => Work::Root(converted),
                Root::Command(cmd) => Work::RootCommand(cmd, rel),
            },
            sc::plan::OpType::Command(cmd) => Work::Command(convert_command(&cmd, &mut ctx)?),
            sc::plan::OpType::CompressedOperation(_) => {
                return Err(ServerError::invalid_plan("compressed plans are not supported; the server advertises no plan compression"));
            }
        }
    };
    if let Work::Root(rel) = &work {
        let span = tracing::Span::current();
        if !span.is_disabled() {
            span.record("plan", outline(rel).as_str());
        }
    }
    tracing::debug!("running");
    let flag = out.op.cancel_flag.clone();
    match work.weight() {
        Weight::Light => Cancellable::new(flag, run_work(&session, work, out)).await,
        Weight::Heavy => {
            let out = out.clone();
            let work = Cancellable::new(flag, async move { run_work(&session, work, &out).await });
            let task = runtimes.spawn(Weight::Heavy, work).ok_or_else(|| ServerError::internal("the server is shutting down"))?;
            match task.await {
                Ok(result) => result,
                Err(e) if e.is_panic() => {
                    Err(ServerError::internal(format!("The query failed unexpectedly: {}", crate::server::panic_message(e.into_panic().as_ref()))))
                }
                Err(e) => Err(ServerError::internal(format!("The query was stopped: {e}"))),
            }
        }
    }
}

async fn run_work(session: &ServerSession, work: Work, out: &Responder) -> ServerResult<()> {
    match work {
        Work::Root(rel) => run_root(session, rel, out).await,
        Work::RootCommand(cmd, rel) => run_root_command(session, &rel, &cmd, out).await,
        Work::Command(cmd) => run_command(session, cmd, out).await,
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
            let mut writer = ResultWriter::new(out, &stream.spark_schema);
            // Progress goes out every `spark.connect.progress.reportInterval`
            // while batches are awaited.
            let every = report_interval(session);
            let period = every.unwrap_or(std::time::Duration::from_secs(3600));
            let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
            loop {
                let next = tokio::select! {
                    b = stream.next() => b,
                    _ = ticks.tick(), if every.is_some() => {
                        out.send_progress(stream.progress()).await;
                        continue;
                    }
                };
                let Some(batch) = next else { break };
                let batch = batch?;
                if batch.num_rows() == 0 {
                    continue;
                }
                for (rows, data) in encode_batch(&batch)? {
                    writer.batch(rows, data).await;
                }
            }
            if !writer.sent_any() {
                let empty = RecordBatch::new_empty(stream.schema.clone());
                writer.batch(0, write_stream(&stream.schema, &[empty])?).await;
            }
            writer.observed = observed_metrics(session, &rel).await?;
            writer.metrics = metrics_proto(stream.metrics());
            writer.finish().await;
            Ok(())
        }
    }
}

/// A command sent as a root `Sql` relation: its rows are the result.
async fn run_root_command(session: &ServerSession, rel: &sc::Relation, cmd: &spark_plan::Command, out: &Responder) -> ServerResult<()> {
    let result = session.run_root_command(rel, cmd).await?;
    let mut writer = ResultWriter::new(out, &result.spark_schema()?);
    let rows = result.num_rows();
    let batches = if rows == 0 { vec![RecordBatch::new_empty(result.schema.clone())] } else { result.batches.clone() };
    writer.batch(rows, write_stream(&result.schema, &batches)?).await;
    writer.finish().await;
    Ok(())
}

/// Sends a relation's result in the JVM's order — schema, arrow batches,
/// metrics — folding the schema into the first batch message and the metrics
/// into the last. The client reads each field of each message on its own, and
/// every message saved is one fewer round of client-side bookkeeping
/// (`ReleaseExecute`) per query.
struct ResultWriter<'a> {
    out: &'a Responder,
    schema: Option<sc::DataType>,
    /// The latest batch, held back so the metrics can travel with it.
    pending: Option<sc::ExecutePlanResponse>,
    offset: i64,
    /// `df.observe(...)` metrics, sent with the last message.
    observed: Vec<epr::ObservedMetrics>,
    /// The operators' metrics, sent with the last message.
    metrics: epr::Metrics,
}

impl<'a> ResultWriter<'a> {
    fn new(out: &'a Responder, schema: &DataType) -> Self {
        Self { out, schema: Some(type_to_proto(schema)), pending: None, offset: 0, observed: vec![], metrics: epr::Metrics::default() }
    }

    fn sent_any(&self) -> bool {
        self.pending.is_some()
    }

    async fn batch(&mut self, rows: usize, data: Vec<u8>) {
        let m = crate::metrics::metrics();
        m.rows_returned.fetch_add(rows as u64, std::sync::atomic::Ordering::Relaxed);
        m.bytes_returned.fetch_add(data.len() as u64, std::sync::atomic::Ordering::Relaxed);
        let mut r = self.out.response();
        r.schema = self.schema.take();
        r.response_type = Some(ResponseType::ArrowBatch(epr::ArrowBatch {
            row_count: rows as i64,
            data,
            start_offset: Some(self.offset),
            chunk_index: None,
            num_chunks_in_batch: None,
        }));
        self.offset += rows as i64;
        if let Some(previous) = self.pending.replace(r) {
            self.out.op.push(previous).await;
        }
    }

    async fn finish(mut self) {
        let mut last = self.pending.take().unwrap_or_else(|| self.out.response());
        last.schema = last.schema.or(self.schema.take());
        last.metrics = Some(std::mem::take(&mut self.metrics));
        last.observed_metrics = std::mem::take(&mut self.observed);
        self.out.op.push(last).await;
    }
}

/// The metrics of every `observe` in the plan, each computed over the rows
/// that flowed through it (the observed relation, run again as one aggregate).
async fn observed_metrics(session: &ServerSession, rel: &Relation) -> ServerResult<Vec<epr::ObservedMetrics>> {
    let mut found = Vec::new();
    let mut stack = vec![rel];
    while let Some(r) = stack.pop() {
        if let RelationKind::CollectMetrics { input, name, metrics } = &r.kind {
            found.push((name.clone(), input.as_ref().clone(), metrics.clone(), r.plan_id.unwrap_or(0)));
        }
        stack.extend(r.children());
    }
    let mut out = Vec::with_capacity(found.len());
    for (name, input, metrics, plan_id) in found.into_iter().rev() {
        let agg = Relation::new(RelationKind::Aggregate {
            input: Box::new(input),
            kind: spark_plan::AggregateKind::GroupBy,
            grouping: vec![],
            aggregates: metrics,
            having: None,
        });
        let (keys, batches) = session.spark.collect(&agg).await?;
        let mut values = Vec::with_capacity(keys.len());
        if let Some(b) = batches.iter().find(|b| b.num_rows() > 0) {
            for c in b.columns() {
                values.push(crate::convert::literal_to_proto(&crate::convert::array_value_to_literal(c, 0)?));
            }
        }
        out.push(epr::ObservedMetrics { name, values, keys, plan_id, ..Default::default() });
    }
    Ok(out)
}

/// A one-row, one-column string result (`show()`, `_repr_html_`).
async fn send_single_string(out: &Responder, column: &str, text: String) -> ServerResult<()> {
    let schema = Arc::new(Schema::new(vec![Field::new(column, ArrowType::Utf8, false)]));
    let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(StringArray::from(vec![text]))])
        .map_err(|e| ServerError::invalid_plan(e.to_string()))?;
    let mut writer = ResultWriter::new(out, &DataType::Struct(vec![StructField::new(column, DataType::String, false)]));
    writer.batch(1, write_stream(&schema, &[batch])?).await;
    writer.finish().await;
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
        ConnectCommand::Checkpoint(rel) => {
            let relation_id = uuid::Uuid::new_v4().to_string();
            session.spark.checkpoint(&rel, &relation_id).await?;
            out.send(ResponseType::CheckpointCommandResult(sc::CheckpointCommandResult {
                relation: Some(sc::CachedRemoteRelation { relation_id }),
            }))
            .await;
            out.send_metrics().await;
            Ok(())
        }
        ConnectCommand::ReleaseCheckpoint(id) => {
            session.spark.release_checkpoint(&id);
            Ok(())
        }
        ConnectCommand::MlCache(c) => {
            use sc::ml_command_result::{MlOperatorInfo, ResultType, ml_operator_info};
            let result = match c {
                MlCacheCommand::Clean => ResultType::Param(literal_to_proto(&spark_plan::Literal::Integer(0))),
                MlCacheCommand::Info => ResultType::Param(literal_to_proto(&spark_plan::Literal::Array { element_type: DataType::String, values: vec![] })),
                MlCacheCommand::Delete => ResultType::OperatorInfo(MlOperatorInfo {
                    r#type: Some(ml_operator_info::Type::ObjRef(sc::ObjectRef { id: String::new() })),
                    ..Default::default()
                }),
            };
            out.send(ResponseType::MlCommandResult(sc::MlCommandResult { result_type: Some(result) })).await;
            Ok(())
        }
    }
}
