//! Commands Spark runs eagerly (`SET`, `SHOW TABLES`, `CREATE TEMP VIEW`, ...),
//! each answering with the same columns and types as Spark.

use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, BooleanArray, RecordBatch, StringArray};
use datafusion::arrow::datatypes::{DataType as ArrowType, Field, Schema};
use spark_plan::{Command, DataType, TimeZoneSetting};

const TIME_ZONE: &str = "spark.sql.session.timeZone";

use crate::error::ExceptionKind;
use crate::session::{CommandOutput, SparkSession};
use crate::{EngineError, EngineResult};

pub(crate) fn string_table(columns: &[&str], rows: Vec<Vec<String>>) -> EngineResult<CommandOutput> {
    let schema = Arc::new(Schema::new(columns.iter().map(|c| Field::new(*c, ArrowType::Utf8, false)).collect::<Vec<_>>()));
    let arrays: Vec<ArrayRef> = (0..columns.len())
        .map(|i| Arc::new(StringArray::from(rows.iter().map(|r| r[i].clone()).collect::<Vec<_>>())) as ArrayRef)
        .collect();
    let batch = RecordBatch::try_new(schema.clone(), arrays)?;
    Ok(CommandOutput { schema, batches: vec![batch] })
}

pub(crate) fn empty() -> CommandOutput {
    CommandOutput { schema: Arc::new(Schema::empty()), batches: vec![] }
}

pub(crate) fn like(pattern: &str, name: &str) -> bool {
    // SHOW ... LIKE: `*` matches anything, `|` separates alternatives, case-insensitive.
    pattern.split('|').any(|p| {
        let p = p.trim().to_lowercase();
        let n = name.to_lowercase();
        let parts: Vec<&str> = p.split('*').collect();
        if parts.len() == 1 {
            return p == n;
        }
        let mut pos = 0;
        for (i, part) in parts.iter().enumerate() {
            if part.is_empty() {
                continue;
            }
            match n[pos..].find(part) {
                Some(found) if i > 0 || found == 0 => pos += found + part.len(),
                _ => return false,
            }
        }
        parts.last().is_some_and(|l| l.is_empty()) || pos == n.len()
    })
}

/// The machine's time zone (`SET TIME ZONE LOCAL`): `TZ`, else the zone
/// `/etc/localtime` links to, else UTC.
fn local_time_zone() -> String {
    if let Ok(tz) = std::env::var("TZ") {
        let tz = tz.trim_start_matches(':').to_string();
        if !tz.is_empty() {
            return tz;
        }
    }
    std::fs::read_link("/etc/localtime")
        .ok()
        .and_then(|p| p.to_str().and_then(|s| s.split("zoneinfo/").nth(1)).map(str::to_string))
        .unwrap_or_else(|| "UTC".to_string())
}

