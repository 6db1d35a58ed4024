//! Persistent databases and tables of `spark_catalog`: the DDL and DML
//! statements and the writer calls that change them. Metadata lives in the
//! session's [`spark_catalog::Catalog`]; table data in the warehouse
//! (`<warehouse>/<table>/`, `<warehouse>/<db>.db/<table>/`) or at a
//! table's LOCATION, written through the same committed file writer as
//! `df.write.save`.

use std::path::{Path, PathBuf};

use spark_catalog::{CatalogError, DEFAULT_DATABASE, DatabaseMeta, TableKind, TableMeta};
use spark_datasource::write::{Replace, WriteFormat};
use spark_plan::{CastMode, CreateDatabase, CreateTable, DataType, Expr, InsertInto, Literal, Relation, RelationKind, SaveMode, StructField, WriteCommand};
use spark_resolver::ResolveError;

use crate::error::ExceptionKind;
use crate::session::{CommandOutput, SparkSession};
use crate::write::{local_path, qualified, unsupported};
use crate::{EngineError, EngineResult};

const SPARK_CATALOG: &str = "spark_catalog";

fn quote(parts: &[&str]) -> String {
    parts.iter().map(|p| format!("`{}`", p.replace('`', "``"))).collect::<Vec<_>>().join(".")
}

/// A table's name as Spark prints it: `spark_catalog`.`db`.`t`.
pub(crate) fn table_ident(database: &str, name: &str) -> String {
    quote(&[SPARK_CATALOG, database, name])
}

pub(crate) fn catalog_error(e: CatalogError) -> EngineError {
    match e {
        CatalogError::DatabaseNotFound(db) => schema_not_found(&db),
        CatalogError::DatabaseExists(db) => EngineError::spark(ExceptionKind::Analysis, "SCHEMA_ALREADY_EXISTS", "42P06",
            format!("Cannot create schema {} because it already exists.\nChoose a different name, drop the existing schema, or add the IF NOT EXISTS clause to tolerate pre-existing schema.", quote(&[&db])),
            &[("schemaName", quote(&[&db]))]),
        CatalogError::DatabaseNotEmpty(db) => EngineError::spark(ExceptionKind::Analysis, "SCHEMA_NOT_EMPTY", "2BP01",
            format!("Cannot drop a schema {} because it contains objects.\nUse DROP SCHEMA ... CASCADE to drop the schema and all its objects.", quote(&[&db])),
            &[("schemaName", quote(&[&db]))]),
        CatalogError::TableNotFound { database, name } => ResolveError::table_not_found(&[SPARK_CATALOG.into(), database, name]).into(),
        CatalogError::TableExists { database, name } => table_exists(&database, &name),
        CatalogError::Store(m) => EngineError::spark(ExceptionKind::Spark, "INTERNAL_ERROR", "XX000", format!("The catalog store failed: {m}"), &[]),
    }
}

pub(crate) fn schema_not_found(database: &str) -> EngineError {
    let quoted = quote(&[SPARK_CATALOG, database]);
    EngineError::spark(ExceptionKind::Analysis, "SCHEMA_NOT_FOUND", "42704",
        format!("The schema {quoted} cannot be found. Verify the spelling and correctness of the schema and catalog.\nIf you did not qualify the name with a catalog, verify the current_schema() output, or qualify the name with the correct catalog.\nTo tolerate the error on drop use DROP SCHEMA IF EXISTS."),
        &[("schemaName", quoted)])
}

fn table_exists(database: &str, name: &str) -> EngineError {
    let ident = table_ident(database, name);
    EngineError::spark(ExceptionKind::Analysis, "TABLE_OR_VIEW_ALREADY_EXISTS", "42P07",
        format!("Cannot create table or view {ident} because it already exists.\nChoose a different name, drop or replace the existing object, or add the IF NOT EXISTS clause to tolerate pre-existing objects."),
        &[("relationName", ident)])
}

fn expect_table(operation: &str, view: &str) -> EngineError {
    EngineError::spark(ExceptionKind::Analysis, "EXPECT_TABLE_NOT_VIEW.NO_ALTERNATIVE", "42809",
        format!("'{operation}' expects a table but {} is a view. ", quote(&[view])),
        &[("operation", operation.into()), ("viewName", quote(&[view]))])
}

fn table_operation_unsupported(database: &str, name: &str, operation: &str) -> EngineError {
    let ident = table_ident(database, name);
    EngineError::spark(ExceptionKind::Analysis, "UNSUPPORTED_FEATURE.TABLE_OPERATION", "0A000",
        format!("The feature is not supported: Table {ident} does not support {operation}. Please check the current catalog and namespace to make sure the qualified table name is expected, and also check the catalog implementation which is configured by \"spark.sql.catalog\"."),
        &[("tableName", ident), ("operation", operation.into())])
}

