//! `spark.connect.Command` → what the executor runs.

use spark_plan::{Bucketing, Command, Plan, SaveMode, WriteCommand, WriteTarget, WriteToCommand, WriteToMode};

use super::Required;
use super::relation::{RelationContext, convert_relation, parse_sql};
use crate::error::{ServerError, ServerResult};
use crate::proto::sc;
use crate::proto::sc::command::CommandType;

/// The commands the executor knows how to run.
pub enum ConnectCommand {
    /// `spark.sql(...)`: a statement, plus the input relation to echo back for queries.
    Sql { plan: Plan, input: sc::Relation },
    /// A command that runs and returns nothing (temp views).
    Run(Command),
    /// `df.checkpoint()` / `localCheckpoint()`: materialize, answer with its id.
    Checkpoint(spark_plan::Relation),
    /// The client released a checkpointed DataFrame.
    ReleaseCheckpoint(String),
    /// The client's housekeeping of the ML object cache, which stays empty
    /// here: answered as Spark answers for an empty cache.
    MlCache(MlCacheCommand),
}

/// The ML cache commands the client sends on its own (at exit, on `del model`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MlCacheCommand {
    /// `clean_cache`: how many objects were dropped (none).
    Clean,
    /// `get_cache_info`: the cached objects (none).
    Info,
    /// `delete`: the ids of the objects deleted (none).
    Delete,
}

pub fn convert_command(c: &sc::Command, ctx: &mut RelationContext) -> ServerResult<ConnectCommand> {
    let t = c.command_type.as_ref().required("Command.command_type")?;
    Ok(match t {
        CommandType::SqlCommand(s) => {
            let input = match (&s.input, &s.sql) {
                (Some(i), _) => i.clone(),
                (None, q) if !q.is_empty() => sc::Relation {
                    common: None,
                    rel_type: Some(sc::relation::RelType::Sql(sc::Sql {
                        query: q.clone(),
                        args: s.args.clone(),
                        pos_args: s.pos_args.clone(),
                        named_arguments: s.named_arguments.clone(),
                        pos_arguments: s.pos_arguments.clone(),
                    })),
                },
                _ => return Err(ServerError::missing("SqlCommand.input")),
            };
            let plan = match &input.rel_type {
                Some(sc::relation::RelType::Sql(sql)) => parse_sql(sql, ctx)?,
                Some(sc::relation::RelType::WithRelations(w)) => match w.root.as_deref().and_then(|r| r.rel_type.as_ref()) {
                    Some(sc::relation::RelType::Sql(sql)) => match parse_sql(sql, ctx)? {
                        Plan::Command(c) => Plan::Command(c),
                        Plan::Query(_) => Plan::Query(convert_relation(&input, ctx)?),
                    },
                    _ => Plan::Query(convert_relation(&input, ctx)?),
                },
                _ => Plan::Query(convert_relation(&input, ctx)?),
            };
            ConnectCommand::Sql { plan, input }
        }
        CommandType::CreateDataframeView(v) => {
            let input = convert_relation(v.input.as_ref().required("CreateDataFrameViewCommand.input")?, ctx)?;
            let name = spark_sql_parser::parse_identifier_parts(&v.name).map_err(|e| ServerError::Engine(e.into()))?;
            ConnectCommand::Run(Command::CreateView { name, input: Box::new(input), replace: v.replace, global: v.is_global })
        }
        CommandType::MlCommand(m) => {
            use sc::ml_command::Command as Ml;
            match m.command.as_ref().required("MlCommand.command")? {
                Ml::CleanCache(_) => ConnectCommand::MlCache(MlCacheCommand::Clean),
                Ml::GetCacheInfo(_) => ConnectCommand::MlCache(MlCacheCommand::Info),
                Ml::Delete(_) => ConnectCommand::MlCache(MlCacheCommand::Delete),
                _ => return Err(ServerError::unsupported("Spark ML (pyspark.ml estimators, models and evaluators over Spark Connect)")),
            }
        }
        CommandType::CheckpointCommand(c) => {
            ConnectCommand::Checkpoint(convert_relation(c.relation.as_ref().required("CheckpointCommand.relation")?, ctx)?)
        }
        CommandType::RemoveCachedRemoteRelationCommand(r) => {
            ConnectCommand::ReleaseCheckpoint(r.relation.as_ref().required("RemoveCachedRemoteRelationCommand.relation")?.relation_id.clone())
        }
        CommandType::WriteOperation(w) => ConnectCommand::Run(Command::Write(convert_write(w, ctx)?)),
        CommandType::WriteOperationV2(w) => ConnectCommand::Run(Command::WriteTo(convert_write_to(w, ctx)?)),
        CommandType::RegisterFunction(f) => ConnectCommand::Run(Command::RegisterPythonFunction(super::expression::python_function(f)?)),
        CommandType::RegisterTableFunction(f) => {
            ConnectCommand::Run(Command::RegisterPythonTableFunction(super::expression::python_table_function(f)?))
        }
        other => {
            let name = format!("{other:?}");
            return Err(ServerError::unsupported(format!("the command {}", name.split('(').next().unwrap_or("unknown"))));
        }
    })
}