impl SparkSession {
    pub async fn run_command(&self, cmd: &Command) -> EngineResult<CommandOutput> {
        match cmd {
            Command::CreateView { name, input, replace, global } => {
                let (is_global, view) = match name.as_slice() {
                    [n] => (*global, n.clone()),
                    [db, n] if db.eq_ignore_ascii_case("global_temp") => (true, n.clone()),
                    _ => return Err(EngineError::spark(ExceptionKind::Analysis, "TEMP_VIEW_NAME_TOO_MANY_NAME_PARTS", "428EK",
                        format!("CREATE TEMPORARY VIEW or the corresponding Dataset APIs only accept single-part view names, but got: {}.", name.join(".")), &[])),
                };
                self.create_temp_view(&view, input, *replace, is_global)?;
                Ok(empty())
            }
            Command::DropView { name, if_exists } => self.drop_view_command(name, *if_exists),
            Command::SetConf { key: None, .. } => {
                let rows = self.conf().all().into_iter().map(|(k, v)| vec![k, v]).collect();
                string_table(&["key", "value"], rows)
            }
            Command::SetConf { key: Some(k), value: Some(v) } => {
                self.set_conf(k, v)?;
                string_table(&["key", "value"], vec![vec![k.clone(), v.clone()]])
            }
            Command::SetTimeZone(setting) => {
                let zone = match setting {
                    TimeZoneSetting::Zone(z) => z.clone(),
                    TimeZoneSetting::Local => local_time_zone(),
                };
                self.set_conf(TIME_ZONE, &zone)?;
                string_table(&["key", "value"], vec![vec![TIME_ZONE.to_string(), zone]])
            }
            Command::SetConf { key: Some(k), value: None } => {
                let v = self.conf().get(k).unwrap_or_else(|| "<undefined>".into());
                string_table(&["key", "value"], vec![vec![k.clone(), v]])
            }
            Command::ResetConf { key } => {
                match key {
                    Some(k) => self.unset_conf(k),
                    None => self.reset_conf(),
                }
                Ok(empty())
            }
            Command::UseDatabase { name } => self.use_database(name),
            Command::ShowTables { database, pattern } => {
                let global = database.as_deref().is_some_and(|d| d.eq_ignore_ascii_case("global_temp"));
                let mut rows: Vec<(String, String, bool)> = Vec::new();
                if global {
                    for v in self.shared.global_views.names() {
                        rows.push(("global_temp".into(), v, true));
                    }
                } else {
                    let db = database.as_deref().map(crate::tables::database_arg).unwrap_or_else(|| self.current_database());
                    for t in self.persistent_tables(&db)? {
                        rows.push((t.database, t.name, false));
                    }
                }
                for v in self.views.names() {
                    rows.push((String::new(), v, true));
                }
                rows.retain(|(_, n, _)| pattern.as_deref().is_none_or(|p| like(p, n)));
                objects("tableName", &rows)
            }
            Command::ShowViews { database, pattern } => {
                let global = database.as_deref().is_some_and(|d| d.eq_ignore_ascii_case("global_temp"));
                let mut rows: Vec<(String, String, bool)> = Vec::new();
                if global {
                    rows.extend(self.shared.global_views.names().into_iter().map(|v| ("global_temp".to_string(), v, true)));
                } else {
                    let db = database.as_deref().map(crate::tables::database_arg).unwrap_or_else(|| self.current_database());
                    for t in self.persistent_tables(&db)?.into_iter().filter(|t| t.kind == spark_catalog::TableKind::View) {
                        rows.push((t.database, t.name, false));
                    }
                }
                rows.extend(self.views.names().into_iter().map(|v| (String::new(), v, true)));
                rows.retain(|(_, n, _)| pattern.as_deref().is_none_or(|p| like(p, n)));
                objects("viewName", &rows)
            }
            Command::DescribeFunction { name, extended } => match spark_functions::catalog::describe(name, *extended) {
                Some(rows) => string_table(&["function_desc"], rows.into_iter().map(|r| vec![r]).collect()),
                None => match self.describe_sql_function(name, *extended) {
                    Some(rows) => string_table(&["function_desc"], rows.into_iter().map(|r| vec![r]).collect()),
                    None => Err(spark_resolver::ResolveError::unresolved_routine(name).into()),
                },
            },
            Command::CacheTable { name, input } => {
                self.cache_table(name, input.as_deref()).await?;
                Ok(empty())
            }
            Command::UncacheTable { name, if_exists } => {
                self.uncache_table(name, *if_exists)?;
                Ok(empty())
            }
            Command::ClearCache => {
                self.clear_cache();
                Ok(empty())
            }
            Command::ShowDatabases { pattern } => {
                let rows = self.database_names()?.into_iter().filter(|d| pattern.as_deref().is_none_or(|p| like(p, d))).map(|d| vec![d]).collect();
                string_table(&["namespace"], rows)
            }
            Command::ShowCatalogs => string_table(&["catalog"], vec![vec!["spark_catalog".into()]]),
            Command::ShowFunctions { pattern, user, system } => {
                let mut names: Vec<String> = if *user { self.user_function_names() } else { vec![] };
                if *system {
                    names.extend(spark_functions::catalog::spark_function_names().iter().cloned());
                }
                names.sort();
                names.dedup();
                // A pattern matches the function's own name (`spark_catalog.db.f` by `f`).
                let own = |n: &str| n.rsplit('.').next().unwrap_or(n).to_string();
                let rows = names.into_iter().filter(|n| pattern.as_deref().is_none_or(|p| like(p, n) || like(p, &own(n)))).map(|n| vec![n]).collect();
                string_table(&["function"], rows)
            }
            Command::ShowColumns { table } => {
                let rel = spark_plan::Relation::new(spark_plan::RelationKind::Read(spark_plan::ReadSource::Table { name: table.clone() }));
                let r = self.resolve(&rel)?;
                string_table(&["col_name"], r.names().into_iter().map(|n| vec![n]).collect())
            }
            Command::DescribeTable { table, extended } => {
                let rel = spark_plan::Relation::new(spark_plan::RelationKind::Read(spark_plan::ReadSource::Table { name: table.clone() }));
                let mut extra = self.partition_information(table)?;
                if *extended {
                    extra.extend(self.table_details(table)?);
                }
                // A persistent table's columns keep their comments.
                let is_view = matches!(table.as_slice(), [n] if self.views.get(n).is_some());
                let comments: Vec<(String, String)> = match self.get_persistent_table(table).ok().flatten().filter(|_| !is_view) {
                    Some(meta) => meta.fields().iter().filter_map(|f| Some((f.name.clone(), crate::catalog::column_comment(f)?))).collect(),
                    None => vec![],
                };
                self.describe(&rel, &extra, &comments)
            }
            Command::DescribeColumn { table, column, extended } => self.describe_column(table, column, *extended),
            Command::TableMaintenance { table, operation } => self.table_maintenance(table, *operation).await,
            Command::RefreshPath => Ok(empty()),
            Command::DescribeQuery { input } => self.describe(input, &[], &[]),
            Command::Explain { input, mode } => {
                let text = self.explain(input, mode != "simple").await?;
                string_table(&["plan"], vec![vec![text]])
            }
            Command::Catalog(op) => self.run_catalog(op).await,
            Command::Write(w) => self.write(w).await,
            Command::WriteTo(w) => self.write_to(w).await,
            Command::CreateDatabase(d) => self.create_database(d),
            Command::DropDatabase { name, if_exists, cascade } => self.drop_database(name, *if_exists, *cascade),
            Command::CreateTable(t) => self.create_table(t).await,
            Command::CreatePersistentView(v) => self.create_persistent_view(v),
            Command::CreateSqlFunction(f) => self.create_sql_function(f),
            Command::DropFunction { name, temporary, if_exists } => self.drop_function(name, *temporary, *if_exists),
            Command::DeclareVariable(d) => self.declare_variable(d),
            Command::SetVariables { names, values } => self.set_variables(names, values),
            Command::DropVariable { name, if_exists } => self.drop_variable(name, *if_exists),
            Command::ExecuteImmediate(e) => self.execute_immediate(e).await,
            Command::Script(s) => self.run_script(s).await,
            Command::DropTable { name, if_exists } => self.drop_table(name, *if_exists),
            Command::InsertInto(i) => self.insert_into(i).await,
            Command::TruncateTable { name } => self.truncate_table(name),
            Command::ShowCreateTable { name } => self.show_create_table(name),
            Command::ShowPartitions { name } => self.show_partitions(name),
            Command::ShowTableProperties { name, key } => self.show_table_properties(name, key.as_deref()),
            Command::AlterTable { name, action } => self.alter_table(name, action).await,
            Command::DescribeDatabase { name, extended } => self.describe_database(name, *extended),
            Command::AlterDatabase { name, action } => self.alter_database(name, action),
            Command::ShowCurrentNamespace => string_table(&["catalog", "namespace"], vec![vec!["spark_catalog".into(), self.current_database()]]),
            Command::RowLevelChange { table, operation } => self.row_level_change(table, *operation),
            Command::RegisterPythonFunction(f) => {
                self.register_python_function(f.clone());
                Ok(empty())
            }
            Command::RegisterPythonTableFunction(f) => {
                self.register_python_table_function(f.clone());
                Ok(empty())
            }
            Command::NotSupported(what) => Err(EngineError::spark(
                ExceptionKind::UnsupportedOperation,
                "UNSUPPORTED_FEATURE",
                "0A000",
                format!("The feature is not supported: {} (persistent tables and this statement are not supported yet).", what.trim()),
                &[],
            )),
        }
    }