/// Whether ANSI store assignment writes a `from` value into a `to` column
/// (Spark's `Cast.canANSIStoreAssign`).
fn can_store(from: &DataType, to: &DataType) -> bool {
    use DataType::*;
    let numeric = |t: &DataType| matches!(t, Byte | Short | Integer | Long | Float | Double | Decimal { .. });
    let datetime = |t: &DataType| matches!(t, Date | Timestamp | TimestampNtz);
    let text = |t: &DataType| matches!(t, String | Char(_) | VarChar(_));
    match (from, to) {
        (a, b) if a == b => true,
        (Null, _) => true,
        (a, b) if numeric(a) && numeric(b) => true,
        (a, b) if datetime(a) && datetime(b) => true,
        (a, b) if text(b) && !matches!(a, Array { .. } | Map { .. } | Struct(_) | Binary) => true,
        (a, b) if text(a) && text(b) => true,
        (Array { element: a, .. }, Array { element: b, .. }) => can_store(a, b),
        (Map { key: ka, value: va, .. }, Map { key: kb, value: vb, .. }) => can_store(ka, kb) && can_store(va, vb),
        (Struct(a), Struct(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| can_store(&x.data_type, &y.data_type)),
        _ => false,
    }
}

impl SparkSession {
    pub(crate) fn catalog(&self) -> &dyn spark_catalog::Catalog {
        self.shared.catalog.as_ref()
    }

    /// `(database, table)` of a table name (`t`, `db.t`, `spark_catalog.db.t`).
    fn table_name(&self, name: &[String]) -> EngineResult<(String, String)> {
        let current = self.current_database();
        match name {
            [n] => Ok((current, n.clone())),
            [db, n] => Ok((db.clone(), n.clone())),
            [c, db, n] if c.eq_ignore_ascii_case(SPARK_CATALOG) => Ok((db.clone(), n.clone())),
            _ => {
                let ident = quote(&name.iter().map(String::as_str).collect::<Vec<_>>());
                Err(EngineError::spark(ExceptionKind::Analysis, "REQUIRES_SINGLE_PART_NAMESPACE", "42K05",
                    format!("spark_catalog requires a single-part namespace, but got identifier {ident}."),
                    &[("sessionCatalog", SPARK_CATALOG.into()), ("identifier", ident)]))
            }
        }
    }

    fn database_name(name: &[String]) -> EngineResult<String> {
        match name {
            [db] => Ok(db.clone()),
            [c, db] if c.eq_ignore_ascii_case(SPARK_CATALOG) => Ok(db.clone()),
            _ => Err(schema_not_found(&name.join("."))),
        }
    }

    fn existing_database(&self, name: &str) -> EngineResult<DatabaseMeta> {
        self.catalog().get_database(name).map_err(catalog_error)?.ok_or_else(|| schema_not_found(name))
    }

    /// Where a managed table's data lives.
    fn managed_location(&self, database: &str, name: &str) -> EngineResult<PathBuf> {
        let db = self.existing_database(database)?;
        Ok(local_path(&db.location).join(name.to_lowercase()))
    }

    pub(crate) fn create_database(&self, d: &CreateDatabase) -> EngineResult<CommandOutput> {
        let name = Self::database_name(&d.name)?.to_lowercase();
        let location = match &d.location {
            Some(l) => std::path::absolute(local_path(l)).unwrap_or_else(|_| local_path(l)),
            None => std::path::absolute(&self.shared.settings.warehouse_dir).unwrap_or_default().join(format!("{name}.db")),
        };
        let meta = DatabaseMeta { name: name.clone(), comment: d.comment.clone(), location: qualified(&location), properties: d.properties.clone() };
        match self.catalog().create_database(&meta) {
            Err(CatalogError::DatabaseExists(_)) if d.if_not_exists => return Ok(CommandOutput::empty()),
            other => other.map_err(catalog_error)?,
        }
        std::fs::create_dir_all(&location).map_err(|e| EngineError::IllegalArgument(format!("cannot create {}: {e}", location.display())))?;
        Ok(CommandOutput::empty())
    }

    pub(crate) fn drop_database(&self, name: &[String], if_exists: bool, cascade: bool) -> EngineResult<CommandOutput> {
        let db = Self::database_name(name)?;
        if db.eq_ignore_ascii_case(DEFAULT_DATABASE) {
            let ident = quote(&[SPARK_CATALOG, DEFAULT_DATABASE]);
            return Err(EngineError::spark(ExceptionKind::Analysis, "UNSUPPORTED_FEATURE.DROP_DATABASE", "0A000",
                format!("The feature is not supported: Drop the default database {ident}."), &[("database", ident)]));
        }
        let Some(meta) = self.catalog().get_database(&db).map_err(catalog_error)? else {
            return if if_exists { Ok(CommandOutput::empty()) } else { Err(schema_not_found(&db)) };
        };
        let tables = self.catalog().list_tables(&db).map_err(catalog_error)?;
        self.catalog().drop_database(&db, cascade).map_err(catalog_error)?;
        for t in tables.iter().filter(|t| t.kind == TableKind::Managed) {
            if let Some(l) = &t.location {
                let _ = std::fs::remove_dir_all(local_path(l));
            }
        }
        let _ = std::fs::remove_dir(local_path(&meta.location));
        if self.current_database().eq_ignore_ascii_case(&db) {
            self.set_current_database(DEFAULT_DATABASE);
        }
        Ok(CommandOutput::empty())
    }

    pub(crate) fn use_database(&self, name: &[String]) -> EngineResult<CommandOutput> {
        let db = Self::database_name(name)?;
        let meta = self.existing_database(&db)?;
        self.set_current_database(&meta.name);
        Ok(CommandOutput::empty())
    }

    pub(crate) fn database_names(&self) -> EngineResult<Vec<String>> {
        Ok(self.catalog().list_databases().map_err(catalog_error)?.into_iter().map(|d| d.name).collect())
    }

    pub(crate) fn persistent_tables(&self, database: &str) -> EngineResult<Vec<TableMeta>> {
        self.catalog().list_tables(database).map_err(catalog_error)
    }

    pub(crate) fn get_persistent_table(&self, name: &[String]) -> EngineResult<Option<TableMeta>> {
        let (db, table) = self.table_name(name)?;
        self.catalog().get_table(&db, &table).map_err(catalog_error)
    }

    pub(crate) async fn create_table(&self, t: &CreateTable) -> EngineResult<CommandOutput> {
        let (db, name) = self.table_name(&t.name)?;
        self.existing_database(&db)?;
        let existing = self.catalog().get_table(&db, &name).map_err(catalog_error)?;
        if t.replace {
            let operation = if t.query.is_some() { "REPLACE TABLE AS SELECT" } else { "REPLACE TABLE" };
            return Err(table_operation_unsupported(&db, &name, operation));
        }
        if existing.is_some() {
            return if t.if_not_exists { Ok(CommandOutput::empty()) } else { Err(table_exists(&db, &name)) };
        }
        // File tables have no generated columns.
        if t.columns.iter().any(|c| c.metadata.as_deref().is_some_and(|m| m.contains("\"GENERATION_EXPRESSION\""))) {
            return Err(table_operation_unsupported(&db, &name, "generated columns"));
        }
        if t.query.is_some() && !t.columns.is_empty() {
            return Err(EngineError::Parse(spark_sql_parser::ParseError::other("_LEGACY_ERROR_TEMP_0035", "",
                "Operation not allowed: Schema may not be specified in a Create Table As Select (CTAS) statement.")));
        }
        let mut provider = t.provider.clone();
        let mut columns = t.columns.clone();
        let mut partition_by = t.partition_by.clone();
        if let Some(source) = &t.like {
            let rel = Relation::new(RelationKind::Read(spark_plan::ReadSource::Table { name: source.clone() }));
            if let DataType::Struct(fields) = self.schema(&rel)? {
                columns = fields;
            }
            if let Some(src) = self.get_persistent_table(source)? {
                provider = provider.or(src.provider.clone());
                partition_by = src.partition_columns.clone();
            }
        }
        if let Some(q) = &t.query {
            if let DataType::Struct(fields) = self.schema(q)? {
                columns = fields;
            }
        }
        let provider = provider.unwrap_or_else(|| self.conf().get("spark.sql.sources.default").unwrap_or_else(|| "parquet".into())).to_ascii_lowercase();
        let location = t.location.as_ref().map(|l| std::path::absolute(local_path(l)).unwrap_or_else(|_| local_path(l)));
        let meta = self.table_meta(&db, &name, &provider, columns, &partition_by, location, t)?;
        match &t.query {
            Some(q) => self.create_with_rows(meta, q).await,
            None => {
                self.check_new_location(&meta)?;
                if let Some(l) = &meta.location {
                    std::fs::create_dir_all(local_path(l)).map_err(|e| EngineError::IllegalArgument(format!("cannot create {l}: {e}")))?;
                }
                self.catalog().create_table(&meta).map_err(catalog_error)?;
                Ok(CommandOutput::empty())
            }
        }
    }

    /// The metadata of a new table: columns with the partition columns last.
    #[allow(clippy::too_many_arguments)]
    fn table_meta(&self, db: &str, name: &str, provider: &str, columns: Vec<StructField>, partition_by: &[String], location: Option<PathBuf>, t: &CreateTable) -> EngineResult<TableMeta> {
        if WriteFormat::named(provider).is_none() {
            return Err(if crate::write::NOT_WRITABLE.contains(&provider) { unsupported(&format!("tables of the {provider} data source")) } else { crate::write::data_source_not_found(provider) });
        }
        let mut data: Vec<StructField> = Vec::new();
        let mut parts: Vec<StructField> = Vec::new();
        for p in partition_by {
            let Some(f) = columns.iter().find(|c| c.name.eq_ignore_ascii_case(p)) else {
                let cols = columns.iter().map(|c| quote(&[&c.name])).collect::<Vec<_>>().join(", ");
                return Err(EngineError::spark(ExceptionKind::Analysis, "COLUMN_NOT_DEFINED_IN_TABLE", "42703",
                    format!("partition column {} is not defined in table {}, defined table columns are: {cols}.", quote(&[p]), table_ident(db, name)),
                    &[("colType", "partition".into()), ("colName", quote(&[p])), ("tableName", table_ident(db, name)), ("tableCols", cols.clone())]));
            };
            parts.push(f.clone());
        }
        for c in columns {
            if !parts.iter().any(|p| p.name == c.name) {
                data.push(c);
            }
        }
        let partition_columns = parts.iter().map(|p| p.name.clone()).collect();
        data.extend(parts);
        let kind = if location.is_some() { TableKind::External } else { TableKind::Managed };
        let location = match location {
            Some(l) => l,
            None => self.managed_location(db, name)?,
        };
        Ok(TableMeta {
            database: db.to_lowercase(),
            name: name.to_lowercase(),
            kind,
            provider: Some(provider.to_string()),
            schema: DataType::Struct(data),
            partition_columns,
            location: Some(location.display().to_string()),
            options: t.options.clone(),
            comment: t.comment.clone(),
            properties: t.properties.clone(),
            view_text: None,
            created_at: std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0),
            bucketing: None,
        })
    }

    /// Spark refuses a managed table whose directory already holds files.
    fn check_new_location(&self, meta: &TableMeta) -> EngineResult<()> {
        let Some(l) = meta.location.as_deref().filter(|_| meta.kind == TableKind::Managed) else { return Ok(()) };
        let path = local_path(l);
        let occupied = std::fs::read_dir(&path).map(|mut d| d.next().is_some()).unwrap_or(false);
        if occupied {
            let ident = table_ident(&meta.database, &meta.name);
            return Err(EngineError::spark(ExceptionKind::Runtime, "LOCATION_ALREADY_EXISTS", "42710",
                format!("Cannot name the managed table as {ident}, as its associated location '{}' already exists. Please pick a different table name, or remove the existing location first.", qualified(&path)),
                &[("location", format!("'{}'", qualified(&path))), ("identifier", ident)]));
        }
        Ok(())
    }

    /// CTAS and `saveAsTable` of a new table: the rows are committed first,
    /// then the table is registered.
    async fn create_with_rows(&self, meta: TableMeta, input: &Relation) -> EngineResult<CommandOutput> {
        self.check_new_location(&meta)?;
        let location = meta.location.clone().map(PathBuf::from).unwrap_or_default();
        let ordered = self.table_columns_by_name(input, &meta)?;
        self.write_table_rows(&meta, ordered, &location, Replace::Everything).await?;
        self.catalog().create_table(&meta).map_err(catalog_error)?;
        Ok(CommandOutput::empty())
    }

    /// `input`'s columns in the table's order (partition columns last), by name.
    fn table_columns_by_name(&self, input: &Relation, meta: &TableMeta) -> EngineResult<Relation> {
        let exprs = meta.fields().iter().map(|f| Expr::Column { name: vec![f.name.clone()], plan_id: None }).collect();
        Ok(Relation::new(RelationKind::Project { input: Box::new(input.clone()), exprs }))
    }

    async fn write_table_rows(&self, meta: &TableMeta, rows: Relation, location: &Path, replace: Replace) -> EngineResult<()> {
        let provider = meta.provider.clone().unwrap_or_else(|| "parquet".into());
        let format = WriteFormat::named(&provider).ok_or_else(|| unsupported(&format!("writing the {provider} data source")))?;
        let w = WriteCommand {
            input: Box::new(rows),
            format: Some(provider),
            target: None,
            mode: SaveMode::Append,
            options: meta.options.clone(),
            partition_by: meta.partition_columns.clone(),
            bucket_by: meta.bucketing.as_ref().map(|b| spark_plan::Bucketing { buckets: b.buckets, columns: b.columns.clone() }),
            sort_by: meta.bucketing.as_ref().map(|b| b.sort_columns.clone()).unwrap_or_default(),
        };
        self.write_files(&w, format, location, replace).await?;
        self.refresh_cached_table(meta).await
    }

    /// Drops the temporary (or global temporary) view a name means, if any.
    fn drop_temporary_view(&self, name: &[String]) -> bool {
        match name {
            [n] => self.views.remove(n),
            [db, n] if db.eq_ignore_ascii_case("global_temp") => self.shared.global_views.remove(n),
            _ => false,
        }
    }

    pub(crate) fn drop_table(&self, name: &[String], if_exists: bool) -> EngineResult<CommandOutput> {
        // A temporary view of that name goes first, as in Spark.
        if self.drop_temporary_view(name) {
            return Ok(CommandOutput::empty());
        }
        let (db, table) = self.table_name(name)?;
        let Some(meta) = self.catalog().get_table(&db, &table).map_err(catalog_error)? else {
            if if_exists {
                return Ok(CommandOutput::empty());
            }
            return Err(ResolveError::table_not_found(&[SPARK_CATALOG.into(), db, table]).into());
        };
        self.catalog().drop_table(&db, &table).map_err(catalog_error)?;
        self.uncache_persistent_table(&meta);
        if meta.kind == TableKind::Managed {
            if let Some(l) = &meta.location {
                let _ = std::fs::remove_dir_all(local_path(l));
            }
        }
        Ok(CommandOutput::empty())
    }

    /// The table an INSERT or TRUNCATE names (a temporary view is refused).
    fn target_table(&self, name: &[String], operation: &str) -> EngineResult<TableMeta> {
        if let [n] = name {
            if self.views.get(n).is_some() {
                return Err(expect_table(operation, n));
            }
        }
        let meta = self.get_persistent_table(name)?.ok_or_else(|| EngineError::from(ResolveError::table_not_found(name)))?;
        if meta.kind == TableKind::View {
            return Err(expect_table(operation, &meta.name));
        }
        Ok(meta)
    }

    pub(crate) fn truncate_table(&self, name: &[String]) -> EngineResult<CommandOutput> {
        let meta = self.target_table(name, "TRUNCATE TABLE")?;
        let location = local_path(meta.location.as_deref().unwrap_or_default());
        let job = spark_datasource::write::StagedWrite::begin(&location).map_err(crate::write::source_error)?;
        job.commit(Replace::Everything).map_err(crate::write::source_error)?;
        self.uncache_persistent_table(&meta);
        Ok(CommandOutput::empty())
    }

    pub(crate) async fn insert_into(&self, i: &InsertInto) -> EngineResult<CommandOutput> {
        let meta = self.target_table(&i.table, "INSERT")?;
        let ident = table_ident(&meta.database, &meta.name);
        // Static partition values, checked against the table's partition columns.
        let mut statics: Vec<(String, Expr)> = Vec::new();
        for (column, value) in &i.partition {
            let Some(p) = meta.partition_columns.iter().find(|p| p.eq_ignore_ascii_case(column)) else {
                return Err(EngineError::spark(ExceptionKind::Analysis, "PARTITIONS_NOT_FOUND", "428FT",
                    format!("The partition(s) {} cannot be found in table {ident}.\nVerify the partition specification and table name.\nTo tolerate the error on drop use ALTER TABLE … DROP IF EXISTS PARTITION.", quote(&[column])),
                    &[("partitionList", quote(&[column])), ("tableName", ident.clone())]));
            };
            if let Some(v) = value {
                statics.push((p.clone(), v.clone()));
            }
        }
        let targets: Vec<&StructField> = meta.fields().iter().filter(|f| !statics.iter().any(|(p, _)| p == &f.name)).collect();
        let query_schema = match self.schema(&i.query)? {
            DataType::Struct(fields) => fields,
            _ => vec![],
        };
        // Which table column each query column fills.
        let order: Vec<&StructField> = if i.by_name || !i.columns.is_empty() {
            let names: Vec<String> = if i.by_name { query_schema.iter().map(|f| f.name.clone()).collect() } else { i.columns.clone() };
            let mut out = Vec::new();
            for n in &names {
                let f = targets.iter().find(|f| f.name.eq_ignore_ascii_case(n)).ok_or_else(|| {
                    let proposal = targets.iter().map(|f| quote(&[&f.name])).collect::<Vec<_>>().join(", ");
                    EngineError::spark(ExceptionKind::Analysis, "UNRESOLVED_COLUMN.WITH_SUGGESTION", "42703",
                        format!("A column, variable, or function parameter with name {} cannot be resolved. Did you mean one of the following? [{proposal}].", quote(&[n])),
                        &[("objectName", quote(&[n])), ("proposal", proposal.clone())])
                })?;
                out.push(*f);
            }
            out
        } else {
            targets.clone()
        };
        let names_of = |fields: &[&StructField]| fields.iter().map(|f| quote(&[&f.name])).collect::<Vec<_>>().join(", ");
        if query_schema.len() != order.len() {
            let (reason, class) = if query_schema.len() < order.len() { ("not enough data columns", "NOT_ENOUGH_DATA_COLUMNS") } else { ("too many data columns", "TOO_MANY_DATA_COLUMNS") };
            let data = query_schema.iter().map(|f| quote(&[&f.name])).collect::<Vec<_>>().join(", ");
            let table_cols = names_of(&order);
            return Err(EngineError::spark(ExceptionKind::Analysis, &format!("INSERT_COLUMN_ARITY_MISMATCH.{class}"), "21S01",
                format!("Cannot write to {ident}, the reason is {reason}:\nTable columns: {table_cols}.\nData columns: {data}."),
                &[("tableName", ident.clone()), ("tableColumns", table_cols.clone()), ("dataColumns", data)]));
        }
        for (q, t) in query_schema.iter().zip(&order) {
            if !can_store(&q.data_type, &t.data_type) {
                return Err(cannot_safely_cast(&ident, &t.name, &q.data_type, &t.data_type));
            }
        }
        // The query's columns renamed by position to the columns they fill
        // (the names an overflow reports), then cast into the table's order.
        let positional: Vec<String> = order.iter().map(|f| f.name.clone()).collect();
        let renamed = Relation::new(RelationKind::ToDf { input: i.query.clone(), names: positional.clone() });
        let mut exprs = Vec::with_capacity(meta.fields().len());
        for f in meta.fields() {
            let source = match order.iter().position(|o| o.name == f.name) {
                Some(k) => Expr::Column { name: vec![positional[k].clone()], plan_id: None },
                None => match statics.iter().find(|(p, _)| p == &f.name) {
                    Some((_, v)) => v.clone(),
                    None => column_default(f)?.unwrap_or(Expr::Literal(Literal::Null(f.data_type.clone()))),
                },
            };
            exprs.push(Expr::Cast { expr: Box::new(source), to: f.data_type.clone(), mode: CastMode::StoreAssignment, explicit: false }.alias(&f.name));
        }
        let rows = Relation::new(RelationKind::Project { input: Box::new(renamed), exprs });
        let dynamic = self.conf().get("spark.sql.sources.partitionOverwriteMode").is_some_and(|m| m.eq_ignore_ascii_case("dynamic"));
        if i.overwrite && !dynamic && self.reads_table(&i.query, &meta) {
            return Err(EngineError::spark(ExceptionKind::Analysis, "UNSUPPORTED_OVERWRITE.TABLE", "42902",
                format!("Can't overwrite the target that is also being read from. The target table is {ident}."), &[("table", ident.clone())]));
        }
        let replace = match (i.overwrite, meta.partition_columns.is_empty()) {
            (false, _) => Replace::Nothing,
            (true, true) => Replace::Everything,
            (true, false) if dynamic || !statics.is_empty() => Replace::WrittenPartitions,
            (true, false) => Replace::Everything,
        };
        let location = local_path(meta.location.as_deref().unwrap_or_default());
        self.write_table_rows(&meta, rows, &location, replace).await?;
        Ok(CommandOutput::empty())
    }

    /// Whether `query` reads the persistent table `meta` by name (Spark
    /// refuses to overwrite a table a query is reading).
    fn reads_table(&self, query: &Relation, meta: &TableMeta) -> bool {
        let mut stack = vec![query];
        while let Some(r) = stack.pop() {
            if let RelationKind::Read(spark_plan::ReadSource::Table { name }) = &r.kind {
                let temp_view = matches!(name.as_slice(), [n] if self.views.get(n).is_some());
                if !temp_view && self.table_name(name).is_ok_and(|(db, t)| db.eq_ignore_ascii_case(&meta.database) && t.eq_ignore_ascii_case(&meta.name)) {
                    return true;
                }
            }
            stack.extend(r.children());
        }
        false
    }

    /// `df.write.saveAsTable(name)`.
    pub(crate) async fn save_as_table(&self, w: &WriteCommand, name: &[String]) -> EngineResult<CommandOutput> {
        crate::write::check_sort_by(w)?;
        let (db, table) = self.table_name(name)?;
        if let [n] = name {
            if self.views.get(n).is_some() {
                return Err(table_exists(&db, &table));
            }
        }
        self.existing_database(&db)?;
        let existing = self.catalog().get_table(&db, &table).map_err(catalog_error)?;
        match (existing, w.mode) {
            (Some(_), SaveMode::ErrorIfExists) => Err(table_exists(&db, &table)),
            (Some(_), SaveMode::Ignore) => Ok(CommandOutput::empty()),
            (Some(meta), SaveMode::Append) => {
                let rows = self.table_columns_by_name(&w.input, &meta)?;
                let location = local_path(meta.location.as_deref().unwrap_or_default());
                self.write_table_rows(&meta, rows, &location, Replace::Nothing).await?;
                Ok(CommandOutput::empty())
            }
            (existing, _) => {
                // A new table, or an overwrite that replaces it (schema included).
                let provider = w.format.clone().unwrap_or_else(|| self.conf().get("spark.sql.sources.default").unwrap_or_else(|| "parquet".into())).to_ascii_lowercase();
                let columns = match self.schema(&w.input)? {
                    DataType::Struct(fields) => fields,
                    _ => vec![],
                };
                let mut options = w.options.clone();
                let path = options.iter().find(|(k, _)| k.eq_ignore_ascii_case("path")).map(|(k, v)| (k.clone(), v.clone()));
                if let Some((k, _)) = &path {
                    options.remove(k);
                }
                let spec = CreateTable {
                    name: name.to_vec(),
                    if_not_exists: false,
                    replace: false,
                            columns: vec![],
                    provider: None,
                    partition_by: w.partition_by.clone(),
                    location: None,
                    options,
                    comment: None,
                    properties: Default::default(),
                    query: None,
                    like: None,
                };
                let location = path.map(|(_, p)| std::path::absolute(local_path(&p)).unwrap_or_else(|_| local_path(&p)));
                let mut meta = self.table_meta(&db, &table, &provider, columns, &w.partition_by, location, &spec)?;
                meta.bucketing = w.bucket_by.as_ref().map(|b| spark_catalog::BucketSpec { buckets: b.buckets, columns: b.columns.clone(), sort_columns: w.sort_by.clone() });
                match existing {
                    None => self.create_with_rows(meta, &w.input).await,
                    Some(_) => {
                        let target = local_path(meta.location.as_deref().unwrap_or_default());
                        let rows = self.table_columns_by_name(&w.input, &meta)?;
                        self.write_table_rows(&meta, rows, &target, Replace::Everything).await?;
                        // The new definition replaces the old one in one change.
                        self.catalog().alter_table(&meta).map_err(catalog_error)?;
                        Ok(CommandOutput::empty())
                    }
                }
            }
        }
    }

    /// `df.writeTo(table)...`: a file table of `spark_catalog` can be
    /// created this way; Spark writes into such (v1) tables only through
    /// `df.write`/INSERT, and cannot replace them.
    pub(crate) async fn write_to(&self, w: &spark_plan::WriteToCommand) -> EngineResult<CommandOutput> {
        use spark_plan::WriteToMode as Mode;
        let (db, table) = self.table_name(&w.table)?;
        match w.mode {
            Mode::Replace | Mode::CreateOrReplace => return Err(table_operation_unsupported(&db, &table, "REPLACE TABLE AS SELECT")),
            Mode::Create => {}
            Mode::Append | Mode::Overwrite | Mode::OverwritePartitions => {
                let meta = self.target_table(&w.table, "INSERT")?;
                return Err(EngineError::spark(ExceptionKind::Analysis, "_LEGACY_ERROR_TEMP_1012", "",
                    format!("Cannot write into v1 table: {}.", table_ident(&meta.database, &meta.name)), &[("identifier", table_ident(&meta.database, &meta.name))]));
            }
        }
        self.existing_database(&db)?;
        if self.catalog().get_table(&db, &table).map_err(catalog_error)?.is_some() {
            return Err(table_exists(&db, &table));
        }
        let spec = CreateTable {
            name: w.table.clone(),
            if_not_exists: false,
            replace: false,
            columns: vec![],
            provider: w.provider.clone(),
            partition_by: w.partition_by.clone(),
            location: None,
            options: w.options.clone(),
            comment: None,
            properties: w.properties.clone(),
            query: Some(w.input.clone()),
            like: None,
        };
        self.create_table(&spec).await
    }

    /// `spark.catalog.createTable(name, path, source, schema, description,
    /// options)`: a table (external with a path; its schema read from the
    /// files when none is given), answered with its rows.
    pub(crate) async fn catalog_create_table(&self, c: &spark_plan::CatalogCommand) -> EngineResult<CommandOutput> {
        let spark_plan::CatalogCommand::CreateTable { name, path, source, description, schema, options } = c else {
            return Err(EngineError::IllegalArgument("not a createTable call".into()));
        };
        let parts = spark_sql_parser::parse_identifier_parts(name)?;
        let provider = source.clone().unwrap_or_else(|| self.conf().get("spark.sql.sources.default").unwrap_or_else(|| "parquet".into()));
        let mut options = options.clone();
        let path = path.clone().or_else(|| options.iter().find(|(k, _)| k.eq_ignore_ascii_case("path")).map(|(_, v)| v.clone()));
        options.retain(|k, _| !k.eq_ignore_ascii_case("path"));
        let columns = match (schema, &path) {
            (Some(DataType::Struct(fields)), _) => fields.clone(),
            (Some(_), _) => return Err(EngineError::IllegalArgument("createTable takes a struct schema".into())),
            (None, Some(p)) => {
                let read = Relation::new(RelationKind::Read(spark_plan::ReadSource::DataSource { format: Some(provider.clone()), schema: None, options: options.clone(), paths: vec![p.clone()] }));
                match self.schema(&read)? {
                    DataType::Struct(fields) => fields,
                    _ => vec![],
                }
            }
            (None, None) => {
                let title = match provider.to_ascii_lowercase().as_str() {
                    "parquet" => "Parquet".to_string(),
                    "json" => "JSON".to_string(),
                    "csv" => "CSV".to_string(),
                    other => other.to_string(),
                };
                return Err(EngineError::spark(ExceptionKind::Analysis, "UNABLE_TO_INFER_SCHEMA", "42KD9",
                    format!("Unable to infer schema for {title}. It must be specified manually."), &[("format", title.clone())]));
            }
        };
        let spec = CreateTable {
            name: parts.clone(),
            if_not_exists: false,
            replace: false,
            columns,
            provider: Some(provider),
            partition_by: vec![],
            location: path,
            options,
            comment: description.clone(),
            properties: Default::default(),
            query: None,
            like: None,
        };
        self.create_table(&spec).await?;
        let rel = Relation::new(RelationKind::Read(spark_plan::ReadSource::Table { name: parts }));
        let stream = self.execute(&rel).await?;
        let schema = stream.schema.clone();
        let batches = futures::TryStreamExt::try_collect(stream).await?;
        Ok(CommandOutput { schema, batches })
    }

    /// `CREATE [OR REPLACE] VIEW`: a persistent view, kept as its SQL text.
    pub(crate) fn create_persistent_view(&self, v: &spark_plan::CreatePersistentView) -> EngineResult<CommandOutput> {
        let (db, name) = self.table_name(&v.name)?;
        self.existing_database(&db)?;
        let ident = table_ident(&db, &name);
        // A persistent view cannot read temporary views (they end with the session).
        let mut stack: Vec<&Relation> = vec![&v.query];
        while let Some(r) = stack.pop() {
            if let RelationKind::Read(spark_plan::ReadSource::Table { name: read }) = &r.kind {
                if let [t] = read.as_slice() {
                    if self.views.get(t).is_some() {
                        let temp = quote(&[t]);
                        return Err(EngineError::spark(ExceptionKind::Analysis, "INVALID_TEMP_OBJ_REFERENCE", "42K0F",
                            format!("Cannot create the persistent object {ident} of the type VIEW because it references to the temporary object {temp} of the type VIEW. Please make the temporary object {temp} persistent, or make the persistent object {ident} temporary."),
                            &[("obj", "VIEW".into()), ("objName", ident.clone()), ("tempObj", "VIEW".into()), ("tempObjName", temp.clone())]));
                    }
                }
            }
            stack.extend(r.children());
        }
        let input = if v.column_names.is_empty() {
            v.query.as_ref().clone()
        } else {
            Relation::new(RelationKind::ToDf { input: v.query.clone(), names: v.column_names.clone() })
        };
        let columns = match self.schema(&input)? {
            DataType::Struct(fields) => fields,
            _ => vec![],
        };
        match self.catalog().get_table(&db, &name).map_err(catalog_error)? {
            Some(existing) if existing.kind != TableKind::View && v.replace => {
                return Err(EngineError::spark(ExceptionKind::Analysis, "EXPECT_VIEW_NOT_TABLE.NO_ALTERNATIVE", "42809",
                    format!("The table {ident} does not support CREATE OR REPLACE VIEW. "), &[("tableName", ident.clone()), ("operation", "CREATE OR REPLACE VIEW".into())]));
            }
            Some(_) if v.if_not_exists => return Ok(CommandOutput::empty()),
            Some(_) if v.replace => self.catalog().drop_table(&db, &name).map_err(catalog_error)?,
            Some(_) => return Err(table_exists(&db, &name)),
            None => {}
        }
        let meta = TableMeta {
            database: db.to_lowercase(),
            name: name.to_lowercase(),
            kind: TableKind::View,
            provider: None,
            schema: DataType::Struct(columns),
            partition_columns: vec![],
            location: None,
            options: Default::default(),
            comment: v.comment.clone(),
            properties: Default::default(),
            view_text: Some(v.sql.clone()),
            created_at: std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0),
            bucketing: None,
        };
        self.catalog().create_table(&meta).map_err(catalog_error)?;
        Ok(CommandOutput::empty())
    }

    /// `DROP VIEW`: a temporary view, else a persistent one (a table is refused).
    pub(crate) fn drop_view_command(&self, name: &[String], if_exists: bool) -> EngineResult<CommandOutput> {
        if self.drop_temporary_view(name) {
            return Ok(CommandOutput::empty());
        }
        let (db, view) = self.table_name(name)?;
        match self.catalog().get_table(&db, &view).map_err(catalog_error)? {
            Some(meta) if meta.kind == TableKind::View => {
                self.catalog().drop_table(&db, &view).map_err(catalog_error)?;
                Ok(CommandOutput::empty())
            }
            Some(meta) => Err(EngineError::spark(ExceptionKind::Analysis, "WRONG_COMMAND_FOR_OBJECT_TYPE", "42809",
                format!("The operation DROP VIEW requires a VIEW or METRIC_VIEW. But {SPARK_CATALOG}.{}.{} is a {}. Use DROP TABLE instead.", meta.database, meta.name, meta.kind.spark_name()),
                &[("operation", "DROP VIEW".into()), ("requiredType", "VIEW or METRIC_VIEW".into()), ("objectName", format!("{SPARK_CATALOG}.{}.{}", meta.database, meta.name)), ("foundType", meta.kind.spark_name().into()), ("alternative", "DROP TABLE".into())])),
            None if if_exists => Ok(CommandOutput::empty()),
            None => Err(ResolveError::table_not_found(&[SPARK_CATALOG.into(), db, view]).into()),
        }
    }

    /// `df.write.insertInto(name)`: by position, overwriting with mode overwrite.
    pub(crate) async fn insert_into_table(&self, w: &WriteCommand, name: &[String]) -> EngineResult<CommandOutput> {
        if !w.partition_by.is_empty() {
            let table = name.last().cloned().unwrap_or_default();
            return Err(EngineError::spark(ExceptionKind::Analysis, "PARTITION_BY_NOT_ALLOWED_WITH_INSERT_INTO", "42601",
                format!("partitionBy() cannot be used with insertInto(). Partition columns for table {table} are determined by the table definition."), &[("tableName", table)]));
        }
        let insert = InsertInto { table: name.to_vec(), query: w.input.clone(), overwrite: w.mode == SaveMode::Overwrite, partition: vec![], columns: vec![], by_name: false };
        self.insert_into(&insert).await
    }
}

