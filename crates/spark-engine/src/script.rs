//! Runs SQL scripts (`BEGIN ... END`). A block's `DECLARE`s are session
//! variables for as long as the block runs (what they shadowed comes back
//! at its end); conditions are one-row queries; the script's result is the
//! last query it ran.

use std::sync::Arc;

use datafusion::arrow::array::{Array, StructArray};
use datafusion::common::ScalarValue;
use futures::TryStreamExt;
use spark_plan::{Command, DataType, Expr, Plan, ScriptStatement};
use spark_resolver::SessionVariable;

use crate::command::empty;
use crate::session::{CommandOutput, SparkSession};
use crate::{EngineError, EngineResult};

/// How a statement ended: normally, or leaving / iterating a label.
enum Flow {
    Normal,
    Leave(String),
    Iterate(String),
}

/// The variables a block declared, with what each name held before.
type Shadowed = Vec<(String, Option<SessionVariable>)>;

impl SparkSession {
    pub(crate) async fn run_script(&self, script: &ScriptStatement) -> EngineResult<CommandOutput> {
        let mut last = None;
        match Box::pin(self.run_statement(script, &mut last)).await? {
            Flow::Normal => {}
            Flow::Leave(l) | Flow::Iterate(l) => return Err(EngineError::IllegalArgument(format!("no block or loop is labelled {l}"))),
        }
        Ok(last.unwrap_or_else(empty))
    }

    async fn run_body(&self, body: &[ScriptStatement], last: &mut Option<CommandOutput>, shadowed: &mut Shadowed) -> EngineResult<Flow> {
        for statement in body {
            let flow = match statement {
                ScriptStatement::Statement(Plan::Command(Command::DeclareVariable(d))) => {
                    for parts in &d.names {
                        let key = parts.last().map(|n| n.to_ascii_lowercase()).unwrap_or_default();
                        if !shadowed.iter().any(|(k, _)| k == &key) {
                            shadowed.push((key.clone(), self.variable(&key)));
                        }
                    }
                    let mut local = d.as_ref().clone();
                    local.replace = true;
                    self.declare_variable(&local)?;
                    Flow::Normal
                }
                other => Box::pin(self.run_statement(other, last)).await?,
            };
            if !matches!(flow, Flow::Normal) {
                return Ok(flow);
            }
        }
        Ok(Flow::Normal)
    }

    /// Runs a body in its own scope.
    async fn run_scoped(&self, body: &[ScriptStatement], last: &mut Option<CommandOutput>) -> EngineResult<Flow> {
        let mut shadowed = Shadowed::new();
        let flow = self.run_body(body, last, &mut shadowed).await;
        for (key, previous) in shadowed.into_iter().rev() {
            self.restore_variable(&key, previous);
        }
        flow
    }

    async fn run_statement(&self, statement: &ScriptStatement, last: &mut Option<CommandOutput>) -> EngineResult<Flow> {
        match statement {
            ScriptStatement::Statement(Plan::Query(q)) => {
                let stream = self.execute(q).await?;
                let schema = stream.schema.clone();
                *last = Some(CommandOutput { schema, batches: stream.try_collect().await? });
            }
            ScriptStatement::Statement(Plan::Command(c)) => {
                let out = Box::pin(self.run_command(c)).await?;
                if !out.schema.fields().is_empty() {
                    *last = Some(out);
                }
            }
            ScriptStatement::Assign { names, values } => {
                self.set_variables(names, values)?;
            }
            ScriptStatement::Block { label, body } => {
                return Ok(match self.run_scoped(body, last).await? {
                    Flow::Leave(l) if label.as_deref().is_some_and(|b| b.eq_ignore_ascii_case(&l)) => Flow::Normal,
                    flow => flow,
                });
            }
            ScriptStatement::If { branches, otherwise } => {
                for (condition, body) in branches {
                    if self.condition(condition)? {
                        return self.run_scoped(body, last).await;
                    }
                }
                return self.run_scoped(otherwise, last).await;
            }
            ScriptStatement::While { label, condition, body } => {
                while self.condition(condition)? {
                    match loop_flow(self.run_scoped(body, last).await?, label) {
                        LoopStep::Next => continue,
                        LoopStep::Exit => break,
                        LoopStep::Out(flow) => return Ok(flow),
                    }
                }
            }
            ScriptStatement::Repeat { label, body, until } => loop {
                match loop_flow(self.run_scoped(body, last).await?, label) {
                    LoopStep::Next => {}
                    LoopStep::Exit => break,
                    LoopStep::Out(flow) => return Ok(flow),
                }
                if self.condition(until)? {
                    break;
                }
            },
            ScriptStatement::Loop { label, body } => loop {
                match loop_flow(self.run_scoped(body, last).await?, label) {
                    LoopStep::Next => {}
                    LoopStep::Exit => break,
                    LoopStep::Out(flow) => return Ok(flow),
                }
            },
            ScriptStatement::For { label, variable, query, body } => return self.run_for(label, variable.as_deref(), query, body, last).await,
            ScriptStatement::Leave(l) => return Ok(Flow::Leave(l.clone())),
            ScriptStatement::Iterate(l) => return Ok(Flow::Iterate(l.clone())),
        }
        Ok(Flow::Normal)
    }