    /// `DESCRIBE`: one row per column (with its comment, if any), then `extra` rows.
    /// `DESCRIBE t col`: rows of (info_name, info_value). No column
    /// statistics are kept, so the extended ones are all `NULL`, as in a
    /// Spark table never analyzed.
    fn describe_column(&self, table: &[String], column: &[String], extended: bool) -> EngineResult<CommandOutput> {
        let rel = spark_plan::Relation::new(spark_plan::RelationKind::Read(spark_plan::ReadSource::Table { name: table.to_vec() }));
        let DataType::Struct(fields) = self.schema(&rel)? else { return Ok(empty()) };
        let shown = column.join(".");
        if column.len() > 1 {
            return Err(EngineError::spark(ExceptionKind::Analysis, "_LEGACY_ERROR_TEMP_1060", "", format!("DESC TABLE COLUMN does not support nested column: {shown}."), &[("command", "DESC TABLE COLUMN".into()), ("column", shown)]));
        }
        let config = self.resolver_config();
        let Some(field) = fields.iter().find(|f| config.name_eq(&f.name, &shown)) else {
            let quoted = format!("`{shown}`");
            return Err(EngineError::spark(ExceptionKind::Analysis, "COLUMN_NOT_FOUND", "42703",
                format!("The column {quoted} cannot be found. Verify the spelling and correctness of the column name according to the SQL config \"spark.sql.caseSensitive\"."),
                &[("colName", quoted), ("caseSensitiveConfig", "\"spark.sql.caseSensitive\"".into())]));
        };
        let is_view = matches!(table, [n] if self.views.get(n).is_some());
        let comment = match self.get_persistent_table(table).ok().flatten().filter(|_| !is_view) {
            Some(meta) => meta.fields().iter().find(|f| f.name == field.name).and_then(crate::catalog::column_comment),
            None => None,
        };
        let mut rows = vec![
            vec!["col_name".to_string(), shown],
            vec!["data_type".to_string(), field.data_type.simple_string()],
            vec!["comment".to_string(), comment.unwrap_or_else(|| "NULL".into())],
        ];
        if extended {
            for stat in ["min", "max", "num_nulls", "distinct_count", "avg_col_len", "max_col_len", "histogram"] {
                rows.push(vec![stat.to_string(), "NULL".to_string()]);
            }
        }
        string_table(&["info_name", "info_value"], rows)
    }