impl SparkSession {
    pub(crate) fn show_partitions(&self, name: &[String]) -> EngineResult<CommandOutput> {
        let meta = self.target_table(name, "SHOW PARTITIONS")?;
        if meta.partition_columns.is_empty() {
            let ident = table_ident(&meta.database, &meta.name);
            return Err(EngineError::spark(ExceptionKind::Analysis, "INVALID_PARTITION_OPERATION.PARTITION_SCHEMA_IS_EMPTY", "42601",
                format!("The partition command is invalid. Table {ident} is not partitioned."), &[("name", ident)]));
        }
        let root = local_path(meta.location.as_deref().unwrap_or_default());
        let mut found = Vec::new();
        let mut stack = vec![(root, Vec::<String>::new())];
        while let Some((dir, parts)) = stack.pop() {
            if parts.len() == meta.partition_columns.len() {
                found.push(parts.join("/"));
                continue;
            }
            let Ok(entries) = std::fs::read_dir(&dir) else { continue };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().to_string();
                if entry.path().is_dir() && !name.starts_with('_') && !name.starts_with('.') && name.contains('=') {
                    let mut next = parts.clone();
                    next.push(name);
                    stack.push((entry.path(), next));
                }
            }
        }
        found.sort();
        crate::command::string_table(&["partition"], found.into_iter().map(|p| vec![p]).collect())
    }

    pub(crate) fn describe_database(&self, name: &[String], extended: bool) -> EngineResult<CommandOutput> {
        let db = Self::database_name(name)?;
        let meta = self.existing_database(&db)?;
        let owner = std::env::var("USER").unwrap_or_else(|_| "root".into());
        let mut rows = vec![
            ("Catalog Name", SPARK_CATALOG.to_string()),
            ("Namespace Name", meta.name.clone()),
            ("Comment", meta.comment.clone().unwrap_or_default()),
            ("Location", meta.location.clone()),
            ("Owner", owner),
        ];
        if extended {
            // Spark prints the properties as `((k,v), (k2,v2))`, sorted by key.
            let shown: Vec<String> = meta.properties.iter().map(|(k, v)| format!("({k},{v})")).collect();
            rows.push(("Properties", if shown.is_empty() { String::new() } else { format!("({})", shown.join(", ")) }));
        }
        let schema = std::sync::Arc::new(datafusion::arrow::datatypes::Schema::new(vec![
            datafusion::arrow::datatypes::Field::new("info_name", datafusion::arrow::datatypes::DataType::Utf8, false),
            datafusion::arrow::datatypes::Field::new("info_value", datafusion::arrow::datatypes::DataType::Utf8, true),
        ]));
        let batch = datafusion::arrow::array::RecordBatch::try_new(schema.clone(), vec![
            std::sync::Arc::new(datafusion::arrow::array::StringArray::from(rows.iter().map(|r| r.0).collect::<Vec<_>>())),
            std::sync::Arc::new(datafusion::arrow::array::StringArray::from(rows.iter().map(|r| Some(r.1.clone())).collect::<Vec<_>>())),
        ])?;
        Ok(CommandOutput { schema, batches: vec![batch] })
    }

    /// `ALTER DATABASE d SET DBPROPERTIES (...)`, `COMMENT ON DATABASE d IS ...`.
    pub(crate) fn alter_database(&self, name: &[String], action: &spark_plan::AlterDatabaseAction) -> EngineResult<CommandOutput> {
        let db = Self::database_name(name)?;
        let mut meta = self.existing_database(&db)?;
        match action {
            spark_plan::AlterDatabaseAction::SetComment(c) => meta.comment = Some(c.clone()),
            spark_plan::AlterDatabaseAction::SetProperties(p) => meta.properties.extend(p.clone()),
        }
        self.catalog().alter_database(&meta).map_err(catalog_error)?;
        Ok(CommandOutput::empty())
    }

    /// `DELETE` / `UPDATE` / `MERGE`: file tables support none of them.
    pub(crate) fn row_level_change(&self, table: &[String], operation: spark_plan::RowLevelOperation) -> EngineResult<CommandOutput> {
        use spark_plan::RowLevelOperation as Op;
        let operation_name = match operation {
            Op::Delete => "DELETE",
            Op::Update => "UPDATE TABLE",
            Op::Merge => "MERGE INTO TABLE",
        };
        let meta = self.target_table(table, operation_name)?;
        let error = table_operation_unsupported(&meta.database, &meta.name, operation_name);
        Err(match (operation, error) {
            (Op::Update | Op::Merge, EngineError::Spark { error_class, sql_state, message, params, .. }) => {
                EngineError::Spark { kind: ExceptionKind::UnsupportedOperation, error_class, sql_state, message, params }
            }
            (_, e) => e,
        })
    }

    /// `DESCRIBE TABLE` rows after the columns: a partitioned table's
    /// `# Partition Information` section, and `# Column Default Values`.
    pub(crate) fn partition_information(&self, name: &[String]) -> EngineResult<Vec<(String, String, Option<String>)>> {
        if let [n] = name {
            if self.views.get(n).is_some() {
                return Ok(vec![]);
            }
        }
        let Some(meta) = self.get_persistent_table(name).ok().flatten() else { return Ok(vec![]) };
        let mut rows = Vec::new();
        if !meta.partition_columns.is_empty() {
            rows.push(("# Partition Information".to_string(), String::new(), Some(String::new())));
            rows.push(("# col_name".to_string(), "data_type".to_string(), Some("comment".to_string())));
            for p in &meta.partition_columns {
                if let Some(f) = meta.fields().iter().find(|f| &f.name == p) {
                    rows.push((f.name.clone(), f.data_type.simple_string(), None));
                }
            }
        }
        let defaults: Vec<(String, String, Option<String>)> = meta
            .fields()
            .iter()
            .filter_map(|f| Some((f.name.clone(), f.data_type.simple_string(), Some(default_text(f)?))))
            .collect();
        if !defaults.is_empty() {
            rows.push((String::new(), String::new(), Some(String::new())));
            rows.push(("# Column Default Values".to_string(), String::new(), Some(String::new())));
            rows.extend(defaults);
        }
        Ok(rows)
    }
}

