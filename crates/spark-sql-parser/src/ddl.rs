//! DDL and DML on persistent tables: `CREATE TABLE` (and CTAS), `CREATE
//! DATABASE`, `INSERT`, `DROP TABLE`, `TRUNCATE`, ... A malformed statement
//! is a ParseException, as in Spark. `UPDATE`, `DELETE`, `MERGE` and most of
//! `ALTER` are parsed and answered as not supported.

use std::collections::BTreeMap;

use spark_plan::{AlterTableAction, Command, CreateDatabase, CreateTable, InsertInto, Plan, RowLevelOperation, StructField};

use crate::lexer::Tok;
use crate::parser::Parser;
use crate::ParseResult;

impl Parser {
    fn unsupported(what: &str) -> ParseResult<Plan> {
        Ok(Plan::Command(Command::NotSupported(what.to_string())))
    }

    /// `(...)` with balanced parentheses, skipped (option lists, properties).
    pub(crate) fn skip_parenthesized(&mut self) -> ParseResult<()> {
        self.expect_sym("(")?;
        let mut depth = 1;
        while depth > 0 {
            match self.advance() {
                Tok::Sym("(") => depth += 1,
                Tok::Sym(")") => depth -= 1,
                Tok::Eof => return self.error(),
                _ => {}
            }
        }
        Ok(())
    }

    fn expect_string(&mut self) -> ParseResult<String> {
        match self.advance() {
            Tok::Str(s) => Ok(s),
            _ => {
                self.reset(self.position().saturating_sub(1));
                self.error()
            }
        }
    }

    /// After `CREATE [OR REPLACE] [EXTERNAL]`: `TABLE ...`, `DATABASE ...`,
    /// `FUNCTION ...`; `None` when none of them follows.
    pub(crate) fn parse_create_persistent(&mut self, replace: bool) -> ParseResult<Option<Plan>> {
        let external = self.eat_word("external");
        if self.eat_word("table") {
            return self.parse_create_table(replace, external).map(Some);
        }
        if self.eat_word("database") || self.eat_word("schema") || self.eat_word("namespace") {
            let if_not_exists = self.eat_words(&["if", "not", "exists"]);
            let name = self.parse_multipart_identifier()?;
            let mut db = CreateDatabase { name, if_not_exists, comment: None, location: None, properties: BTreeMap::new() };
            loop {
                if self.eat_word("comment") {
                    db.comment = Some(self.expect_string()?);
                } else if self.eat_word("location") {
                    db.location = Some(self.expect_string()?);
                } else if self.eat_words(&["with", "dbproperties"]) || self.eat_words(&["with", "properties"]) {
                    db.properties = self.parse_property_list()?;
                } else {
                    break;
                }
            }
            return Ok(Some(Plan::Command(Command::CreateDatabase(db))));
        }
        if self.is_word("function") {
            let start = self.position();
            return self.parse_create_function(replace, false, start).map(Some);
        }
        Ok(None)
    }

    /// `REPLACE TABLE ...` (after `REPLACE`).
    pub(crate) fn parse_replace_table(&mut self) -> ParseResult<Plan> {
        self.expect_word("replace")?;
        self.expect_word("table")?;
        self.parse_create_table(true, false)
    }

    /// The rest of `CREATE [OR REPLACE] TABLE` after `TABLE`.
    fn parse_create_table(&mut self, replace: bool, external: bool) -> ParseResult<Plan> {
        let if_not_exists = self.eat_words(&["if", "not", "exists"]);
        let name = self.parse_multipart_identifier()?;
        let mut t = CreateTable {
            name,
            if_not_exists,
            replace,
            columns: vec![],
            provider: None,
            partition_by: vec![],
            location: None,
            options: BTreeMap::new(),
            comment: None,
            properties: BTreeMap::new(),
            query: None,
            like: None,
        };
        if self.eat_word("like") {
            t.like = Some(self.parse_multipart_identifier()?);
        } else if self.is_sym("(") && !matches!(self.peek_at(1), Tok::Word(w) if w.eq_ignore_ascii_case("select") || w.eq_ignore_ascii_case("with")) {
            self.advance();
            t.columns = self.parse_schema_columns()?;
            self.expect_sym(")")?;
        }
        self.parse_table_clauses(&mut t)?;
        if self.eat_word("as") || self.is_word("select") || self.is_word("with") || self.is_sym("(") {
            t.query = Some(Box::new(self.parse_query()?));
        }
        if external && t.location.is_none() && t.query.is_none() {
            return Err(crate::ParseError::other("_LEGACY_ERROR_TEMP_0035", "", "Operation not allowed: CREATE EXTERNAL TABLE must be accompanied by LOCATION."));
        }
        Ok(Plan::Command(Command::CreateTable(Box::new(t))))
    }

