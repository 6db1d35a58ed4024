//! The default catalog store: one SQLite file in the warehouse directory
//! (`.spark-catalog.sqlite`, hidden from data listings), built from the
//! bundled SQLite sources so no system library is needed. Each change runs
//! in one transaction with `synchronous=FULL`, so it survives a crash or
//! `kill -9` whole or not at all.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, OptionalExtension, params};

use crate::{Catalog, CatalogError, CatalogResult, DEFAULT_DATABASE, DatabaseMeta, TableMeta};

pub const STORE_FILE: &str = ".spark-catalog.sqlite";

#[derive(Debug)]
pub struct SqliteCatalog {
    connection: Mutex<Connection>,
}

fn key(name: &str) -> String {
    name.to_lowercase()
}

impl SqliteCatalog {
    /// Opens (creating if needed) the store of a warehouse; `default_location`
    /// is where the `default` database's tables live.
    pub fn open(warehouse: &Path, default_location: &str) -> CatalogResult<Self> {
        std::fs::create_dir_all(warehouse).map_err(|e| CatalogError::Store(format!("{}: {e}", warehouse.display())))?;
        let connection = Connection::open(warehouse.join(STORE_FILE))?;
        Self::init(connection, default_location)
    }

    /// A store that lives in memory only (tests).
    pub fn in_memory(default_location: &str) -> CatalogResult<Self> {
        Self::init(Connection::open_in_memory()?, default_location)
    }

    fn init(connection: Connection, default_location: &str) -> CatalogResult<Self> {
        connection.busy_timeout(std::time::Duration::from_secs(10))?;
        connection.execute_batch(
            "PRAGMA journal_mode=WAL;
             PRAGMA synchronous=FULL;
             CREATE TABLE IF NOT EXISTS databases (name TEXT PRIMARY KEY, meta TEXT NOT NULL);
             CREATE TABLE IF NOT EXISTS tables (database TEXT NOT NULL, name TEXT NOT NULL, meta TEXT NOT NULL, PRIMARY KEY (database, name));
             CREATE TABLE IF NOT EXISTS functions (database TEXT NOT NULL, name TEXT NOT NULL, sql TEXT NOT NULL, PRIMARY KEY (database, name));",
        )?;
        let store = Self { connection: Mutex::new(connection) };
        if store.get_database(DEFAULT_DATABASE)?.is_none() {
            store.create_database(&DatabaseMeta {
                name: DEFAULT_DATABASE.into(),
                comment: Some("default database".into()),
                location: default_location.into(),
                properties: Default::default(),
            })?;
        }
        Ok(store)
    }

    fn with<T>(&self, f: impl FnOnce(&mut Connection) -> CatalogResult<T>) -> CatalogResult<T> {
        let mut guard = self.connection.lock().map_err(|_| CatalogError::Store("the catalog store lock is poisoned".into()))?;
        f(&mut guard)
    }
}

fn table_exists(c: &Connection, database: &str, name: &str) -> CatalogResult<bool> {
    Ok(c.query_row("SELECT 1 FROM tables WHERE database = ?1 AND name = ?2", params![key(database), key(name)], |_| Ok(())).optional()?.is_some())
}

fn database_exists(c: &Connection, name: &str) -> CatalogResult<bool> {
    Ok(c.query_row("SELECT 1 FROM databases WHERE name = ?1", params![key(name)], |_| Ok(())).optional()?.is_some())
}

impl Catalog for SqliteCatalog {
    fn create_database(&self, database: &DatabaseMeta) -> CatalogResult<()> {
        let meta = serde_json::to_string(database)?;
        self.with(|c| {
            if database_exists(c, &database.name)? {
                return Err(CatalogError::DatabaseExists(database.name.clone()));
            }
            c.execute("INSERT INTO databases (name, meta) VALUES (?1, ?2)", params![key(&database.name), meta])?;
            Ok(())
        })
    }

    fn get_database(&self, name: &str) -> CatalogResult<Option<DatabaseMeta>> {
        self.with(|c| {
            let meta: Option<String> = c.query_row("SELECT meta FROM databases WHERE name = ?1", params![key(name)], |r| r.get(0)).optional()?;
            Ok(meta.map(|m| serde_json::from_str(&m)).transpose()?)
        })
    }