use spark_plan::relation::cached_table_view;

impl SparkSession {
    pub(crate) async fn alter_table(&self, name: &[String], action: &spark_plan::AlterTableAction) -> EngineResult<CommandOutput> {
        use spark_plan::AlterTableAction as A;
        let mut meta = self.target_table(name, "ALTER TABLE")?;
        let ident = table_ident(&meta.database, &meta.name);
        match action {
            A::RenameTo(to) => {
                let (db, new_name) = match to.as_slice() {
                    [n] => (meta.database.clone(), n.clone()),
                    _ => self.table_name(to)?,
                };
                if self.catalog().get_table(&db, &new_name).map_err(catalog_error)?.is_some() {
                    return Err(table_exists(&db, &new_name));
                }
                let old = meta.clone();
                meta.database = db.to_lowercase();
                meta.name = new_name.to_lowercase();
                if meta.kind == TableKind::Managed {
                    let from = local_path(old.location.as_deref().unwrap_or_default());
                    let to_dir = self.managed_location(&meta.database, &meta.name)?;
                    if from.exists() {
                        std::fs::rename(&from, &to_dir).map_err(|e| EngineError::IllegalArgument(format!("cannot move {} to {}: {e}", from.display(), to_dir.display())))?;
                    }
                    meta.location = Some(to_dir.display().to_string());
                }
                self.catalog().rename_table(&old.database, &old.name, &meta).map_err(catalog_error)?;
                self.views.remove(&cached_table_view(&old.database, &old.name));
                return Ok(CommandOutput::empty());
            }
            A::AddColumns(columns) => {
                // Rows written before would have to read the default (Spark's
                // EXISTS_DEFAULT), which this server's file scans cannot do.
                if let Some(c) = columns.iter().find(|c| default_text(c).is_some()) {
                    return Err(EngineError::Resolve(spark_resolver::ResolveError::unsupported(format!(
                        "ALTER TABLE ADD COLUMNS with a DEFAULT value (column {}); add the column without one",
                        quote(&[&c.name])
                    ))));
                }
                let mut fields = meta.fields().to_vec();
                for c in columns {
                    if fields.iter().any(|f| f.name.eq_ignore_ascii_case(&c.name)) {
                        let quoted = quote(&[&c.name.to_lowercase()]);
                        return Err(EngineError::spark(ExceptionKind::Analysis, "COLUMN_ALREADY_EXISTS", "42711",
                            format!("The column {quoted} already exists. Choose another name or rename the existing column."), &[("columnName", quoted)]));
                    }
                    // New data columns go before the partition columns.
                    let at = fields.iter().position(|f| meta.partition_columns.contains(&f.name)).unwrap_or(fields.len());
                    let mut c = c.clone();
                    c.nullable = true;
                    fields.insert(at, c);
                }
                meta.schema = DataType::Struct(fields);
            }
            A::SetProperties(p) => meta.properties.extend(p.clone()),
            A::SetComment(c) => meta.comment = Some(c.clone()),
            A::DropColumns { columns, if_exists } => {
                // Unknown columns are named first; the drop itself is one file
                // tables refuse, as Spark's v1 tables do.
                for column in columns {
                    let target = column.last().cloned().unwrap_or_default();
                    if !*if_exists && !meta.fields().iter().any(|f| f.name.eq_ignore_ascii_case(&target)) {
                        let shown = quote(&[&target]);
                        let proposal = meta.fields().iter().take(5).map(|f| quote(&[&f.name])).collect::<Vec<_>>().join(", ");
                        return Err(ResolveError::analysis("UNRESOLVED_COLUMN.WITH_SUGGESTION", "42703",
                            format!("A column, variable, or function parameter with name {shown} cannot be resolved. Did you mean one of the following? [{proposal}]."),
                            &[("objectName", shown), ("proposal", format!("[{proposal}]"))]).into());
                    }
                }
                return Err(table_operation_unsupported(&meta.database, &meta.name, "DROP COLUMN"));
            }
            A::UnsetProperties { keys, .. } => {
                for k in keys {
                    meta.properties.remove(k);
                }
            }
            A::CommentColumn { column, comment } => {
                let mut fields = meta.fields().to_vec();
                let target = column.last().cloned().unwrap_or_default();
                let Some(f) = fields.iter_mut().find(|f| f.name.eq_ignore_ascii_case(&target)) else {
                    return Err(ResolveError::analysis("UNRESOLVED_COLUMN.WITHOUT_SUGGESTION", "42703",
                        format!("A column, variable, or function parameter with name {} cannot be resolved.", quote(&[&target])), &[("objectName", quote(&[&target]))]).into());
                };
                f.metadata = Some(serde_json::json!({ "comment": comment }).to_string());
                meta.schema = DataType::Struct(fields);
            }
            A::RenameColumn { .. } => return Err(table_operation_unsupported(&meta.database, &meta.name, "RENAME COLUMN")),
            A::AddPartitions { partitions, if_not_exists } => {
                for spec in partitions {
                    let (dir, shown) = self.partition_dir(&meta, spec).await?;
                    if dir.exists() {
                        if *if_not_exists {
                            continue;
                        }
                        return Err(EngineError::spark(ExceptionKind::Analysis, "PARTITIONS_ALREADY_EXIST", "428FT",
                            format!("The partition(s) {shown} cannot be ADD because they already exist in table {ident}.\nChoose a different name, drop the existing partition, or add the IF NOT EXISTS clause to tolerate a pre-existing partition."),
                            &[("partitionList", shown.clone()), ("tableName", ident.clone())]));
                    }
                    std::fs::create_dir_all(&dir).map_err(|e| EngineError::IllegalArgument(format!("cannot create {}: {e}", dir.display())))?;
                }
                return Ok(CommandOutput::empty());
            }
            A::DropPartitions { partitions, if_exists } => {
                let mut dirs = Vec::new();
                for spec in partitions {
                    let (dir, shown) = self.partition_dir(&meta, spec).await?;
                    if !dir.exists() && !*if_exists {
                        return Err(EngineError::spark(ExceptionKind::Analysis, "PARTITIONS_NOT_FOUND", "428FT",
                            format!("The partition(s) {shown} cannot be found in table {ident}.\nVerify the partition specification and table name.\nTo tolerate the error on drop use ALTER TABLE … DROP IF EXISTS PARTITION."),
                            &[("partitionList", shown.clone()), ("tableName", ident.clone())]));
                    }
                    dirs.push(dir);
                }
                for dir in dirs {
                    let _ = std::fs::remove_dir_all(dir);
                }
                self.refresh_cached_table(&meta).await?;
                return Ok(CommandOutput::empty());
            }
        }
        self.catalog().alter_table(&meta).map_err(catalog_error)?;
        Ok(CommandOutput::empty())
    }

