//! `CREATE [OR REPLACE] [TEMPORARY] FUNCTION name(params) [RETURNS type]
//! [characteristics] RETURN body` and `DROP [TEMPORARY] FUNCTION`.

use spark_plan::{Command, CreateSqlFunction, Expr, Plan, SqlFunction, SqlFunctionParam};

use crate::lexer::Tok;
use crate::parser::Parser;
use crate::{ParseError, ParseResult};

impl Parser {
    /// After `CREATE [OR REPLACE] [TEMPORARY]`, at `FUNCTION`.
    pub(crate) fn parse_create_function(&mut self, replace: bool, temporary: bool, start: usize) -> ParseResult<Plan> {
        self.expect_word("function")?;
        let if_not_exists = self.eat_words(&["if", "not", "exists"]);
        let name = self.parse_multipart_identifier()?;
        if self.eat_word("as") {
            // `CREATE FUNCTION f AS 'com.example.Udf'`: a JVM class.
            let _ = self.rest_as_text();
            return Ok(Plan::Command(Command::NotSupported("CREATE FUNCTION ... AS '<JVM class>' (functions implemented by JVM classes)".into())));
        }
        if temporary && if_not_exists {
            return Err(ParseError::other(
                "INVALID_SQL_SYNTAX.CREATE_TEMP_FUNC_WITH_IF_NOT_EXISTS",
                "42000",
                "Invalid SQL syntax: CREATE TEMPORARY FUNCTION with IF NOT EXISTS is not allowed.",
            ));
        }
        self.expect_sym("(")?;
        let params = if self.eat_sym(")") {
            vec![]
        } else {
            let params = self.parse_comma_separated(|p| p.parse_function_param())?;
            self.expect_sym(")")?;
            params
        };
        let mut returns = None;
        if self.eat_word("returns") {
            if self.eat_word("table") {
                let _ = self.rest_as_text();
                return Ok(Plan::Command(Command::NotSupported("CREATE FUNCTION ... RETURNS TABLE (SQL table functions)".into())));
            }
            returns = Some(self.parse_data_type()?);
        }
        let mut function = SqlFunction {
            name: name.last().cloned().unwrap_or_default(),
            params,
            returns,
            body: Expr::Literal(spark_plan::Literal::Null(spark_plan::DataType::Null)),
            comment: None,
            deterministic: true,
            data_access: "CONTAINS SQL".into(),
        };
        loop {
            if self.eat_word("language") {
                if !self.eat_word("sql") {
                    let _ = self.rest_as_text();
                    return Ok(Plan::Command(Command::NotSupported("CREATE FUNCTION ... LANGUAGE other than SQL".into())));
                }
            } else if self.eat_word("deterministic") {
                function.deterministic = true;
            } else if self.eat_words(&["not", "deterministic"]) {
                function.deterministic = false;
            } else if self.eat_word("comment") {
                function.comment = Some(self.parse_string_literal()?);
            } else if self.eat_words(&["contains", "sql"]) {
                function.data_access = "CONTAINS SQL".into();
            } else if self.eat_words(&["reads", "sql", "data"]) {
                function.data_access = "READS SQL DATA".into();
            } else if self.eat_words(&["sql", "security"]) {
                if !self.eat_word("definer") {
                    self.expect_word("invoker")?;
                }
            } else {
                break;
            }
        }
        self.expect_word("return")?;
        function.body = if ["select", "with", "from", "values", "table"].iter().any(|w| self.is_word(w)) {
            Expr::ScalarSubquery(Box::new(self.parse_query()?))
        } else {
            self.parse_expression()?
        };
        let database = (name.len() > 1).then(|| name[name.len() - 2].clone());
        let sql = self.source_between(start, self.position());
        let create = CreateSqlFunction { function, database, sql, replace, temporary, if_not_exists };
        Ok(Plan::Command(Command::CreateSqlFunction(Box::new(create))))
    }

    /// `name type [DEFAULT expr] [COMMENT 'text']`.
    fn parse_function_param(&mut self) -> ParseResult<SqlFunctionParam> {
        let name = self.parse_identifier()?;
        let data_type = self.parse_data_type()?;
        let mut param = SqlFunctionParam { name, data_type, default: None, comment: None };
        loop {
            if self.eat_word("default") {
                param.default = Some(self.parse_expression()?);
            } else if self.eat_word("comment") {
                param.comment = Some(self.parse_string_literal()?);
            } else {
                return Ok(param);
            }
        }
    }

    /// After `DROP`: `[TEMPORARY] FUNCTION [IF EXISTS] name`.
    pub(crate) fn parse_drop_function(&mut self) -> ParseResult<Plan> {
        let temporary = self.eat_word("temporary");
        self.expect_word("function")?;
        let if_exists = self.eat_words(&["if", "exists"]);
        let name = self.parse_multipart_identifier()?;
        Ok(Plan::Command(Command::DropFunction { name, temporary, if_exists }))
    }

    fn parse_string_literal(&mut self) -> ParseResult<String> {
        match self.advance() {
            Tok::Str(s) => Ok(s),
            _ => self.error(),
        }
    }
}