    /// A property key: a string, or a dotted name (`k.x`).
    fn parse_property_key(&mut self) -> ParseResult<String> {
        if let Tok::Str(s) = self.peek().clone() {
            self.advance();
            return Ok(s);
        }
        let mut parts = vec![self.parse_identifier_or_keyword()?];
        while self.eat_sym(".") {
            parts.push(self.parse_identifier_or_keyword()?);
        }
        Ok(parts.join("."))
    }

    /// `(key [=] value, ...)` of OPTIONS, TBLPROPERTIES and DBPROPERTIES:
    /// keys are dotted identifiers or strings, values strings, numbers or booleans.
    fn parse_property_list(&mut self) -> ParseResult<BTreeMap<String, String>> {
        self.expect_sym("(")?;
        let mut out = BTreeMap::new();
        if self.eat_sym(")") {
            return Ok(out);
        }
        loop {
            let key = self.parse_property_key()?;
            self.eat_sym("=");
            let value = match self.advance() {
                Tok::Str(v) | Tok::Number(v) | Tok::Word(v) => v,
                Tok::Sym("-") => match self.advance() {
                    Tok::Number(v) => format!("-{v}"),
                    _ => return self.error(),
                },
                _ => return self.error(),
            };
            out.insert(key, value);
            if self.eat_sym(")") {
                return Ok(out);
            }
            self.expect_sym(",")?;
        }
    }

    /// Column definitions of CREATE TABLE: `name type [NOT NULL]
    /// [DEFAULT expr] [COMMENT 'c'] [GENERATED ALWAYS AS (expr)]`.
    fn parse_schema_columns(&mut self) -> ParseResult<Vec<StructField>> {
        let mut out = Vec::new();
        loop {
            let name = self.parse_identifier_or_keyword()?;
            let data_type = self.parse_data_type()?;
            let mut field = StructField::new(name, data_type, true);
            let mut metadata: Vec<(&str, String)> = Vec::new();
            loop {
                if self.eat_words(&["not", "null"]) {
                    field.nullable = false;
                } else if self.eat_word("default") {
                    // Kept as written, as Spark keeps it (`CURRENT_DEFAULT`),
                    // and as the value rows written before the column read.
                    let start = self.position();
                    self.parse_expression()?;
                    let text = self.source_between(start, self.position());
                    metadata.push(("CURRENT_DEFAULT", text.clone()));
                    metadata.push(("EXISTS_DEFAULT", text));
                } else if self.eat_word("comment") {
                    metadata.push(("comment", self.expect_string()?));
                } else if self.eat_words(&["generated", "always", "as"]) {
                    // Kept under Spark's key; file tables refuse it.
                    let start = self.position();
                    self.skip_parenthesized()?;
                    let text = self.source_between(start, self.position());
                    metadata.push(("GENERATION_EXPRESSION", text.trim_start_matches('(').trim_end_matches(')').trim().to_string()));
                } else {
                    break;
                }
            }
            if !metadata.is_empty() {
                field.metadata = Some(json_object(&metadata));
            }
            out.push(field);
            if !self.eat_sym(",") {
                return Ok(out);
            }
        }
    }