    /// A PARTITION spec's values as the strings of its directory names
    /// (each value `CAST(... AS STRING)`, evaluated once).
    async fn partition_values(&self, spec: &[(String, Expr)]) -> EngineResult<Vec<(String, Option<String>)>> {
        let exprs = spec
            .iter()
            .map(|(c, v)| Expr::Cast { expr: Box::new(v.clone()), to: DataType::String, mode: CastMode::Default, explicit: true }.alias(c))
            .collect();
        let rel = Relation::new(RelationKind::Project { input: Box::new(Relation::new(RelationKind::OneRow)), exprs });
        let (_, batches) = self.collect(&rel).await?;
        let mut out = Vec::with_capacity(spec.len());
        for (i, (c, _)) in spec.iter().enumerate() {
            let value = batches.iter().find(|b| b.num_rows() > 0).and_then(|b| {
                let col = b.column(i);
                use datafusion::arrow::array::{Array, AsArray};
                col.as_string_opt::<i32>().filter(|s| !s.is_null(0)).map(|s| s.value(0).to_string())
            });
            out.push((c.clone(), value));
        }
        Ok(out)
    }

    /// The directory of one partition (`p=v/q=w`) of a table.
    async fn partition_dir(&self, meta: &TableMeta, spec: &[(String, Expr)]) -> EngineResult<(PathBuf, String)> {
        let values = self.partition_values(spec).await?;
        let mut dir = local_path(meta.location.as_deref().unwrap_or_default());
        for p in &meta.partition_columns {
            let Some((_, value)) = values.iter().find(|(c, _)| c.eq_ignore_ascii_case(p)) else {
                let ident = table_ident(&meta.database, &meta.name);
                return Err(EngineError::spark(ExceptionKind::Analysis, "PARTITIONS_NOT_FOUND", "428FT",
                    format!("The partition(s) {} cannot be found in table {ident}.", quote(&[p])), &[("partitionList", quote(&[p])), ("tableName", ident.clone())]));
            };
            dir = dir.join(spark_datasource::write::partition_path::segment(p, value.as_deref()));
        }
        let text = values.iter().map(|(c, v)| format!("{} = {}", quote(&[c]), v.as_deref().unwrap_or("NULL"))).collect::<Vec<_>>().join(", ");
        Ok((dir, format!("PARTITION ({text})")))
    }