    /// `FOR [v AS] query DO ... END FOR`: each row's columns (and the row
    /// as the struct `v`) are variables while the body runs for it.
    async fn run_for(&self, label: &Option<String>, variable: Option<&str>, query: &spark_plan::Relation, body: &[ScriptStatement], last: &mut Option<CommandOutput>) -> EngineResult<Flow> {
        let DataType::Struct(fields) = self.schema(query)? else { return Ok(Flow::Normal) };
        let r = self.resolve(query)?;
        let batches = crate::session::run_to_completion(&self.ctx, r.plan)?;
        let mut names: Vec<String> = fields.iter().map(|f| f.name.clone()).collect();
        names.extend(variable.map(str::to_string));
        let shadowed: Shadowed = names.iter().map(|n| (n.to_ascii_lowercase(), self.variable(&n.to_ascii_lowercase()))).collect();
        let mut flow = Flow::Normal;
        'rows: for batch in &batches {
            let row_fields: datafusion::arrow::datatypes::Fields = batch.schema().fields().iter().zip(&fields).map(|(f, s)| Arc::new(f.as_ref().clone().with_name(s.name.clone()))).collect();
            let rows = StructArray::try_new(row_fields, batch.columns().to_vec(), None)?;
            for i in 0..rows.len() {
                let mut values = Vec::with_capacity(names.len());
                for (column, field) in rows.columns().iter().zip(&fields) {
                    values.push(SessionVariable { name: field.name.clone(), data_type: field.data_type.clone(), value: ScalarValue::try_from_array(column, i)? });
                }
                if let Some(v) = variable {
                    values.push(SessionVariable { name: v.to_string(), data_type: DataType::Struct(fields.clone()), value: ScalarValue::try_from_array(&rows, i)? });
                }
                self.store_variables(values);
                match loop_flow(self.run_scoped(body, last).await?, label) {
                    LoopStep::Next => {}
                    LoopStep::Exit => break 'rows,
                    LoopStep::Out(out) => {
                        flow = out;
                        break 'rows;
                    }
                }
            }
        }
        for (key, previous) in shadowed.into_iter().rev() {
            self.restore_variable(&key, previous);
        }
        Ok(flow)
    }

    /// A condition's value; NULL is false.
    fn condition(&self, e: &Expr) -> EngineResult<bool> {
        let row = self.single_row(&crate::variables::one_row(vec![e.clone()]))?;
        Ok(matches!(row.as_deref(), Some([(ScalarValue::Boolean(Some(true)), _)])))
    }
}

/// What a loop does after one round of its body.
enum LoopStep {
    Next,
    Exit,
    /// A LEAVE or ITERATE for an enclosing label.
    Out(Flow),
}

fn loop_flow(flow: Flow, label: &Option<String>) -> LoopStep {
    let mine = |l: &str| label.as_deref().is_some_and(|m| m.eq_ignore_ascii_case(l));
    match flow {
        Flow::Normal => LoopStep::Next,
        Flow::Iterate(l) if mine(&l) => LoopStep::Next,
        Flow::Leave(l) if mine(&l) => LoopStep::Exit,
        other => LoopStep::Out(other),
    }
}
