//! DDL and DML on persistent tables: `CREATE TABLE`, `CREATE DATABASE`,
//! `INSERT`, `UPDATE`, `DELETE`, `MERGE`, `ALTER TABLE`, `DROP TABLE`,
//! `TRUNCATE`, ... They are parsed (a malformed statement is a
//! ParseException, as in Spark) and answered as not supported yet: this
//! server has no persistent catalog.

use spark_plan::{Command, Plan};

use crate::lexer::Tok;
use crate::parser::Parser;
use crate::ParseResult;

impl Parser {
    fn unsupported(what: &str) -> ParseResult<Plan> {
        Ok(Plan::Command(Command::NotSupported(what.to_string())))
    }

    /// `(...)` with balanced parentheses, skipped (option lists, properties).
    fn skip_parenthesized(&mut self) -> ParseResult<()> {
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
    pub(crate) fn parse_create_persistent(&mut self) -> ParseResult<Option<Plan>> {
        self.eat_word("external");
        if self.eat_word("table") {
            self.eat_words(&["if", "not", "exists"]);
            self.parse_multipart_identifier()?;
            if self.is_sym("(") && !matches!(self.peek_at(1), Tok::Word(w) if w.eq_ignore_ascii_case("select") || w.eq_ignore_ascii_case("with")) {
                self.advance();
                self.parse_schema_columns()?;
                self.expect_sym(")")?;
            }
            self.parse_table_clauses()?;
            if self.eat_word("as") || self.is_word("select") || self.is_word("with") || self.is_sym("(") {
                self.parse_query()?;
                return Self::unsupported("CREATE TABLE AS SELECT").map(Some);
            }
            return Self::unsupported("CREATE TABLE").map(Some);
        }
        if self.eat_word("database") || self.eat_word("schema") || self.eat_word("namespace") {
            self.eat_words(&["if", "not", "exists"]);
            self.parse_multipart_identifier()?;
            loop {
                if self.eat_word("comment") || self.eat_word("location") {
                    self.expect_string()?;
                } else if self.eat_words(&["with", "dbproperties"]) || self.eat_words(&["with", "properties"]) {
                    self.skip_parenthesized()?;
                } else {
                    break;
                }
            }
            return Self::unsupported("CREATE DATABASE").map(Some);
        }
        if self.eat_word("function") {
            self.eat_words(&["if", "not", "exists"]);
            self.parse_multipart_identifier()?;
            let _ = self.rest_as_text();
            return Self::unsupported("CREATE FUNCTION").map(Some);
        }
        Ok(None)
    }

    /// Column definitions of CREATE TABLE: `name type [NOT NULL]
    /// [DEFAULT expr] [COMMENT 'c'] [GENERATED ALWAYS AS (expr)]`.
    fn parse_schema_columns(&mut self) -> ParseResult<()> {
        loop {
            self.parse_identifier_or_keyword()?;
            self.parse_data_type()?;
            loop {
                if self.eat_words(&["not", "null"]) {
                } else if self.eat_word("default") {
                    self.parse_expression()?;
                } else if self.eat_word("comment") {
                    self.expect_string()?;
                } else if self.eat_words(&["generated", "always", "as"]) {
                    self.skip_parenthesized()?;
                } else {
                    break;
                }
            }
            if !self.eat_sym(",") {
                return Ok(());
            }
        }
    }

    /// USING, OPTIONS, PARTITIONED BY, CLUSTERED BY, LOCATION, COMMENT,
    /// TBLPROPERTIES, STORED AS, in any order.
    fn parse_table_clauses(&mut self) -> ParseResult<()> {
        loop {
            if self.eat_word("using") || self.eat_words(&["stored", "as"]) {
                self.parse_identifier()?;
            } else if self.eat_word("options") || self.eat_word("tblproperties") {
                self.skip_parenthesized()?;
            } else if self.eat_words(&["partitioned", "by"]) || self.eat_words(&["cluster", "by"]) {
                self.skip_parenthesized()?;
            } else if self.eat_words(&["clustered", "by"]) {
                self.skip_parenthesized()?;
                if self.eat_words(&["sorted", "by"]) {
                    self.skip_parenthesized()?;
                }
                self.expect_word("into")?;
                self.parse_integer()?;
                self.expect_word("buckets")?;
            } else if self.eat_word("location") || self.eat_word("comment") {
                self.expect_string()?;
            } else {
                return Ok(());
            }
        }
    }

    /// `INSERT {INTO | OVERWRITE} [TABLE] t [PARTITION (...)] [(cols)] {VALUES ... | query}`.
    pub(crate) fn parse_insert(&mut self) -> ParseResult<Plan> {
        self.expect_word("insert")?;
        let overwrite = self.eat_word("overwrite");
        if !overwrite {
            self.expect_word("into")?;
        }
        self.eat_word("table");
        self.parse_multipart_identifier()?;
        if self.eat_word("partition") {
            self.skip_parenthesized()?;
        }
        self.eat_words(&["if", "not", "exists"]);
        if self.is_sym("(") && !matches!(self.peek_at(1), Tok::Word(w) if w.eq_ignore_ascii_case("select") || w.eq_ignore_ascii_case("with")) {
            self.advance();
            self.parse_comma_separated(|p| p.parse_identifier())?;
            self.expect_sym(")")?;
        }
        if self.eat_words(&["by", "name"]) {}
        self.parse_query()?;
        Self::unsupported(if overwrite { "INSERT OVERWRITE" } else { "INSERT INTO" })
    }

    /// `DELETE FROM t [alias] [WHERE cond]`.
    pub(crate) fn parse_delete(&mut self) -> ParseResult<Plan> {
        self.expect_word("delete")?;
        self.expect_word("from")?;
        self.parse_multipart_identifier()?;
        self.parse_optional_table_alias()?;
        if self.eat_word("where") {
            self.parse_expression()?;
        }
        Self::unsupported("DELETE FROM")
    }

    /// `UPDATE t [alias] SET c = v, ... [WHERE cond]`.
    pub(crate) fn parse_update(&mut self) -> ParseResult<Plan> {
        self.expect_word("update")?;
        self.parse_multipart_identifier()?;
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
        Self::unsupported("UPDATE")
    }

    /// `MERGE INTO t USING s ON cond WHEN [NOT] MATCHED ... THEN ...`.
    pub(crate) fn parse_merge(&mut self) -> ParseResult<Plan> {
        self.expect_word("merge")?;
        self.eat_words(&["with", "schema", "evolution"]);
        self.expect_word("into")?;
        self.parse_multipart_identifier()?;
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
        Self::unsupported("MERGE INTO")
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
        self.parse_multipart_identifier()?;
        if matches!(self.peek(), Tok::Eof | Tok::Sym(";")) {
            return self.error();
        }
        let _ = self.rest_as_text();
        Self::unsupported(what)
    }

    /// `DROP {TABLE | DATABASE | SCHEMA | FUNCTION} [IF EXISTS] name [CASCADE | PURGE]`.
    /// Without persistent tables, `DROP TABLE` can only name a temporary
    /// view, which Spark's `DROP TABLE` drops too.
    pub(crate) fn parse_drop_persistent(&mut self) -> ParseResult<Plan> {
        if self.eat_word("table") {
            let if_exists = self.eat_words(&["if", "exists"]);
            let name = self.parse_multipart_identifier()?;
            self.eat_word("purge");
            return Ok(Plan::Command(Command::DropView { name, if_exists }));
        }
        let what = if self.eat_word("database") || self.eat_word("schema") || self.eat_word("namespace") {
            "DROP DATABASE"
        } else if self.eat_word("function") || self.eat_words(&["temporary", "function"]) {
            "DROP FUNCTION"
        } else {
            return self.error();
        };
        self.eat_words(&["if", "exists"]);
        self.parse_multipart_identifier()?;
        let _ = self.eat_word("cascade") || self.eat_word("restrict") || self.eat_word("purge");
        Self::unsupported(what)
    }

    /// `TRUNCATE TABLE name [PARTITION (...)]`.
    pub(crate) fn parse_truncate(&mut self) -> ParseResult<Plan> {
        self.expect_word("truncate")?;
        self.expect_word("table")?;
        self.parse_multipart_identifier()?;
        if self.eat_word("partition") {
            self.skip_parenthesized()?;
        }
        Self::unsupported("TRUNCATE TABLE")
    }
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
    fn parses_then_declines() {
        assert_eq!(kind("CREATE TABLE t (a INT NOT NULL COMMENT 'x', b STRING) USING parquet PARTITIONED BY (b) LOCATION '/tmp/t'").as_deref(), Some("CREATE TABLE"));
        assert_eq!(kind("CREATE OR REPLACE TABLE t USING delta AS SELECT 1 AS a").as_deref(), Some("CREATE TABLE AS SELECT"));
        assert_eq!(kind("INSERT INTO t VALUES (1, 'a'), (2, 'b')").as_deref(), Some("INSERT INTO"));
        assert_eq!(kind("INSERT OVERWRITE TABLE t PARTITION (p = 1) SELECT * FROM s").as_deref(), Some("INSERT OVERWRITE"));
        assert_eq!(kind("UPDATE t SET a = a + 1 WHERE b = 'x'").as_deref(), Some("UPDATE"));
        assert_eq!(kind("DELETE FROM t WHERE a > 1").as_deref(), Some("DELETE FROM"));
        assert_eq!(kind("MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET *").as_deref(), Some("MERGE INTO"));
        assert!(matches!(parse_statement("DROP TABLE IF EXISTS db.t PURGE"), Ok(Plan::Command(Command::DropView { if_exists: true, .. }))));
        assert_eq!(kind("TRUNCATE TABLE t").as_deref(), Some("TRUNCATE TABLE"));
        assert_eq!(kind("CREATE DATABASE IF NOT EXISTS d COMMENT 'x'").as_deref(), Some("CREATE DATABASE"));
    }

    #[test]
    fn malformed_statements_are_parse_errors() {
        for sql in ["CREATE TABLE t (a)", "INSERT INTO t", "UPDATE t WHERE a = 1", "DELETE t", "DROP TABLE", "ALTER TABLE t", "MERGE INTO t USING s"] {
            assert!(parse_statement(sql).is_err(), "{sql}");
        }
    }
}
