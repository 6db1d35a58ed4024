//! Statements: queries plus the commands Spark runs eagerly.

use spark_plan::{Command, Plan, TimeZoneSetting};

use crate::lexer::Tok;
use crate::parser::Parser;
use crate::ParseResult;

impl Parser {
    pub fn parse_statement(&mut self) -> ParseResult<Plan> {
        let first = match self.peek() {
            Tok::Word(w) => w.to_ascii_lowercase(),
            Tok::Sym("(") => return Ok(Plan::Query(self.parse_query()?)),
            _ => return self.error(),
        };
        match first.as_str() {
            "select" | "with" | "values" | "from" | "table" => Ok(Plan::Query(self.parse_query()?)),
            "create" => self.parse_create(),
            "drop" => self.parse_drop(),
            "set" => self.parse_set(),
            "declare" => self.parse_declare(),
            "begin" => self.parse_script(),
            "comment" if self.is_word_at(1, "on") => self.parse_comment_on(),
            "execute" if self.is_word_at(1, "immediate") => self.parse_execute_immediate(),
            "reset" => {
                self.advance();
                let key = self.rest_as_text();
                Ok(Plan::Command(Command::ResetConf { key: (!key.is_empty()).then_some(key) }))
            }
            "use" => {
                self.advance();
                self.eat_word("database");
                self.eat_word("namespace");
                let name = self.parse_multipart_identifier()?;
                Ok(Plan::Command(Command::UseDatabase { name }))
            }
            "show" => self.parse_show(),
            "describe" | "desc" => self.parse_describe(),
            "explain" => {
                self.advance();
                let mode = ["extended", "formatted", "codegen", "cost", "logical"]
                    .into_iter()
                    .find(|m| self.eat_word(m))
                    .unwrap_or("simple")
                    .to_string();
                let input = self.parse_query()?;
                Ok(Plan::Command(Command::Explain { input: Box::new(input), mode }))
            }
            "cache" => {
                self.advance();
                self.eat_word("lazy");
                self.expect_word("table")?;
                let name = self.parse_multipart_identifier()?;
                if self.eat_word("options") {
                    self.expect_sym("(")?;
                    while !self.eat_sym(")") {
                        if matches!(self.advance(), Tok::Eof) {
                            return self.error();
                        }
                    }
                }
                let input = if self.eat_word("as") || self.is_word("select") || self.is_word("with") {
                    Some(Box::new(self.parse_query()?))
                } else {
                    None
                };
                Ok(Plan::Command(Command::CacheTable { name, input }))
            }
            "uncache" => {
                self.advance();
                self.expect_word("table")?;
                let if_exists = self.eat_words(&["if", "exists"]);
                let name = self.parse_multipart_identifier()?;
                Ok(Plan::Command(Command::UncacheTable { name, if_exists }))
            }
            "clear" if matches!(self.peek_at(1), Tok::Word(w) if w.eq_ignore_ascii_case("cache")) => {
                self.advance();
                self.advance();
                Ok(Plan::Command(Command::ClearCache))
            }
            "insert" => self.parse_insert(),
            "replace" => self.parse_replace_table(),
            "update" => self.parse_update(),
            "delete" => self.parse_delete(),
            "merge" => self.parse_merge(),
            "alter" => self.parse_alter(),
            "truncate" => self.parse_truncate(),
            "refresh" if matches!(self.peek_at(1), Tok::Str(_)) || !matches!(self.peek_at(1), Tok::Word(w) if w.eq_ignore_ascii_case("table") || w.eq_ignore_ascii_case("function")) => {
                let _ = self.rest_as_text();
                Ok(Plan::Command(Command::RefreshPath))
            }
            "refresh" if matches!(self.peek_at(1), Tok::Word(w) if w.eq_ignore_ascii_case("table")) => {
                self.advance();
                self.advance();
                let table = self.parse_multipart_identifier()?;
                Ok(Plan::Command(Command::TableMaintenance { table, operation: spark_plan::TableMaintenance::Refresh }))
            }
            "msck" => {
                self.advance();
                self.expect_word("repair")?;
                self.expect_word("table")?;
                let table = self.parse_multipart_identifier()?;
                if self.eat_word("add") || self.eat_word("drop") || self.eat_word("sync") {
                    self.expect_word("partitions")?;
                }
                Ok(Plan::Command(Command::TableMaintenance { table, operation: spark_plan::TableMaintenance::Repair }))
            }
            "analyze" if matches!(self.peek_at(1), Tok::Word(w) if w.eq_ignore_ascii_case("table")) => {
                self.advance();
                self.advance();
                let table = self.parse_multipart_identifier()?;
                let _ = self.rest_as_text();
                Ok(Plan::Command(Command::TableMaintenance { table, operation: spark_plan::TableMaintenance::Analyze }))
            }
            "analyze" | "refresh" | "load" | "add" | "list" => {
                let text = self.rest_as_text();
                Ok(Plan::Command(Command::NotSupported(text)))
            }
            _ => self.error(),
        }
    }

