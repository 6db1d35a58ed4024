//! `spark.catalog`: each call answers with the table Spark's
//! `SparkConnectPlanner` builds for it (the same columns, types and
//! nullability), from the session's temporary views, the global temporary
//! views, the persistent databases and tables of `spark_catalog`, the
//! cache and Spark's list of built-in functions.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, BooleanArray, ListBuilder, RecordBatch, StringArray, StringBuilder};
use datafusion::arrow::datatypes::{DataType as ArrowType, Field, Schema};
use spark_plan::{CatalogCommand, CatalogName, DataType};
use spark_resolver::ResolveError;

use crate::command::like;
use crate::tables::{database_arg, schema_not_found};
use crate::error::ExceptionKind;
use crate::session::{CommandOutput, SparkSession};
use crate::{EngineError, EngineResult};

const CATALOG: &str = "spark_catalog";
const GLOBAL_TEMP: &str = "global_temp";

/// One column of a catalog answer.
enum Column {
    Text { name: &'static str, nullable: bool, values: Vec<Option<String>> },
    Flag { name: &'static str, values: Vec<bool> },
    /// `namespace`: an array of strings, NULL for functions.
    Parts { name: &'static str, values: Vec<Option<Vec<String>>> },
}

fn text(name: &'static str, values: Vec<Option<String>>) -> Column {
    Column::Text { name, nullable: true, values }
}

fn table(columns: Vec<Column>) -> EngineResult<CommandOutput> {
    let mut fields = Vec::with_capacity(columns.len());
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(columns.len());
    for c in columns {
        match c {
            Column::Text { name, nullable, values } => {
                fields.push(Field::new(name, ArrowType::Utf8, nullable));
                arrays.push(Arc::new(StringArray::from(values)));
            }
            Column::Flag { name, values } => {
                fields.push(Field::new(name, ArrowType::Boolean, false));
                arrays.push(Arc::new(BooleanArray::from(values)));
            }
            Column::Parts { name, values } => {
                let mut builder = ListBuilder::new(StringBuilder::new()).with_field(Field::new("element", ArrowType::Utf8, true));
                for v in values {
                    match v {
                        Some(parts) => {
                            for p in parts {
                                builder.values().append_value(p);
                            }
                            builder.append(true);
                        }
                        None => builder.append(false),
                    }
                }
                let array = builder.finish();
                fields.push(Field::new(name, array.data_type().clone(), true));
                arrays.push(Arc::new(array));
            }
        }
    }
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), arrays)?;
    Ok(CommandOutput { schema, batches: vec![batch] })
}

/// `value: boolean` (`tableExists`, `dropTempView`, ...).
fn flag(value: bool) -> EngineResult<CommandOutput> {
    table(vec![Column::Flag { name: "value", values: vec![value] }])
}

/// The empty `value: string` table of calls that return nothing.
fn done() -> EngineResult<CommandOutput> {
    table(vec![Column::Text { name: "value", nullable: false, values: vec![] }])
}

fn single(value: &str) -> EngineResult<CommandOutput> {
    table(vec![text("value", vec![Some(value.to_string())])])
}



/// A temporary view found by a catalog call: where it lives and its name.
struct FoundView {
    global: bool,
    name: String,
}

impl SparkSession {
    pub(crate) async fn run_catalog(&self, op: &CatalogCommand) -> EngineResult<CommandOutput> {
        match op {
            CatalogCommand::CurrentCatalog => single(CATALOG),
            CatalogCommand::SetCurrentCatalog(name) if name.eq_ignore_ascii_case(CATALOG) => done(),
            CatalogCommand::SetCurrentCatalog(name) => Err(EngineError::spark(
                ExceptionKind::Spark,
                "CATALOG_NOT_FOUND",
                "42P08",
                format!("The catalog `{name}` not found. Consider to set the SQL config \"spark.sql.catalog.{name}\" to a catalog plugin."),
                &[("catalogName", format!("`{name}`"))],
            )),
            CatalogCommand::ListCatalogs { pattern } => {
                let names: Vec<Option<String>> = [CATALOG].iter().filter(|c| pattern.as_deref().is_none_or(|p| like(p, c))).map(|c| Some(c.to_string())).collect();
                let descriptions = vec![None; names.len()];
                table(vec![text("name", names), text("description", descriptions)])
            }
            CatalogCommand::CurrentDatabase => single(&self.current_database()),
            CatalogCommand::SetCurrentDatabase(name) => {
                self.use_database(&spark_sql_parser::parse_identifier_parts(name)?)?;
                done()
            }
            CatalogCommand::GetDatabase(name) => {
                let parts = spark_sql_parser::parse_identifier_parts(name)?;
                let db = match parts.as_slice() {
                    [db] | [_, db] => db.clone(),
                    _ => return Err(schema_not_found(name)),
                };
                if self.shared.catalog.get_database(&db).map_err(crate::tables::catalog_error)?.is_none() {
                    return Err(schema_not_found(&db));
                }
                self.databases(Some(&db), true)
            }
            CatalogCommand::ListDatabases { pattern } => self.databases(pattern.as_deref(), false),
            CatalogCommand::DatabaseExists(name) => flag(self.shared.catalog.get_database(&database_arg(name)).map_err(crate::tables::catalog_error)?.is_some()),
            CatalogCommand::ListTables { database, pattern } => self.list_tables(database.as_deref().map(database_arg).as_deref(), pattern.as_deref()),
            CatalogCommand::GetTable(name) => {
                if let Some(view) = self.find_view(name)? {
                    return tables(vec![Found::View(view)]);
                }
                let table = self.find_table(name)?.ok_or_else(|| not_found(name))?;
                tables(vec![Found::Table(table)])
            }
            CatalogCommand::TableExists(name) => flag(self.find_view(name).ok().flatten().is_some() || self.find_table(name).ok().flatten().is_some()),
            CatalogCommand::ListColumns(name) => self.list_columns(name),
            CatalogCommand::ListFunctions { database, pattern } => {
                if let Some(db) = database.as_deref().map(database_arg) {
                    if self.shared.catalog.get_database(&db).map_err(crate::tables::catalog_error)?.is_none() {
                        return Err(schema_not_found(&db));
                    }
                }
                let names = spark_functions::catalog::spark_function_names();
                functions(names.iter().filter(|n| pattern.as_deref().is_none_or(|p| like(p, n))).cloned().collect())
            }
            CatalogCommand::GetFunction(name) => match builtin_function(name) {
                Some(f) => functions(vec![f]),
                None => Err(ResolveError::unresolved_routine_parts(&qualified_function(name)).into()),
            },
            CatalogCommand::FunctionExists(name) => flag(builtin_function(name).is_some()),
            CatalogCommand::DropTempView(name) => flag(self.drop_view(name, false)),
            CatalogCommand::DropGlobalTempView(name) => flag(self.drop_view(name, true)),
            CatalogCommand::DropView { name, if_exists } => {
                let removed = match name.as_slice() {
                    [n] => self.drop_view(n, false),
                    [db, n] if db.eq_ignore_ascii_case(GLOBAL_TEMP) => self.drop_view(n, true),
                    _ => false,
                };
                if !removed && !if_exists {
                    return Err(ResolveError::table_not_found(name).into());
                }
                done()
            }
            CatalogCommand::IsCached(name) if self.find_view(&plain(name))?.is_none() => {
                let table = self.find_table(&plain(name))?.ok_or_else(|| not_found(&plain(name)))?;
                flag(self.is_table_cached(&table))
            }
            CatalogCommand::IsCached(name) => {
                let view = self.existing_view(name)?;
                let cached = self.cached_tables.lock().map(|c| c.iter().any(|t| t.name.eq_ignore_ascii_case(&view.name))).unwrap_or(false);
                flag(cached && !view.global)
            }
            CatalogCommand::UncacheTable(name) => {
                let parts = self.existing_view_or_table(name)?;
                self.uncache_table(&parts, true)?;
                done()
            }
            CatalogCommand::ClearCache => {
                self.clear_cache();
                done()
            }
            CatalogCommand::RefreshTable(name) => {
                self.existing_view_or_table(name)?;
                done()
            }
            CatalogCommand::RefreshByPath(_) => done(),
            CatalogCommand::RecoverPartitions(name) if self.find_view(&plain(name))?.is_none() => {
                self.find_table(&plain(name))?.ok_or_else(|| not_found(&plain(name)))?;
                done()
            }
            CatalogCommand::RecoverPartitions(name) => {
                let view = self.existing_view(name)?;
                Err(EngineError::spark(
                    ExceptionKind::Analysis,
                    "EXPECT_TABLE_NOT_VIEW.NO_ALTERNATIVE",
                    "42809",
                    format!("'recoverPartitions()' expects a table but `{}` is a view. ", view.name),
                    &[("operation", "'recoverPartitions()'".into()), ("viewName", format!("`{}`", view.name))],
                ))
            }
            CatalogCommand::CacheTable(name) => {
                let parts = self.existing_view_or_table(name)?;
                self.cache_table(&parts, None).await?;
                done()
            }
            CatalogCommand::CreateTable { .. } => self.catalog_create_table(op).await,
            CatalogCommand::NotSupported(call) => Err(EngineError::spark(
                ExceptionKind::UnsupportedOperation,
                "UNSUPPORTED_FEATURE",
                "0A000",
                format!("The feature is not supported: {call}."),
                &[],
            )),
        }
    }