    /// USING, OPTIONS, PARTITIONED BY, CLUSTERED BY, LOCATION, COMMENT,
    /// TBLPROPERTIES, STORED AS, in any order.
    fn parse_table_clauses(&mut self, t: &mut CreateTable) -> ParseResult<()> {
        loop {
            if self.eat_word("using") || self.eat_words(&["stored", "as"]) {
                t.provider = Some(self.parse_identifier()?.to_ascii_lowercase());
            } else if self.eat_word("options") {
                t.options = self.parse_property_list()?;
            } else if self.eat_word("tblproperties") {
                t.properties = self.parse_property_list()?;
            } else if self.eat_words(&["partitioned", "by"]) {
                self.expect_sym("(")?;
                loop {
                    let name = self.parse_identifier_or_keyword()?;
                    if !self.is_sym(",") && !self.is_sym(")") {
                        // Hive style: `PARTITIONED BY (p INT)` adds the column.
                        let data_type = self.parse_data_type()?;
                        t.columns.push(StructField::new(name.clone(), data_type, true));
                    }
                    t.partition_by.push(name);
                    if !self.eat_sym(",") {
                        break;
                    }
                }
                self.expect_sym(")")?;
            } else if self.eat_words(&["cluster", "by"]) {
                self.skip_parenthesized()?;
            } else if self.eat_words(&["clustered", "by"]) {
                self.skip_parenthesized()?;
                if self.eat_words(&["sorted", "by"]) {
                    self.skip_parenthesized()?;
                }
                self.expect_word("into")?;
                self.parse_integer()?;
                self.expect_word("buckets")?;
            } else if self.eat_word("location") {
                t.location = Some(self.expect_string()?);
            } else if self.eat_word("comment") {
                t.comment = Some(self.expect_string()?);
            } else {
                return Ok(());
            }
        }
    }

    /// `INSERT {INTO | OVERWRITE} [TABLE] t [PARTITION (...)] [(cols) | BY NAME] {VALUES ... | query}`.
    pub(crate) fn parse_insert(&mut self) -> ParseResult<Plan> {
        self.expect_word("insert")?;
        let overwrite = self.eat_word("overwrite");
        if !overwrite {
            self.expect_word("into")?;
        }
        self.eat_word("table");
        let table = self.parse_multipart_identifier()?;
        let mut partition = Vec::new();
        if self.eat_word("partition") {
            self.expect_sym("(")?;
            loop {
                let column = self.parse_identifier_or_keyword()?;
                let value = if self.eat_sym("=") { Some(self.parse_expression()?) } else { None };
                partition.push((column, value));
                if !self.eat_sym(",") {
                    break;
                }
            }
            self.expect_sym(")")?;
        }
        self.eat_words(&["if", "not", "exists"]);
        let mut columns = Vec::new();
        if self.is_sym("(") && !matches!(self.peek_at(1), Tok::Word(w) if w.eq_ignore_ascii_case("select") || w.eq_ignore_ascii_case("with")) {
            self.advance();
            columns = self.parse_comma_separated(|p| p.parse_identifier())?;
            self.expect_sym(")")?;
        }
        let by_name = self.eat_words(&["by", "name"]);
        let query = self.parse_query()?;
        Ok(Plan::Command(Command::InsertInto(Box::new(InsertInto { table, query: Box::new(query), overwrite, partition, columns, by_name }))))
    }

    /// `DELETE FROM t [alias] [WHERE cond]`.
    pub(crate) fn parse_delete(&mut self) -> ParseResult<Plan> {
        self.expect_word("delete")?;
        self.expect_word("from")?;
        let table = self.parse_multipart_identifier()?;
        self.parse_optional_table_alias()?;
        if self.eat_word("where") {
            self.parse_expression()?;
        }
        Ok(Plan::Command(Command::RowLevelChange { table, operation: RowLevelOperation::Delete }))
    }

    /// `UPDATE t [alias] SET c = v, ... [WHERE cond]`.
    pub(crate) fn parse_update(&mut self) -> ParseResult<Plan> {
        self.expect_word("update")?;
        let table = self.parse_multipart_identifier()?;
        self.parse_optional_table_alias()?;
        self.expect_word("set")?;
        self.parse_comma_separated(|p| {
            p.parse_multipart_identifier()?;
            p.expect_sym("=")?;
            p.parse_expression()
        })?;
        if self.eat_word("where") {
            self.parse_expression()?;
        }
        Ok(Plan::Command(Command::RowLevelChange { table, operation: RowLevelOperation::Update }))
    }