    /// The remaining tokens as text (for keys and unsupported statements).
    pub(crate) fn rest_as_text(&mut self) -> String {
        let mut parts = Vec::new();
        while !matches!(self.peek(), Tok::Eof | Tok::Sym(";")) {
            parts.push(match self.advance() {
                Tok::Word(w) | Tok::Number(w) => w,
                Tok::Quoted(q) => q,
                Tok::Str(s) => s,
                Tok::Sym(s) => s.to_string(),
                Tok::Hex(h) => h,
                Tok::NamedParam(n) => format!(":{n}"),
                Tok::PositionalParam => "?".into(),
                Tok::Eof => String::new(),
            });
        }
        let mut out = String::new();
        for p in parts {
            let glue = out.ends_with('.') || p == "." || out.is_empty();
            if !glue {
                out.push(' ');
            }
            out.push_str(&p);
        }
        out
    }

    fn parse_set(&mut self) -> ParseResult<Plan> {
        self.expect_word("set")?;
        if self.at_set_variable() {
            return self.parse_set_variables();
        }
        if self.eat_words(&["time", "zone"]) {
            let setting = match self.advance() {
                Tok::Str(s) => TimeZoneSetting::Zone(s),
                Tok::Word(w) if w.eq_ignore_ascii_case("local") => TimeZoneSetting::Local,
                Tok::Word(w) if w.eq_ignore_ascii_case("interval") => TimeZoneSetting::Zone(self.parse_zone_offset()?),
                _ => return self.error(),
            };
            return Ok(Plan::Command(Command::SetTimeZone(setting)));
        }
        if matches!(self.peek(), Tok::Eof) {
            return Ok(Plan::Command(Command::SetConf { key: None, value: None }));
        }
        // SET key = value: the key is everything before '=', the value everything after.
        let mut key = String::new();
        while !matches!(self.peek(), Tok::Eof | Tok::Sym("=") | Tok::Sym(";")) {
            match self.advance() {
                Tok::Word(w) | Tok::Number(w) | Tok::Quoted(w) => key.push_str(&w),
                Tok::Sym(s) => key.push_str(s),
                _ => return self.error(),
            }
        }
        if key == "-v" {
            return Ok(Plan::Command(Command::SetConf { key: None, value: None }));
        }
        if self.eat_sym("=") {
            // The value as written, quotes included, as Spark keeps it
            // (`America/Los_Angeles`, `1g`, `'x'`).
            let from = self.position();
            while !matches!(self.peek(), Tok::Eof | Tok::Sym(";")) {
                self.advance();
            }
            let value = self.source_between(from, self.position());
            return Ok(Plan::Command(Command::SetConf { key: Some(key), value: Some(value) }));
        }
        Ok(Plan::Command(Command::SetConf { key: Some(key), value: None }))
    }