    /// `Database(name, catalog, description, locationUri)` rows.
    fn databases(&self, pattern: Option<&str>, exact: bool) -> EngineResult<CommandOutput> {
        let all = self.shared.catalog.list_databases().map_err(crate::tables::catalog_error)?;
        let rows: Vec<_> = all
            .into_iter()
            .filter(|d| match pattern {
                Some(p) if exact => d.name.eq_ignore_ascii_case(p),
                Some(p) => like(p, &d.name),
                None => true,
            })
            .collect();
        table(vec![
            text("name", rows.iter().map(|d| Some(d.name.clone())).collect()),
            text("catalog", rows.iter().map(|_| Some(CATALOG.to_string())).collect()),
            text("description", rows.iter().map(|d| d.comment.clone()).collect()),
            text("locationUri", rows.iter().map(|d| Some(d.location.clone())).collect()),
        ])
    }

    /// `listTables([db], [pattern])`: the tables of `db` (the current
    /// database by default), the session's temporary views, and the global
    /// ones when `db` is `global_temp`.
    fn list_tables(&self, database: Option<&str>, pattern: Option<&str>) -> EngineResult<CommandOutput> {
        let mut found = Vec::new();
        match database {
            Some(db) if db.eq_ignore_ascii_case(GLOBAL_TEMP) => {
                found.extend(self.shared.global_views.names().into_iter().map(|name| Found::View(FoundView { global: true, name })));
            }
            other => {
                let db = other.map(str::to_string).unwrap_or_else(|| self.current_database());
                let persistent = self.shared.catalog.list_tables(&db).map_err(crate::tables::catalog_error)?;
                found.extend(persistent.into_iter().map(Found::Table));
            }
        }
        found.extend(self.views.names().into_iter().map(|name| Found::View(FoundView { global: false, name })));
        found.retain(|v| pattern.is_none_or(|p| like(p, v.name())));
        tables(found)
    }