    fn list_databases(&self) -> CatalogResult<Vec<DatabaseMeta>> {
        self.with(|c| {
            let mut stmt = c.prepare("SELECT meta FROM databases ORDER BY name")?;
            let metas = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
            metas.iter().map(|m| Ok(serde_json::from_str(m)?)).collect()
        })
    }

    fn alter_database(&self, database: &DatabaseMeta) -> CatalogResult<()> {
        let meta = serde_json::to_string(database)?;
        self.with(|c| {
            let changed = c.execute("UPDATE databases SET meta = ?2 WHERE name = ?1", params![key(&database.name), meta])?;
            if changed == 0 {
                return Err(CatalogError::DatabaseNotFound(database.name.clone()));
            }
            Ok(())
        })
    }

    fn put_function(&self, database: &str, name: &str, sql: &str) -> CatalogResult<()> {
        self.with(|c| {
            if !database_exists(c, database)? {
                return Err(CatalogError::DatabaseNotFound(database.to_string()));
            }
            c.execute("INSERT OR REPLACE INTO functions (database, name, sql) VALUES (?1, ?2, ?3)", params![key(database), key(name), sql])?;
            Ok(())
        })
    }

    fn get_function(&self, database: &str, name: &str) -> CatalogResult<Option<String>> {
        self.with(|c| Ok(c.query_row("SELECT sql FROM functions WHERE database = ?1 AND name = ?2", params![key(database), key(name)], |r| r.get(0)).optional()?))
    }