    pub(crate) fn show_table_properties(&self, name: &[String], key: Option<&str>) -> EngineResult<CommandOutput> {
        let meta = self.target_table(name, "SHOW TBLPROPERTIES")?;
        let rows: Vec<Vec<String>> = match key {
            Some(k) => vec![vec![
                k.to_string(),
                meta.properties.get(k).cloned().unwrap_or_else(|| format!("Table {} does not have property: {k}", table_ident(&meta.database, &meta.name))),
            ]],
            None => meta.properties.iter().map(|(k, v)| vec![k.clone(), v.clone()]).collect(),
        };
        crate::command::string_table(&["key", "value"], rows)
    }

    /// `REFRESH TABLE` / `MSCK REPAIR TABLE` / `ANALYZE TABLE`: the table
    /// (or view) must exist; files and partitions are listed at each read,
    /// so only a cached table is read again.
    pub(crate) async fn table_maintenance(&self, name: &[String], operation: spark_plan::TableMaintenance) -> EngineResult<CommandOutput> {
        if let [n] = name {
            if self.views.get(n).is_some() {
                return Ok(CommandOutput::empty());
            }
        }
        let meta = self.get_persistent_table(name)?.ok_or_else(|| EngineError::from(ResolveError::table_not_found(name)))?;
        if operation == spark_plan::TableMaintenance::Refresh {
            self.refresh_cached_table(&meta).await?;
        }
        Ok(CommandOutput::empty())
    }