    /// A persistent table a catalog call names.
    fn find_table(&self, name: &CatalogName) -> EngineResult<Option<spark_catalog::TableMeta>> {
        let parts = match &name.database {
            Some(db) => vec![db.clone(), name.name.clone()],
            None => spark_sql_parser::parse_identifier_parts(&name.name)?,
        };
        if parts.len() > 3 {
            return Ok(None);
        }
        self.get_persistent_table(&parts)
    }

    /// A temporary view a catalog call names: `name` or `global_temp.name`
    /// (with or without the separate database argument). A database of
    /// `default` names a persistent table, of which there are none.
    fn find_view(&self, name: &CatalogName) -> EngineResult<Option<FoundView>> {
        let mut parts = match &name.database {
            Some(db) => vec![db.clone(), name.name.clone()],
            None => spark_sql_parser::parse_identifier_parts(&name.name)?,
        };
        if parts.len() == 3 && parts[0].eq_ignore_ascii_case(CATALOG) {
            parts.remove(0);
        }
        Ok(match parts.as_slice() {
            [n] => self.views.get(n).map(|v| FoundView { global: false, name: v.name.clone() }),
            [db, n] if db.eq_ignore_ascii_case(GLOBAL_TEMP) => self.shared.global_views.get(n).map(|v| FoundView { global: true, name: v.name.clone() }),
            _ => None,
        })
    }