    /// `SET TIME ZONE INTERVAL '+02:00' HOUR TO MINUTE` or
    /// `INTERVAL 2 HOURS [30 MINUTES]`: the offset as `+HH:MM`.
    fn parse_zone_offset(&mut self) -> ParseResult<String> {
        let invalid = || {
            crate::ParseError::other(
                "INVALID_INTERVAL_FORMAT.TIMEZONE_INTERVAL_OUT_OF_RANGE",
                "22006",
                "The interval value must be in the range of [-18, +18] hours with second precision.",
            )
        };
        let seconds: i64 = match self.peek().clone() {
            Tok::Str(text) => {
                self.advance();
                self.eat_words(&["hour", "to", "minute"]);
                self.eat_words(&["hour", "to", "second"]);
                let (sign, body) = match text.trim().strip_prefix('-') {
                    Some(b) => (-1, b.to_string()),
                    None => (1, text.trim().trim_start_matches('+').to_string()),
                };
                let parts: Vec<i64> = body.split(':').map(|p| p.trim().parse::<i64>()).collect::<Result<_, _>>().map_err(|_| invalid())?;
                let (h, m, s) = (parts.first().copied().unwrap_or(0), parts.get(1).copied().unwrap_or(0), parts.get(2).copied().unwrap_or(0));
                sign * (h * 3600 + m * 60 + s)
            }
            _ => {
                let mut total = 0i64;
                while let Tok::Number(n) = self.peek().clone() {
                    self.advance();
                    let n: i64 = n.parse().map_err(|_| invalid())?;
                    let unit = self.parse_identifier()?.to_ascii_lowercase();
                    total += n * match unit.trim_end_matches('s') {
                        "hour" => 3600,
                        "minute" => 60,
                        "second" => 1,
                        _ => return Err(invalid()),
                    };
                }
                total
            }
        };
        if seconds.abs() > 18 * 3600 {
            return Err(invalid());
        }
        let sign = if seconds < 0 { '-' } else { '+' };
        let a = seconds.abs();
        let (h, m, s) = (a / 3600, a % 3600 / 60, a % 60);
        Ok(if s == 0 { format!("{sign}{h:02}:{m:02}") } else { format!("{sign}{h:02}:{m:02}:{s:02}") })
    }

    fn parse_create(&mut self) -> ParseResult<Plan> {
        let start = self.position();
        self.expect_word("create")?;
        let replace = self.eat_words(&["or", "replace"]);
        let global = self.eat_word("global");
        let temp = self.eat_word("temporary") || self.eat_word("temp");
        if self.is_word("function") && !global {
            return self.parse_create_function(replace, temp, start);
        }
        if self.eat_word("view") {
            let if_not_exists = self.eat_words(&["if", "not", "exists"]);
            let name = self.parse_multipart_identifier()?;
            let mut cols = None;
            if self.eat_sym("(") {
                cols = Some(self.parse_comma_separated(|p| {
                    let n = p.parse_identifier()?;
                    if p.eat_word("comment") {
                        p.advance();
                    }
                    Ok(n)
                })?);
                self.expect_sym(")")?;
            }
            let mut comment = None;
            loop {
                if self.eat_word("comment") {
                    comment = Some(match self.advance() {
                        Tok::Str(s) => s,
                        _ => return self.error(),
                    });
                } else if self.eat_word("tblproperties") {
                    self.skip_parenthesized()?;
                } else {
                    break;
                }
            }
            self.expect_word("as")?;
            let start = self.position();
            let query = self.parse_query()?;
            let sql = self.source_between(start, self.position());
            let mut input = query.clone();
            if let Some(names) = cols.clone() {
                input = spark_plan::Relation::new(spark_plan::RelationKind::ToDf { input: Box::new(input), names });
            }
            if !temp {
                return Ok(Plan::Command(Command::CreatePersistentView(Box::new(spark_plan::CreatePersistentView {
                    name,
                    replace,
                    if_not_exists,
                    query: Box::new(query),
                    sql,
                    comment,
                    column_names: cols.unwrap_or_default(),
                }))));
            }
            let _ = if_not_exists;
            return Ok(Plan::Command(Command::CreateView { name, input: Box::new(input), replace, global }));
        }
        if let Some(plan) = self.parse_create_persistent(replace)? {
            return Ok(plan);
        }
        self.error()
    }

    fn parse_drop(&mut self) -> ParseResult<Plan> {
        self.expect_word("drop")?;
        if self.is_word("temporary") && (self.is_word_at(1, "variable") || self.is_word_at(1, "var")) {
            self.advance();
            return self.parse_drop_variable();
        }
        if self.eat_word("view") {
            let if_exists = self.eat_words(&["if", "exists"]);
            let name = self.parse_multipart_identifier()?;
            return Ok(Plan::Command(Command::DropView { name, if_exists }));
        }
        self.parse_drop_persistent()
    }