    /// `MERGE INTO t USING s ON cond WHEN [NOT] MATCHED ... THEN ...`.
    pub(crate) fn parse_merge(&mut self) -> ParseResult<Plan> {
        self.expect_word("merge")?;
        self.eat_words(&["with", "schema", "evolution"]);
        self.expect_word("into")?;
        let table = self.parse_multipart_identifier()?;
        self.parse_optional_table_alias()?;
        self.expect_word("using")?;
        if self.is_sym("(") {
            self.advance();
            self.parse_query()?;
            self.expect_sym(")")?;
        } else {
            self.parse_multipart_identifier()?;
        }
        self.parse_optional_table_alias()?;
        self.expect_word("on")?;
        self.parse_expression()?;
        if !self.is_word("when") {
            return self.error();
        }
        let _ = self.rest_as_text();
        Ok(Plan::Command(Command::RowLevelChange { table, operation: RowLevelOperation::Merge }))
    }

    fn parse_optional_table_alias(&mut self) -> ParseResult<()> {
        if self.eat_word("as") {
            self.parse_identifier()?;
        } else if let Tok::Word(w) = self.peek().clone() {
            if !["where", "set", "using", "on", "when"].iter().any(|k| k.eq_ignore_ascii_case(&w)) && !crate::parser::is_reserved(&w) {
                self.advance();
            }
        }
        Ok(())
    }

    /// `COMMENT ON {TABLE | DATABASE | SCHEMA | NAMESPACE} name IS 'text' | NULL`.
    pub(crate) fn parse_comment_on(&mut self) -> ParseResult<Plan> {
        self.expect_word("comment")?;
        self.expect_word("on")?;
        let table = self.eat_word("table");
        if !table && !(self.eat_word("database") || self.eat_word("schema") || self.eat_word("namespace")) {
            return self.error();
        }
        let name = self.parse_multipart_identifier()?;
        self.expect_word("is")?;
        let comment = if self.eat_word("null") { String::new() } else { self.expect_string()? };
        if table {
            return Ok(Plan::Command(Command::AlterTable { name, action: AlterTableAction::SetComment(comment) }));
        }
        Ok(Plan::Command(Command::AlterDatabase { name, action: spark_plan::AlterDatabaseAction::SetComment(comment) }))
    }

    /// `ALTER {TABLE | VIEW | DATABASE} name ...`.
    pub(crate) fn parse_alter(&mut self) -> ParseResult<Plan> {
        self.expect_word("alter")?;
        let what = if self.eat_word("table") {
            "ALTER TABLE"
        } else if self.eat_word("view") {
            "ALTER VIEW"
        } else if self.eat_word("database") || self.eat_word("schema") || self.eat_word("namespace") {
            "ALTER DATABASE"
        } else {
            return self.error();
        };
        let name = self.parse_multipart_identifier()?;
        if matches!(self.peek(), Tok::Eof | Tok::Sym(";")) {
            return self.error();
        }
        if what == "ALTER TABLE" {
            if let Some(action) = self.parse_alter_table_action()? {
                return Ok(Plan::Command(Command::AlterTable { name, action }));
            }
        }
        if what == "ALTER DATABASE" && self.eat_word("set") && (self.eat_word("dbproperties") || self.eat_word("properties")) {
            let action = spark_plan::AlterDatabaseAction::SetProperties(self.parse_property_list()?);
            return Ok(Plan::Command(Command::AlterDatabase { name, action }));
        }
        let _ = self.rest_as_text();
        Self::unsupported(what)
    }