    /// The name parts of the temporary view or table a call names.
    fn existing_view_or_table(&self, name: &str) -> EngineResult<Vec<String>> {
        if let Some(v) = self.find_view(&plain(name))? {
            return Ok(if v.global { vec![GLOBAL_TEMP.to_string(), v.name] } else { vec![v.name] });
        }
        let t = self.find_table(&plain(name))?.ok_or_else(|| not_found(&plain(name)))?;
        Ok(vec![CATALOG.to_string(), t.database, t.name])
    }

    fn existing_view(&self, name: &str) -> EngineResult<FoundView> {
        let name = CatalogName { name: name.to_string(), database: None };
        self.find_view(&name)?.ok_or_else(|| not_found(&name))
    }

    fn drop_view(&self, name: &str, global: bool) -> bool {
        if global {
            self.shared.global_views.remove(name)
        } else {
            let _ = self.uncache_table(&[name.to_string()], true);
            self.views.remove(name)
        }
    }

    /// `listColumns(table)`: a temporary view's or a table's columns.
    fn list_columns(&self, name: &CatalogName) -> EngineResult<CommandOutput> {
        let view = match &name.database {
            Some(_) => None,
            None => self.find_view(name)?,
        };
        let (parts, partitions, buckets, stored) = match view {
            Some(v) if v.global => (vec![GLOBAL_TEMP.to_string(), v.name], vec![], vec![], None),
            Some(v) => (vec![v.name], vec![], vec![], None),
            None => {
                let t = self.find_table(name)?.ok_or_else(|| not_found(name))?;
                let buckets = t.bucketing.as_ref().map(|b| b.columns.clone()).unwrap_or_default();
                (vec![CATALOG.to_string(), t.database.clone(), t.name.clone()], t.partition_columns.clone(), buckets, Some(t.schema.clone()))
            }
        };
        // A table's stored schema keeps its columns' comments.
        let schema = match stored {
            Some(DataType::Struct(fields)) if !fields.is_empty() => DataType::Struct(fields),
            _ => self.schema(&spark_plan::Relation::new(spark_plan::RelationKind::Read(spark_plan::ReadSource::Table { name: parts })))?,
        };
        let fields = match schema {
            DataType::Struct(fields) => fields,
            _ => vec![],
        };
        let n = fields.len();
        table(vec![
            text("name", fields.iter().map(|f| Some(f.name.clone())).collect()),
            text("description", fields.iter().map(column_comment).collect()),
            text("dataType", fields.iter().map(|f| Some(f.data_type.simple_string())).collect()),
            Column::Flag { name: "nullable", values: fields.iter().map(|f| f.nullable).collect() },
            Column::Flag { name: "isPartition", values: fields.iter().map(|f| partitions.contains(&f.name)).collect() },
            Column::Flag { name: "isBucket", values: fields.iter().map(|f| buckets.iter().any(|b| b.eq_ignore_ascii_case(&f.name))).collect() },
            Column::Flag { name: "isCluster", values: vec![false; n] },
        ])
    }
}

/// A column's comment, kept in its field metadata as `{"comment": ...}`.
pub(crate) fn column_comment(f: &spark_plan::StructField) -> Option<String> {
    let metadata: serde_json::Value = serde_json::from_str(f.metadata.as_deref()?).ok()?;
    metadata.get("comment")?.as_str().map(str::to_string)
}

/// A table or view a catalog call found.
enum Found {
    View(FoundView),
    Table(spark_catalog::TableMeta),
}

impl Found {
    fn name(&self) -> &str {
        match self {
            Found::View(v) => &v.name,
            Found::Table(t) => &t.name,
        }
    }
}

/// `Table(name, catalog, namespace, description, tableType, isTemporary)` rows.
fn tables(found: Vec<Found>) -> EngineResult<CommandOutput> {
    let row = |f: &Found| -> (Option<String>, Vec<String>, Option<String>, &'static str, bool) {
        match f {
            Found::View(v) => (None, if v.global { vec![GLOBAL_TEMP.to_string()] } else { vec![] }, None, "TEMPORARY", true),
            Found::Table(t) => (Some(CATALOG.to_string()), vec![t.database.clone()], t.comment.clone(), t.kind.spark_name(), false),
        }
    };
    let rows: Vec<_> = found.iter().map(row).collect();
    table(vec![
        text("name", found.iter().map(|f| Some(f.name().to_string())).collect()),
        text("catalog", rows.iter().map(|r| r.0.clone()).collect()),
        Column::Parts { name: "namespace", values: rows.iter().map(|r| Some(r.1.clone())).collect() },
        text("description", rows.iter().map(|r| r.2.clone()).collect()),
        text("tableType", rows.iter().map(|r| Some(r.3.to_string())).collect()),
        Column::Flag { name: "isTemporary", values: rows.iter().map(|r| r.4).collect() },
    ])
}

/// `Function(name, catalog, namespace, description, className, isTemporary)`
/// rows of built-in functions, from `DESCRIBE FUNCTION`'s text.
fn functions(names: Vec<String>) -> EngineResult<CommandOutput> {
    let described: Vec<Vec<String>> = names.iter().map(|n| spark_functions::catalog::describe(n, false).unwrap_or_default()).collect();
    let field = |rows: &Vec<String>, prefix: &str| rows.iter().find_map(|r| r.strip_prefix(prefix)).filter(|v| !v.trim().is_empty() && v.trim() != "N/A.").map(str::to_string);
    let n = names.len();
    table(vec![
        text("name", names.into_iter().map(Some).collect()),
        text("catalog", vec![None; n]),
        Column::Parts { name: "namespace", values: vec![None; n] },
        text("description", described.iter().map(|d| field(d, "Usage: ")).collect()),
        text("className", described.iter().map(|d| field(d, "Class: ")).collect()),
        Column::Flag { name: "isTemporary", values: vec![true; n] },
    ])
}

/// A built-in function a catalog call names (only without a database:
/// `default` holds persistent functions, of which there are none).
fn builtin_function(name: &CatalogName) -> Option<String> {
    if name.database.is_some() {
        return None;
    }
    // Spark answers with the name as the call spelled it.
    spark_functions::catalog::is_spark_function(&name.name).then(|| name.name.clone())
}

fn qualified_function(name: &CatalogName) -> Vec<String> {
    match &name.database {
        Some(db) => vec![CATALOG.to_string(), db.clone(), name.name.clone()],
        None => vec![name.name.clone()],
    }
}

fn not_found(name: &CatalogName) -> EngineError {
    let parts = match &name.database {
        Some(db) => vec![CATALOG.to_string(), db.clone(), name.name.clone()],
        None => spark_sql_parser::parse_identifier_parts(&name.name).unwrap_or_else(|_| vec![name.name.clone()]),
    };
    ResolveError::table_not_found(&parts).into()
}

/// A catalog call's name argument without a separate database.
fn plain(name: &str) -> CatalogName {
    CatalogName { name: name.to_string(), database: None }
}