    fn parse_show(&mut self) -> ParseResult<Plan> {
        self.expect_word("show")?;
        let pattern = |p: &mut Parser| -> Option<String> {
            p.eat_word("like");
            match p.peek().clone() {
                Tok::Str(s) => {
                    p.advance();
                    Some(s)
                }
                _ => None,
            }
        };
        if self.eat_word("current") {
            if self.eat_word("namespace") || self.eat_word("database") || self.eat_word("schema") {
                return Ok(Plan::Command(Command::ShowCurrentNamespace));
            }
            return self.error();
        }
        if self.is_word("tables") || self.is_word("views") {
            let views = self.eat_word("views");
            if !views {
                self.advance();
            }
            let database = if self.eat_word("in") || self.eat_word("from") {
                Some(self.parse_multipart_identifier()?.join("."))
            } else {
                None
            };
            let pattern = pattern(self);
            return Ok(Plan::Command(if views { Command::ShowViews { database, pattern } } else { Command::ShowTables { database, pattern } }));
        }
        if self.eat_word("databases") || self.eat_word("namespaces") || self.eat_word("schemas") {
            let pattern = pattern(self);
            return Ok(Plan::Command(Command::ShowDatabases { pattern }));
        }
        if self.eat_word("catalogs") {
            let _ = pattern(self);
            return Ok(Plan::Command(Command::ShowCatalogs));
        }
        if self.eat_word("partitions") {
            let name = self.parse_multipart_identifier()?;
            if self.eat_word("partition") {
                return Ok(Plan::Command(Command::NotSupported("SHOW PARTITIONS ... PARTITION".into())));
            }
            return Ok(Plan::Command(Command::ShowPartitions { name }));
        }
        if self.eat_word("tblproperties") {
            let name = self.parse_multipart_identifier()?;
            let key = if self.is_sym("(") { self.parse_property_list_keys()?.into_iter().next() } else { None };
            return Ok(Plan::Command(Command::ShowTableProperties { name, key }));
        }
        if self.eat_words(&["create", "table"]) {
            let name = self.parse_multipart_identifier()?;
            self.eat_words(&["as", "serde"]);
            return Ok(Plan::Command(Command::ShowCreateTable { name }));
        }
        if self.eat_word("columns") {
            if !(self.eat_word("in") || self.eat_word("from")) {
                return self.error();
            }
            let table = self.parse_multipart_identifier()?;
            return Ok(Plan::Command(Command::ShowColumns { table }));
        }
        let scope = if self.eat_words(&["user", "functions"]) {
            Some((true, false))
        } else if self.eat_words(&["system", "functions"]) {
            Some((false, true))
        } else if self.eat_word("functions") || self.eat_words(&["all", "functions"]) {
            Some((true, true))
        } else {
            None
        };
        if let Some((user, system)) = scope {
            let pattern = pattern(self);
            return Ok(Plan::Command(Command::ShowFunctions { pattern, user, system }));
        }
        let text = self.rest_as_text();
        Ok(Plan::Command(Command::NotSupported(format!("SHOW {text}"))))
    }

    fn parse_describe(&mut self) -> ParseResult<Plan> {
        self.advance();
        if self.eat_word("query") || self.is_word("select") || self.is_word("with") {
            let input = self.parse_query()?;
            return Ok(Plan::Command(Command::DescribeQuery { input: Box::new(input) }));
        }
        if self.eat_word("function") {
            let extended = self.eat_word("extended");
            // Any name, keyword or operator (`DESCRIBE FUNCTION +`), or a string.
            let name = match self.peek().clone() {
                Tok::Str(s) => {
                    self.advance();
                    s
                }
                _ => self.rest_as_text(),
            };
            if name.is_empty() {
                return self.error();
            }
            return Ok(Plan::Command(Command::DescribeFunction { name, extended }));
        }
        if self.eat_word("database") || self.eat_word("schema") || self.eat_word("namespace") {
            let extended = self.eat_word("extended");
            let name = self.parse_multipart_identifier()?;
            return Ok(Plan::Command(Command::DescribeDatabase { name, extended }));
        }
        self.eat_word("table");
        let extended = self.eat_word("extended") || self.eat_word("formatted");
        let table = self.parse_multipart_identifier()?;
        if matches!(self.peek(), Tok::Eof | Tok::Sym(";")) {
            return Ok(Plan::Command(Command::DescribeTable { table, extended }));
        }
        let column = self.parse_multipart_identifier()?;
        Ok(Plan::Command(Command::DescribeColumn { table, column, extended }))
    }
}