    /// The ALTER TABLE actions file tables support; `None` for the others.
    fn parse_alter_table_action(&mut self) -> ParseResult<Option<AlterTableAction>> {
        let start = self.position();
        if self.eat_words(&["rename", "to"]) {
            return Ok(Some(AlterTableAction::RenameTo(self.parse_multipart_identifier()?)));
        }
        if self.eat_words(&["rename", "column"]) {
            let from = self.parse_multipart_identifier()?;
            self.expect_word("to")?;
            let to = self.parse_identifier_or_keyword()?;
            return Ok(Some(AlterTableAction::RenameColumn { from, to }));
        }
        if self.eat_word("add") && (self.eat_word("columns") || self.eat_word("column")) {
            let parenthesized = self.eat_sym("(");
            let columns = self.parse_schema_columns()?;
            if parenthesized {
                self.expect_sym(")")?;
            }
            return Ok(Some(AlterTableAction::AddColumns(columns)));
        }
        self.reset(start);
        if self.eat_words(&["set", "tblproperties"]) {
            return Ok(Some(AlterTableAction::SetProperties(self.parse_property_list()?)));
        }
        if self.eat_words(&["unset", "tblproperties"]) {
            let if_exists = self.eat_words(&["if", "exists"]);
            let keys = self.parse_property_list_keys()?;
            return Ok(Some(AlterTableAction::UnsetProperties { keys, if_exists }));
        }
        if self.eat_word("add") {
            let if_not_exists = self.eat_words(&["if", "not", "exists"]);
            let mut partitions = Vec::new();
            while self.eat_word("partition") {
                partitions.push(self.parse_partition_spec()?);
                if self.eat_word("location") {
                    self.expect_string()?;
                }
            }
            if partitions.is_empty() {
                return self.error();
            }
            return Ok(Some(AlterTableAction::AddPartitions { partitions, if_not_exists }));
        }
        if self.eat_word("drop") && (self.eat_word("columns") || self.eat_word("column")) {
            let if_exists = self.eat_words(&["if", "exists"]);
            let parenthesized = self.eat_sym("(");
            let columns = self.parse_comma_separated(|p| p.parse_multipart_identifier())?;
            if parenthesized {
                self.expect_sym(")")?;
            }
            return Ok(Some(AlterTableAction::DropColumns { columns, if_exists }));
        }
        self.reset(start);
        if self.eat_word("drop") {
            let if_exists = self.eat_words(&["if", "exists"]);
            let mut partitions = Vec::new();
            loop {
                self.expect_word("partition")?;
                partitions.push(self.parse_partition_spec()?);
                if !self.eat_sym(",") {
                    break;
                }
            }
            self.eat_word("purge");
            return Ok(Some(AlterTableAction::DropPartitions { partitions, if_exists }));
        }
        if self.eat_word("alter") || self.eat_word("change") {
            self.eat_word("column");
            let column = self.parse_multipart_identifier()?;
            if self.eat_word("comment") {
                let comment = self.expect_string()?;
                return Ok(Some(AlterTableAction::CommentColumn { column, comment }));
            }
        }
        self.reset(start);
        Ok(None)
    }

    /// `(p = v, ...)` of a PARTITION clause with values.
    fn parse_partition_spec(&mut self) -> ParseResult<Vec<(String, spark_plan::Expr)>> {
        self.expect_sym("(")?;
        let mut out = Vec::new();
        loop {
            let column = self.parse_identifier_or_keyword()?;
            self.expect_sym("=")?;
            out.push((column, self.parse_expression()?));
            if !self.eat_sym(",") {
                break;
            }
        }
        self.expect_sym(")")?;
        Ok(out)
    }

    /// `('k1', 'k2')` of UNSET TBLPROPERTIES and SHOW TBLPROPERTIES.
    pub(crate) fn parse_property_list_keys(&mut self) -> ParseResult<Vec<String>> {
        self.expect_sym("(")?;
        let mut keys = Vec::new();
        loop {
            let key = self.parse_property_key()?;
            keys.push(key);
            if !self.eat_sym(",") {
                break;
            }
        }
        self.expect_sym(")")?;
        Ok(keys)
    }