    fn describe(&self, rel: &spark_plan::Relation, extra: &[(String, String, Option<String>)], comments: &[(String, String)]) -> EngineResult<CommandOutput> {
        let DataType::Struct(fields) = self.schema(rel)? else { return Ok(empty()) };
        let comment = |name: &str| comments.iter().find(|(n, _)| n == name).map(|(_, c)| c.clone());
        let mut rows: Vec<(String, String, Option<String>)> = fields.iter().map(|f| (f.name.clone(), f.data_type.simple_string(), comment(&f.name))).collect();
        rows.extend(extra.iter().cloned());
        let schema = Arc::new(Schema::new(vec![
            Field::new("col_name", ArrowType::Utf8, false),
            Field::new("data_type", ArrowType::Utf8, false),
            Field::new("comment", ArrowType::Utf8, true),
        ]));
        let batch = RecordBatch::try_new(schema.clone(), vec![
            Arc::new(StringArray::from(rows.iter().map(|r| r.0.clone()).collect::<Vec<_>>())),
            Arc::new(StringArray::from(rows.iter().map(|r| r.1.clone()).collect::<Vec<_>>())),
            Arc::new(StringArray::from(rows.iter().map(|r| r.2.clone()).collect::<Vec<_>>())),
        ])?;
        Ok(CommandOutput { schema, batches: vec![batch] })
    }
}

#[cfg(test)]
mod tests {
    use super::like;

    #[test]
    fn patterns() {
        assert!(like("t*", "temp"));
        assert!(like("a|b", "B"));
        assert!(!like("x*", "temp"));
    }
}

/// `SHOW TABLES` / `SHOW VIEWS` rows: (namespace, name, isTemporary).
fn objects(name_column: &str, rows: &[(String, String, bool)]) -> EngineResult<CommandOutput> {
    let schema = Arc::new(Schema::new(vec![
        Field::new("namespace", ArrowType::Utf8, false),
        Field::new(name_column, ArrowType::Utf8, false),
        Field::new("isTemporary", ArrowType::Boolean, false),
    ]));
    let batch = RecordBatch::try_new(schema.clone(), vec![
        Arc::new(StringArray::from(rows.iter().map(|r| r.0.clone()).collect::<Vec<_>>())),
        Arc::new(StringArray::from(rows.iter().map(|r| r.1.clone()).collect::<Vec<_>>())),
        Arc::new(BooleanArray::from(rows.iter().map(|r| r.2).collect::<Vec<_>>())),
    ])?;
    Ok(CommandOutput { schema, batches: vec![batch] })
}