    fn list_functions(&self, database: &str) -> CatalogResult<Vec<String>> {
        self.with(|c| {
            let mut stmt = c.prepare("SELECT name FROM functions WHERE database = ?1 ORDER BY name")?;
            let names = stmt.query_map(params![key(database)], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
            Ok(names)
        })
    }

    fn drop_function(&self, database: &str, name: &str) -> CatalogResult<bool> {
        self.with(|c| Ok(c.execute("DELETE FROM functions WHERE database = ?1 AND name = ?2", params![key(database), key(name)])? > 0))
    }

    fn drop_database(&self, name: &str, cascade: bool) -> CatalogResult<()> {
        self.with(|c| {
            let tx = c.transaction()?;
            if !database_exists(&tx, name)? {
                return Err(CatalogError::DatabaseNotFound(name.to_string()));
            }
            let count: i64 = tx.query_row("SELECT count(*) FROM tables WHERE database = ?1", params![key(name)], |r| r.get(0))?;
            if count > 0 && !cascade {
                return Err(CatalogError::DatabaseNotEmpty(name.to_string()));
            }
            tx.execute("DELETE FROM tables WHERE database = ?1", params![key(name)])?;
            tx.execute("DELETE FROM functions WHERE database = ?1", params![key(name)])?;
            tx.execute("DELETE FROM databases WHERE name = ?1", params![key(name)])?;
            tx.commit()?;
            Ok(())
        })
    }

    fn create_table(&self, table: &TableMeta) -> CatalogResult<()> {
        let meta = serde_json::to_string(table)?;
        self.with(|c| {
            let tx = c.transaction()?;
            if !database_exists(&tx, &table.database)? {
                return Err(CatalogError::DatabaseNotFound(table.database.clone()));
            }
            if table_exists(&tx, &table.database, &table.name)? {
                return Err(CatalogError::TableExists { database: table.database.clone(), name: table.name.clone() });
            }
            tx.execute("INSERT INTO tables (database, name, meta) VALUES (?1, ?2, ?3)", params![key(&table.database), key(&table.name), meta])?;
            tx.commit()?;
            Ok(())
        })
    }

    fn get_table(&self, database: &str, name: &str) -> CatalogResult<Option<TableMeta>> {
        self.with(|c| {
            let meta: Option<String> =
                c.query_row("SELECT meta FROM tables WHERE database = ?1 AND name = ?2", params![key(database), key(name)], |r| r.get(0)).optional()?;
            Ok(meta.map(|m| serde_json::from_str(&m)).transpose()?)
        })
    }

    fn list_tables(&self, database: &str) -> CatalogResult<Vec<TableMeta>> {
        self.with(|c| {
            if !database_exists(c, database)? {
                return Err(CatalogError::DatabaseNotFound(database.to_string()));
            }
            let mut stmt = c.prepare("SELECT meta FROM tables WHERE database = ?1 ORDER BY name")?;
            let metas = stmt.query_map(params![key(database)], |r| r.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
            metas.iter().map(|m| Ok(serde_json::from_str(m)?)).collect()
        })
    }

    fn alter_table(&self, table: &TableMeta) -> CatalogResult<()> {
        let meta = serde_json::to_string(table)?;
        self.with(|c| {
            let changed = c.execute("UPDATE tables SET meta = ?3 WHERE database = ?1 AND name = ?2", params![key(&table.database), key(&table.name), meta])?;
            if changed == 0 {
                return Err(CatalogError::TableNotFound { database: table.database.clone(), name: table.name.clone() });
            }
            Ok(())
        })
    }

    fn drop_table(&self, database: &str, name: &str) -> CatalogResult<()> {
        self.with(|c| {
            let changed = c.execute("DELETE FROM tables WHERE database = ?1 AND name = ?2", params![key(database), key(name)])?;
            if changed == 0 {
                return Err(CatalogError::TableNotFound { database: database.to_string(), name: name.to_string() });
            }
            Ok(())
        })
    }

    fn rename_table(&self, database: &str, from: &str, to: &TableMeta) -> CatalogResult<()> {
        let meta = serde_json::to_string(to)?;
        self.with(|c| {
            let tx = c.transaction()?;
            if table_exists(&tx, &to.database, &to.name)? {
                return Err(CatalogError::TableExists { database: to.database.clone(), name: to.name.clone() });
            }
            let changed = tx.execute("DELETE FROM tables WHERE database = ?1 AND name = ?2", params![key(database), key(from)])?;
            if changed == 0 {
                return Err(CatalogError::TableNotFound { database: database.to_string(), name: from.to_string() });
            }
            tx.execute("INSERT INTO tables (database, name, meta) VALUES (?1, ?2, ?3)", params![key(&to.database), key(&to.name), meta])?;
            tx.commit()?;
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::TableKind;
    use spark_plan::{DataType, StructField};

    fn table(name: &str) -> TableMeta {
        TableMeta {
            database: "default".into(),
            name: name.into(),
            kind: TableKind::Managed,
            provider: Some("parquet".into()),
            schema: DataType::Struct(vec![StructField::new("a", DataType::Integer, true), StructField::new("p", DataType::String, true)]),
            partition_columns: vec!["p".into()],
            location: Some("/tmp/w/t".into()),
            options: Default::default(),
            comment: None,
            properties: Default::default(),
            view_text: None,
            created_at: 0,
            bucketing: None,
        }
    }

    #[test]
    fn tables_round_trip_case_insensitively() -> CatalogResult<()> {
        let c = SqliteCatalog::in_memory("file:/tmp/w")?;
        c.create_table(&table("T1"))?;
        assert!(matches!(c.create_table(&table("t1")), Err(CatalogError::TableExists { .. })));
        let got = c.get_table("DEFAULT", "t1")?;
        assert_eq!(got, Some(table("T1")));
        assert_eq!(c.list_tables("default")?.len(), 1);
        c.drop_table("default", "T1")?;
        assert!(c.get_table("default", "t1")?.is_none());
        Ok(())
    }

    #[test]
    fn databases_refuse_a_drop_while_they_hold_tables() -> CatalogResult<()> {
        let c = SqliteCatalog::in_memory("file:/tmp/w")?;
        assert_eq!(c.list_databases()?.len(), 1);
        c.create_database(&DatabaseMeta { name: "Sales".into(), comment: None, location: "file:/tmp/w/sales.db".into(), properties: Default::default() })?;
        let mut t = table("t");
        t.database = "sales".into();
        c.create_table(&t)?;
        assert!(matches!(c.drop_database("sales", false), Err(CatalogError::DatabaseNotEmpty(_))));
        c.drop_database("SALES", true)?;
        assert!(c.get_database("sales")?.is_none());
        assert!(matches!(c.create_table(&t), Err(CatalogError::DatabaseNotFound(_))));
        Ok(())
    }

    #[test]
    fn the_store_survives_reopening() -> CatalogResult<()> {
        let dir = std::env::temp_dir().join(format!("scs-catalog-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        SqliteCatalog::open(&dir, "file:/w")?.create_table(&table("kept"))?;
        assert!(SqliteCatalog::open(&dir, "file:/w")?.get_table("default", "kept")?.is_some());
        let _ = std::fs::remove_dir_all(&dir);
        Ok(())
    }
}