    /// `DROP {TABLE | DATABASE | SCHEMA | FUNCTION} [IF EXISTS] name [CASCADE | PURGE]`.
    pub(crate) fn parse_drop_persistent(&mut self) -> ParseResult<Plan> {
        if self.eat_word("table") {
            let if_exists = self.eat_words(&["if", "exists"]);
            let name = self.parse_multipart_identifier()?;
            self.eat_word("purge");
            return Ok(Plan::Command(Command::DropTable { name, if_exists }));
        }
        if self.eat_word("database") || self.eat_word("schema") || self.eat_word("namespace") {
            let if_exists = self.eat_words(&["if", "exists"]);
            let name = self.parse_multipart_identifier()?;
            let cascade = self.eat_word("cascade");
            if !cascade {
                self.eat_word("restrict");
            }
            return Ok(Plan::Command(Command::DropDatabase { name, if_exists, cascade }));
        }
        if self.is_word("function") || self.is_word("temporary") {
            return self.parse_drop_function();
        }
        self.error()
    }

    /// `TRUNCATE TABLE name [PARTITION (...)]`.
    pub(crate) fn parse_truncate(&mut self) -> ParseResult<Plan> {
        self.expect_word("truncate")?;
        self.expect_word("table")?;
        let name = self.parse_multipart_identifier()?;
        if self.eat_word("partition") {
            self.skip_parenthesized()?;
            return Self::unsupported("TRUNCATE TABLE ... PARTITION");
        }
        Ok(Plan::Command(Command::TruncateTable { name }))
    }
}

/// A column comment as Spark keeps it: field metadata `{"comment": ...}`.
/// A JSON object of string values (a field's metadata).
fn json_object(pairs: &[(&str, String)]) -> String {
    let quote = |text: &str| -> String {
        let escaped: String = text
            .chars()
            .flat_map(|c| match c {
                '"' => vec!['\\', '"'],
                '\\' => vec!['\\', '\\'],
                '\n' => vec!['\\', 'n'],
                c => vec![c],
            })
            .collect();
        format!("\"{escaped}\"")
    };
    let items: Vec<String> = pairs.iter().map(|(k, v)| format!("{}:{}", quote(k), quote(v))).collect();
    format!("{{{}}}", items.join(","))
}
#[cfg(test)]
mod tests {
    use crate::parse_statement;
    use spark_plan::{Command, Plan};

    fn kind(sql: &str) -> Option<String> {
        match parse_statement(sql) {
            Ok(Plan::Command(Command::NotSupported(what))) => Some(what),
            _ => None,
        }
    }

