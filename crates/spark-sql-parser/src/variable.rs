//! Session variables: `DECLARE`, `SET VAR`, `DROP TEMPORARY VARIABLE`, and
//! `EXECUTE IMMEDIATE`.

use spark_plan::{Command, DeclareVariable, ExecuteImmediate, Expr, Plan, VariableValues};

use crate::lexer::Tok;
use crate::parser::Parser;
use crate::ParseResult;

impl Parser {
    /// `DECLARE [OR REPLACE] [VARIABLE | VAR] name [, ...] [type] [DEFAULT | = expr]`.
    pub(crate) fn parse_declare(&mut self) -> ParseResult<Plan> {
        self.expect_word("declare")?;
        let replace = self.eat_words(&["or", "replace"]);
        if !self.eat_word("variable") {
            self.eat_word("var");
        }
        let names = self.parse_comma_separated(|p| p.parse_multipart_identifier())?;
        let at_default = |p: &Parser| p.is_word("default") || p.is_sym("=") || p.is_sym(";") || matches!(p.peek(), Tok::Eof);
        let data_type = if at_default(self) { None } else { Some(self.parse_data_type()?) };
        let default = if self.eat_word("default") || self.eat_sym("=") { Some(self.parse_expression()?) } else { None };
        if data_type.is_none() && default.is_none() {
            return self.error();
        }
        Ok(Plan::Command(Command::DeclareVariable(Box::new(DeclareVariable { names, data_type, default, replace }))))
    }

    /// After `SET`: is this `SET VAR[IABLE] ...` rather than a conf key?
    pub(crate) fn at_set_variable(&self) -> bool {
        (self.is_word("var") || self.is_word("variable")) && matches!(self.peek_at(1), Tok::Word(_) | Tok::Quoted(_) | Tok::Sym("("))
    }

    /// `VAR[IABLE] v = e [, ...]` or `VAR[IABLE] (v, ...) = (query)`.
    pub(crate) fn parse_set_variables(&mut self) -> ParseResult<Plan> {
        self.advance();
        let (names, values) = self.parse_assignments()?;
        Ok(Plan::Command(Command::SetVariables { names, values }))
    }

    /// `v = e [, ...]` or `(v, ...) = (query)`: what SET VAR (and a
    /// script's SET) assigns.
    pub(crate) fn parse_assignments(&mut self) -> ParseResult<(Vec<Vec<String>>, VariableValues)> {
        if self.eat_sym("(") {
            let names = self.parse_comma_separated(|p| p.parse_multipart_identifier())?;
            self.expect_sym(")")?;
            self.expect_sym("=")?;
            self.expect_sym("(")?;
            let query = self.parse_query()?;
            self.expect_sym(")")?;
            return Ok((names, VariableValues::Query(Box::new(query))));
        }
        let pairs = self.parse_comma_separated(|p| {
            let name = p.parse_multipart_identifier()?;
            p.expect_sym("=")?;
            Ok((name, p.parse_expression()?))
        })?;
        let (names, exprs) = pairs.into_iter().unzip();
        Ok((names, VariableValues::Exprs(exprs)))
    }

    /// After `DROP TEMPORARY`: `VARIABLE | VAR [IF EXISTS] name`.
    pub(crate) fn parse_drop_variable(&mut self) -> ParseResult<Plan> {
        if !self.eat_word("variable") {
            self.expect_word("var")?;
        }
        let if_exists = self.eat_words(&["if", "exists"]);
        let name = self.parse_multipart_identifier()?;
        Ok(Plan::Command(Command::DropVariable { name, if_exists }))
    }

    /// `EXECUTE IMMEDIATE text [INTO v, ...] [USING arg [AS name], ...]`.
    pub(crate) fn parse_execute_immediate(&mut self) -> ParseResult<Plan> {
        self.expect_word("execute")?;
        self.expect_word("immediate")?;
        let statement = self.parse_expression()?;
        let into = if self.eat_word("into") { self.parse_comma_separated(|p| p.parse_multipart_identifier())? } else { vec![] };
        let using = if self.eat_word("using") {
            self.parse_comma_separated(|p| {
                let e = p.parse_expression()?;
                p.parse_optional_alias(e)
            })?
        } else {
            vec![]
        };
        Ok(Plan::Command(Command::ExecuteImmediate(Box::new(ExecuteImmediate { statement, into, using }))))
    }
}

/// `EXECUTE IMMEDIATE` arguments as the parser binds markers: `(named, positional)`.
pub fn split_arguments(using: &[Expr]) -> (std::collections::HashMap<String, Expr>, Vec<Expr>) {
    let mut named = std::collections::HashMap::new();
    let mut positional = Vec::new();
    for arg in using {
        match arg {
            Expr::Alias { expr, names, .. } if names.len() == 1 => {
                named.insert(names[0].clone(), expr.as_ref().clone());
            }
            other => positional.push(other.clone()),
        }
    }
    (named, positional)
}