    /// `SHOW CREATE TABLE`: the statement that makes the table or view, as
    /// Spark prints it.
    pub(crate) fn show_create_table(&self, name: &[String]) -> EngineResult<CommandOutput> {
        let meta = self.get_persistent_table(name)?.ok_or_else(|| EngineError::from(ResolveError::table_not_found(name)))?;
        let props = |m: &std::collections::BTreeMap<String, String>| {
            m.iter().map(|(k, v)| format!("  '{k}' = '{v}'")).collect::<Vec<_>>().join(",\n")
        };
        let mut out = String::new();
        if meta.kind == TableKind::View {
            let columns = meta.fields().iter().map(|f| format!("  {}", f.name)).collect::<Vec<_>>().join(",\n");
            out.push_str(&format!("CREATE VIEW {}.{} (\n{columns})\n", meta.database, meta.name));
            if let Some(c) = &meta.comment {
                out.push_str(&format!("COMMENT '{c}'\n"));
            }
            out.push_str(&format!("WITH SCHEMA COMPENSATION\nAS {}\n", meta.view_text.clone().unwrap_or_default()));
        } else {
            let columns = meta
                .fields()
                .iter()
                .map(|f| {
                    let mut line = format!("  {} {}", f.name, f.data_type.sql());
                    if matches!(f.data_type, DataType::String) {
                        line.push_str(" COLLATE UTF8_BINARY");
                    }
                    if let Some(c) = f.metadata.as_deref().and_then(|m| serde_json::from_str::<serde_json::Value>(m).ok()).and_then(|m| m.get("comment").and_then(|c| c.as_str()).map(str::to_string)) {
                        line.push_str(&format!(" COMMENT '{c}'"));
                    }
                    line
                })
                .collect::<Vec<_>>()
                .join(",\n");
            out.push_str(&format!("CREATE TABLE {SPARK_CATALOG}.{}.{} (\n{columns})\n", meta.database, meta.name));
            out.push_str(&format!("USING {}\n", meta.provider.clone().unwrap_or_else(|| "parquet".into())));
            if !meta.options.is_empty() {
                out.push_str(&format!("OPTIONS (\n{})\n", props(&meta.options)));
            }
            if !meta.partition_columns.is_empty() {
                out.push_str(&format!("PARTITIONED BY ({})\n", meta.partition_columns.join(", ")));
            }
            if let Some(b) = &meta.bucketing {
                out.push_str(&format!("CLUSTERED BY ({})\n", b.columns.join(", ")));
                if !b.sort_columns.is_empty() {
                    out.push_str(&format!("SORTED BY ({})\n", b.sort_columns.join(", ")));
                }
                out.push_str(&format!("INTO {} BUCKETS\n", b.buckets));
            }
            if meta.kind == TableKind::External {
                if let Some(l) = &meta.location {
                    out.push_str(&format!("LOCATION '{}'\n", qualified(&local_path(l))));
                }
            }
            if let Some(c) = &meta.comment {
                out.push_str(&format!("COMMENT '{c}'\n"));
            }
            if !meta.properties.is_empty() {
                out.push_str(&format!("TBLPROPERTIES (\n{})\n", props(&meta.properties)));
            }
        }
        crate::command::string_table(&["createtab_stmt"], vec![vec![out]])
    }

