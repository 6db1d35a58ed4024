//! `Catalog` relations (`spark.catalog.*`) → catalog commands.

use spark_plan::{CatalogCommand as C, CatalogName, Command};

use super::Required;
use crate::error::ServerResult;
use crate::proto::sc;
use sc::catalog::CatType;

fn name(name: &str, database: &Option<String>) -> CatalogName {
    CatalogName { name: name.to_string(), database: database.clone() }
}

pub fn convert_catalog(c: &sc::Catalog) -> ServerResult<Command> {
    let op = match c.cat_type.as_ref().required("Catalog.cat_type")? {
        CatType::CurrentCatalog(_) => C::CurrentCatalog,
        CatType::SetCurrentCatalog(s) => C::SetCurrentCatalog(s.catalog_name.clone()),
        CatType::ListCatalogs(l) => C::ListCatalogs { pattern: l.pattern.clone() },
        CatType::CurrentDatabase(_) => C::CurrentDatabase,
        CatType::SetCurrentDatabase(s) => C::SetCurrentDatabase(s.db_name.clone()),
        CatType::ListDatabases(l) => C::ListDatabases { pattern: l.pattern.clone() },
        CatType::GetDatabase(g) => C::GetDatabase(g.db_name.clone()),
        CatType::DatabaseExists(d) => C::DatabaseExists(d.db_name.clone()),
        CatType::ListTables(l) => C::ListTables { database: l.db_name.clone(), pattern: l.pattern.clone() },
        CatType::ListViews(l) => C::ListTables { database: l.db_name.clone(), pattern: l.pattern.clone() },
        CatType::GetTable(g) => C::GetTable(name(&g.table_name, &g.db_name)),
        CatType::TableExists(t) => C::TableExists(name(&t.table_name, &t.db_name)),
        CatType::ListColumns(l) => C::ListColumns(name(&l.table_name, &l.db_name)),
        CatType::ListFunctions(l) => C::ListFunctions { database: l.db_name.clone(), pattern: l.pattern.clone() },
        CatType::GetFunction(g) => C::GetFunction(name(&g.function_name, &g.db_name)),
        CatType::FunctionExists(f) => C::FunctionExists(name(&f.function_name, &f.db_name)),
        CatType::DropTempView(d) => C::DropTempView(d.view_name.clone()),
        CatType::DropGlobalTempView(d) => C::DropGlobalTempView(d.view_name.clone()),
        CatType::IsCached(i) => C::IsCached(i.table_name.clone()),
        CatType::CacheTable(t) => C::CacheTable(t.table_name.clone()),
        CatType::UncacheTable(t) => C::UncacheTable(t.table_name.clone()),
        CatType::ClearCache(_) => C::ClearCache,
        CatType::RefreshTable(t) => C::RefreshTable(t.table_name.clone()),
        CatType::RefreshByPath(p) => C::RefreshByPath(p.path.clone()),
        CatType::RecoverPartitions(r) => C::RecoverPartitions(r.table_name.clone()),
        CatType::DropView(d) => C::DropView { name: parse_name(&d.view_name)?, if_exists: d.if_exists },
        CatType::DropTable(d) => return Ok(Command::DropTable { name: parse_name(&d.table_name)?, if_exists: d.if_exists }),
        CatType::CreateTable(t) => C::CreateTable {
            name: t.table_name.clone(),
            path: t.path.clone(),
            source: t.source.clone(),
            description: t.description.clone(),
            schema: t.schema.as_ref().map(super::data_type::proto_to_type).transpose()?,
            options: t.options.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        },
        CatType::CreateExternalTable(t) => C::CreateTable {
            name: t.table_name.clone(),
            path: t.path.clone(),
            source: t.source.clone(),
            description: None,
            schema: t.schema.as_ref().map(super::data_type::proto_to_type).transpose()?,
            options: t.options.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        },
        CatType::CreateDatabase(d) => {
            return Ok(Command::CreateDatabase(spark_plan::CreateDatabase {
                name: parse_name(&d.db_name)?,
                if_not_exists: d.if_not_exists,
                comment: None,
                location: None,
                properties: d.properties.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            }));
        }
        CatType::DropDatabase(d) => return Ok(Command::DropDatabase { name: parse_name(&d.db_name)?, if_exists: d.if_exists, cascade: d.cascade }),
        CatType::ListPartitions(l) => return Ok(Command::ShowPartitions { name: parse_name(&l.table_name)? }),
        CatType::GetTableProperties(g) => return Ok(Command::ShowTableProperties { name: parse_name(&g.table_name)?, key: None }),
        CatType::GetCreateTableString(g) => return Ok(Command::ShowCreateTable { name: parse_name(&g.table_name)? }),
        CatType::TruncateTable(t) => return Ok(Command::TruncateTable { name: parse_name(&t.table_name)? }),
        CatType::AnalyzeTable(a) => {
            return Ok(Command::TableMaintenance { table: parse_name(&a.table_name)?, operation: spark_plan::TableMaintenance::Analyze });
        }
    };
    Ok(Command::Catalog(op))
}

fn parse_name(text: &str) -> ServerResult<Vec<String>> {
    spark_sql_parser::parse_identifier_parts(text).map_err(|e| crate::error::ServerError::Engine(e.into()))
}