    #[test]
    fn parses_tables_and_databases() {
        let parsed = parse_statement("CREATE TABLE IF NOT EXISTS db.t (a INT NOT NULL COMMENT 'x', b STRING) USING parquet PARTITIONED BY (b) LOCATION '/tmp/t' OPTIONS (compression 'zstd', 'k.x' = 1) TBLPROPERTIES ('p'='v')");
        let Ok(Plan::Command(Command::CreateTable(t))) = parsed else {
            assert!(false, "not a CREATE TABLE: {parsed:?}");
            return;
        };
        assert_eq!(t.name, vec!["db".to_string(), "t".to_string()]);
        assert!(t.if_not_exists && !t.replace);
        assert_eq!(t.columns.len(), 2);
        assert!(!t.columns[0].nullable);
        assert_eq!(t.provider.as_deref(), Some("parquet"));
        assert_eq!(t.partition_by, vec!["b".to_string()]);
        assert_eq!(t.location.as_deref(), Some("/tmp/t"));
        assert_eq!(t.options.get("k.x").map(String::as_str), Some("1"));
        assert_eq!(t.properties.get("p").map(String::as_str), Some("v"));
        let parsed = parse_statement("CREATE OR REPLACE TABLE t USING json PARTITIONED BY (p INT) AS SELECT 1 AS a, 2 AS p");
        let Ok(Plan::Command(Command::CreateTable(ctas))) = parsed else {
            assert!(false, "not a CTAS: {parsed:?}");
            return;
        };
        assert!(ctas.replace && ctas.query.is_some());
        assert_eq!(ctas.columns.len(), 1);
        let parsed = parse_statement("INSERT OVERWRITE TABLE t PARTITION (p = 1, q) (a, b) SELECT * FROM s");
        let Ok(Plan::Command(Command::InsertInto(i))) = parsed else {
            assert!(false, "not an INSERT: {parsed:?}");
            return;
        };
        assert!(i.overwrite && i.partition.len() == 2 && i.partition[0].1.is_some() && i.partition[1].1.is_none());
        assert_eq!(i.columns, vec!["a".to_string(), "b".to_string()]);
        assert!(matches!(parse_statement("INSERT INTO t BY NAME SELECT 1 AS a"), Ok(Plan::Command(Command::InsertInto(i))) if i.by_name));
        assert!(matches!(parse_statement("DROP TABLE IF EXISTS db.t PURGE"), Ok(Plan::Command(Command::DropTable { if_exists: true, .. }))));
        assert!(matches!(parse_statement("DROP SCHEMA IF EXISTS d CASCADE"), Ok(Plan::Command(Command::DropDatabase { if_exists: true, cascade: true, .. }))));
        assert!(matches!(parse_statement("CREATE DATABASE IF NOT EXISTS d COMMENT 'x' LOCATION '/tmp/d' WITH DBPROPERTIES (a = 'b')"), Ok(Plan::Command(Command::CreateDatabase(d))) if d.if_not_exists && d.comment.as_deref() == Some("x")));
        assert!(matches!(parse_statement("TRUNCATE TABLE t"), Ok(Plan::Command(Command::TruncateTable { .. }))));
        assert!(parse_statement("CREATE EXTERNAL TABLE t (a INT) USING parquet").is_err());
        let alter = |sql: &str| match parse_statement(sql) {
            Ok(Plan::Command(Command::AlterTable { action, .. })) => Some(action),
            _ => None,
        };
        assert!(matches!(alter("ALTER TABLE t RENAME TO u"), Some(spark_plan::AlterTableAction::RenameTo(n)) if n == vec!["u".to_string()]));
        assert!(matches!(alter("ALTER TABLE t ADD COLUMNS (b STRING, c DOUBLE)"), Some(spark_plan::AlterTableAction::AddColumns(c)) if c.len() == 2));
        assert!(matches!(alter("ALTER TABLE t SET TBLPROPERTIES ('k' = 'v')"), Some(spark_plan::AlterTableAction::SetProperties(p)) if p.len() == 1));
        assert!(matches!(alter("ALTER TABLE t UNSET TBLPROPERTIES IF EXISTS ('k', 'j')"), Some(spark_plan::AlterTableAction::UnsetProperties { keys, if_exists: true }) if keys.len() == 2));
        assert!(matches!(alter("ALTER TABLE t ADD IF NOT EXISTS PARTITION (p = 1) PARTITION (p = 2)"), Some(spark_plan::AlterTableAction::AddPartitions { partitions, if_not_exists: true }) if partitions.len() == 2));
        assert!(matches!(alter("ALTER TABLE t DROP PARTITION (p = 1)"), Some(spark_plan::AlterTableAction::DropPartitions { .. })));
    }

    #[test]
    fn parses_row_level_changes() {
        use spark_plan::RowLevelOperation as Op;
        let op = |sql: &str| match parse_statement(sql) {
            Ok(Plan::Command(Command::RowLevelChange { operation, .. })) => Some(operation),
            _ => None,
        };
        assert_eq!(op("UPDATE t SET a = a + 1 WHERE b = 'x'"), Some(Op::Update));
        assert_eq!(op("DELETE FROM t WHERE a > 1"), Some(Op::Delete));
        assert_eq!(op("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET *"), Some(Op::Merge));
        assert!(kind("CREATE FUNCTION f AS 'x'").is_some_and(|k| k.starts_with("CREATE FUNCTION ... AS")));
    }

    #[test]
    fn malformed_statements_are_parse_errors() {
        for sql in ["CREATE TABLE t (a)", "INSERT INTO t", "UPDATE t WHERE a = 1", "DELETE t", "DROP TABLE", "ALTER TABLE t", "MERGE INTO t USING s", "ALTER TABLE t ADD PARTITION"] {
            assert!(parse_statement(sql).is_err(), "{sql}");
        }
    }
}