    /// `DESCRIBE TABLE EXTENDED` rows of a persistent table.
    pub(crate) fn table_details(&self, name: &[String]) -> EngineResult<Vec<(String, String, Option<String>)>> {
        if let [n] = name {
            if self.views.get(n).is_some() {
                return Ok(vec![]);
            }
        }
        let Some(meta) = self.get_persistent_table(name)? else { return Ok(vec![]) };
        let row = |k: &str, v: String| (k.to_string(), v, Some(String::new()));
        let created = chrono::DateTime::from_timestamp_millis(meta.created_at).map(|t| t.format("%a %b %d %H:%M:%S UTC %Y").to_string()).unwrap_or_default();
        let mut rows = vec![
            (String::new(), String::new(), Some(String::new())),
            row("# Detailed Table Information", String::new()),
            row("Catalog", SPARK_CATALOG.into()),
            row("Database", meta.database.clone()),
            row("Table", meta.name.clone()),
            row("Created Time", created),
            row("Last Access", "UNKNOWN".into()),
            row("Created By", "Spark 4.3.0".into()),
            row("Type", meta.kind.spark_name().into()),
        ];
        if let Some(p) = &meta.provider {
            rows.push(row("Provider", p.clone()));
        }
        if let Some(c) = &meta.comment {
            rows.push(row("Comment", c.clone()));
        }
        if let Some(b) = &meta.bucketing {
            rows.push(row("Num Buckets", b.buckets.to_string()));
            rows.push(row("Bucket Columns", format!("[{}]", b.columns.iter().map(|c| quote(&[c])).collect::<Vec<_>>().join(", "))));
            rows.push(row("Sort Columns", format!("[{}]", b.sort_columns.iter().map(|c| quote(&[c])).collect::<Vec<_>>().join(", "))));
        }
        if let Some(text) = &meta.view_text {
            rows.push(row("View Text", text.clone()));
        }
        if !meta.properties.is_empty() {
            rows.push(row("Table Properties", format!("[{}]", meta.properties.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", "))));
        }
        if let Some(l) = &meta.location {
            rows.push(row("Location", qualified(&local_path(l))));
        }
        if !meta.options.is_empty() {
            rows.push(row("Storage Properties", format!("[{}]", meta.options.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", "))));
        }
        if !meta.partition_columns.is_empty() {
            rows.push(row("Partition Provider", "Catalog".into()));
        }
        Ok(rows)
    }

    /// `CACHE TABLE t` of a persistent table: its rows, kept for this session.
    pub(crate) async fn cache_persistent_table(&self, meta: &TableMeta) -> EngineResult<()> {
        let rel = Relation::new(RelationKind::Read(spark_plan::ReadSource::Table { name: vec![SPARK_CATALOG.into(), meta.database.clone(), meta.name.clone()] }));
        let view = cached_table_view(&meta.database, &meta.name);
        self.views.remove(&view);
        let r = self.resolve(&rel)?;
        let df = self.ctx.execute_logical_plan(r.plan.clone()).await?;
        let batches = df.collect().await?;
        let relation = spark_resolver::materialized(&r, batches)?;
        self.views.put(spark_resolver::TempView { name: view, relation }, true);
        Ok(())
    }

    pub(crate) fn is_table_cached(&self, meta: &TableMeta) -> bool {
        self.views.get(&cached_table_view(&meta.database, &meta.name)).is_some()
    }

    pub(crate) fn uncache_persistent_table(&self, meta: &TableMeta) -> bool {
        self.views.remove(&cached_table_view(&meta.database, &meta.name))
    }

    /// After a write, a cached table is cached again with its new rows (as Spark refreshes it).
    pub(crate) async fn refresh_cached_table(&self, meta: &TableMeta) -> EngineResult<()> {
        if self.is_table_cached(meta) {
            self.cache_persistent_table(meta).await?;
        }
        Ok(())
    }
}

fn cannot_safely_cast(ident: &str, column: &str, from: &DataType, to: &DataType) -> EngineError {
    EngineError::spark(ExceptionKind::Analysis, "INCOMPATIBLE_DATA_FOR_TABLE.CANNOT_SAFELY_CAST", "KD000",
        format!("Cannot write incompatible data for the table {ident}: Cannot safely cast {} \"{}\" to \"{}\".", quote(&[column]), from.sql(), to.sql()),
        &[("tableName", ident.to_string()), ("colName", quote(&[column])), ("srcType", format!("\"{}\"", from.sql())), ("targetType", format!("\"{}\"", to.sql()))])
}

/// Start-up recovery: finishes or discards the writes a crash left in
/// every table's directory (see `spark_datasource::write::commit`).
pub(crate) fn recover_tables(catalog: &dyn spark_catalog::Catalog) {
    let Ok(databases) = catalog.list_databases() else { return };
    for db in databases {
        for t in catalog.list_tables(&db.name).unwrap_or_default() {
            if let Some(l) = &t.location {
                if let Err(e) = spark_datasource::write::recover(&local_path(l), true) {
                    tracing::warn!("recovering table {}.{}: {e}", t.database, t.name);
                }
            }
        }
    }
}

/// A database named by a catalog call or `SHOW TABLES IN`: `db`, or
/// `spark_catalog.db`.
pub(crate) fn database_arg(name: &str) -> String {
    match spark_sql_parser::parse_identifier_parts(name).ok().as_deref() {
        Some([c, db]) if c.eq_ignore_ascii_case(SPARK_CATALOG) => db.clone(),
        Some([db]) => db.clone(),
        _ => name.to_string(),
    }
}

/// A column's `DEFAULT` as written (Spark's `CURRENT_DEFAULT` metadata).
fn default_text(f: &StructField) -> Option<String> {
    let serde_json::Value::Object(m) = serde_json::from_str::<serde_json::Value>(f.metadata.as_deref()?).ok()? else {
        return None;
    };
    m.get("CURRENT_DEFAULT")?.as_str().map(str::to_string)
}

/// A column's `DEFAULT`, parsed.
fn column_default(f: &StructField) -> EngineResult<Option<Expr>> {
    match default_text(f) {
        Some(text) => Ok(Some(spark_sql_parser::parse_expression(&text)?)),
        None => Ok(None),
    }
}