/// `df.write...save/saveAsTable/insertInto`.
fn convert_write(w: &sc::WriteOperation, ctx: &mut RelationContext) -> ServerResult<WriteCommand> {
    use sc::write_operation::save_table::TableSaveMethod;
    use sc::write_operation::{SaveMode as Mode, SaveType};
    let input = convert_relation(w.input.as_ref().required("WriteOperation.input")?, ctx)?;
    let table_name = |name: &str| spark_sql_parser::parse_identifier_parts(name).map_err(|e| ServerError::Engine(e.into()));
    let target = match &w.save_type {
        None => None,
        Some(SaveType::Path(p)) => Some(WriteTarget::Path(p.clone())),
        Some(SaveType::Table(t)) => Some(match TableSaveMethod::try_from(t.save_method) {
            Ok(TableSaveMethod::InsertInto) => WriteTarget::InsertInto(table_name(&t.table_name)?),
            _ => WriteTarget::SaveAsTable(table_name(&t.table_name)?),
        }),
    };
    let mode = match Mode::try_from(w.mode) {
        Ok(Mode::Append) => SaveMode::Append,
        Ok(Mode::Overwrite) => SaveMode::Overwrite,
        Ok(Mode::Ignore) => SaveMode::Ignore,
        _ => SaveMode::ErrorIfExists,
    };
    let bucket_by = w
        .bucket_by
        .as_ref()
        .filter(|b| b.num_buckets > 0 || !b.bucket_column_names.is_empty())
        .map(|b| Bucketing { buckets: b.num_buckets, columns: b.bucket_column_names.clone() });
    Ok(WriteCommand {
        input: Box::new(input),
        format: w.source.clone().filter(|s| !s.is_empty()),
        target,
        mode,
        options: w.options.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        partition_by: w.partitioning_columns.clone(),
        bucket_by,
        sort_by: w.sort_column_names.clone(),
    })
}

/// `df.writeTo(table)....create/append/...` (DataFrameWriterV2).
fn convert_write_to(w: &sc::WriteOperationV2, ctx: &mut RelationContext) -> ServerResult<WriteToCommand> {
    use sc::write_operation_v2::Mode;
    let input = convert_relation(w.input.as_ref().required("WriteOperationV2.input")?, ctx)?;
    let table = spark_sql_parser::parse_identifier_parts(&w.table_name).map_err(|e| ServerError::Engine(e.into()))?;
    let mode = match Mode::try_from(w.mode) {
        Ok(Mode::Create) => WriteToMode::Create,
        Ok(Mode::Overwrite) => WriteToMode::Overwrite,
        Ok(Mode::OverwritePartitions) => WriteToMode::OverwritePartitions,
        Ok(Mode::Append) => WriteToMode::Append,
        Ok(Mode::Replace) => WriteToMode::Replace,
        Ok(Mode::CreateOrReplace) => WriteToMode::CreateOrReplace,
        _ => return Err(ServerError::missing("WriteOperationV2.mode")),
    };
    // `partitionedBy` takes columns (transforms such as `years(col)` are for v2 catalogs).
    let mut partition_by = Vec::new();
    for e in &w.partitioning_columns {
        match super::expression::convert_expression(e, ctx)? {
            spark_plan::Expr::Column { name, .. } => partition_by.push(name.join(".")),
            _ => return Err(ServerError::unsupported("partition transforms in writeTo().partitionedBy (only columns)")),
        }
    }
    Ok(WriteToCommand {
        input: Box::new(input),
        table,
        provider: w.provider.clone().filter(|p| !p.is_empty()),
        partition_by,
        options: w.options.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        properties: w.table_properties.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        mode,
    })
}
