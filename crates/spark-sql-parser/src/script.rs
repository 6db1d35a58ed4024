//! SQL scripts: `[label:] BEGIN [NOT ATOMIC] statement; ... END`, with the
//! statements only scripts have (`IF`, `CASE`, `WHILE`, `REPEAT`, `LOOP`,
//! `FOR`, `LEAVE`, `ITERATE`, `SET v = e`).

use spark_plan::{Command, Expr, Plan, ScriptStatement};

use crate::lexer::Tok;
use crate::parser::Parser;
use crate::{ParseError, ParseResult};

impl Parser {
    /// A whole script, at `BEGIN`.
    pub(crate) fn parse_script(&mut self) -> ParseResult<Plan> {
        let block = self.parse_block(None)?;
        Ok(Plan::Command(Command::Script(Box::new(block))))
    }

    fn parse_block(&mut self, label: Option<String>) -> ParseResult<ScriptStatement> {
        self.expect_word("begin")?;
        self.eat_words(&["not", "atomic"]);
        let body = self.parse_script_body(&["end"])?;
        // Declarations open a block, before any other statement.
        if let Some(late) = body.iter().skip_while(|s| is_declaration(s)).find_map(declared_name) {
            return Err(invalid_declaration("ONLY_AT_BEGINNING", "can only be declared at the beginning of the compound", &late));
        }
        self.expect_word("end")?;
        self.parse_end_label(&label)?;
        Ok(ScriptStatement::Block { label, body })
    }

    /// The body of an IF, CASE or loop, where nothing may be declared.
    fn parse_inner_body(&mut self, closers: &[&str]) -> ParseResult<Vec<ScriptStatement>> {
        let body = self.parse_script_body(closers)?;
        if let Some(name) = body.iter().find_map(declared_name) {
            return Err(invalid_declaration("NOT_ALLOWED_IN_SCOPE", "is not allowed in this scope", &name));
        }
        Ok(body)
    }

    /// Statements, each ended by `;`, up to one of the `closers`.
    fn parse_script_body(&mut self, closers: &[&str]) -> ParseResult<Vec<ScriptStatement>> {
        let mut body = Vec::new();
        while !closers.iter().any(|w| self.is_word(w)) {
            if matches!(self.peek(), Tok::Eof) {
                return self.error();
            }
            body.push(self.parse_script_statement()?);
            self.expect_sym(";")?;
        }
        Ok(body)
    }

    /// `END LOOP lbl`: the closing label, when given, repeats the opening one.
    fn parse_end_label(&mut self, label: &Option<String>) -> ParseResult<()> {
        if let (Some(l), Tok::Word(w)) = (label, self.peek().clone()) {
            if w.eq_ignore_ascii_case(l) {
                self.advance();
            }
        }
        Ok(())
    }

    fn parse_script_statement(&mut self) -> ParseResult<ScriptStatement> {
        // `lbl: WHILE ...`
        let label = match (self.peek().clone(), self.peek_at(1)) {
            (Tok::Word(w), Tok::Sym(":")) if !crate::parser::is_reserved(&w) => {
                self.advance();
                self.advance();
                Some(w)
            }
            _ => None,
        };
        if self.is_word("begin") {
            return self.parse_block(label);
        }
        if self.eat_word("while") {
            let condition = self.parse_expression()?;
            self.expect_word("do")?;
            let body = self.parse_inner_body(&["end"])?;
            self.expect_words(&["end", "while"])?;
            self.parse_end_label(&label)?;
            return Ok(ScriptStatement::While { label, condition, body });
        }
        if self.eat_word("repeat") {
            let body = self.parse_inner_body(&["until"])?;
            self.expect_word("until")?;
            let until = self.parse_expression()?;
            self.expect_words(&["end", "repeat"])?;
            self.parse_end_label(&label)?;
            return Ok(ScriptStatement::Repeat { label, body, until });
        }
        if self.eat_word("loop") {
            let body = self.parse_inner_body(&["end"])?;
            self.expect_words(&["end", "loop"])?;
            self.parse_end_label(&label)?;
            return Ok(ScriptStatement::Loop { label, body });
        }
        if self.eat_word("for") {
            let variable = if matches!(self.peek_at(1), Tok::Word(w) if w.eq_ignore_ascii_case("as")) {
                let v = self.parse_identifier()?;
                self.expect_word("as")?;
                Some(v)
            } else {
                None
            };
            let query = self.parse_query()?;
            self.expect_word("do")?;
            let body = self.parse_inner_body(&["end"])?;
            self.expect_words(&["end", "for"])?;
            self.parse_end_label(&label)?;
            return Ok(ScriptStatement::For { label, variable, query: Box::new(query), body });
        }
        if label.is_some() {
            return self.error();
        }
        if self.eat_word("if") {
            let mut branches = Vec::new();
            let mut otherwise = Vec::new();
            loop {
                let condition = self.parse_expression()?;
                self.expect_word("then")?;
                branches.push((condition, self.parse_inner_body(&["elseif", "else", "end"])?));
                if self.eat_word("elseif") {
                    continue;
                }
                if self.eat_word("else") {
                    otherwise = self.parse_inner_body(&["end"])?;
                }
                break;
            }
            self.expect_words(&["end", "if"])?;
            return Ok(ScriptStatement::If { branches, otherwise });
        }
        if self.eat_word("case") {
            return self.parse_case_statement();
        }
        if self.eat_word("leave") {
            return Ok(ScriptStatement::Leave(self.parse_identifier()?));
        }
        if self.eat_word("iterate") {
            return Ok(ScriptStatement::Iterate(self.parse_identifier()?));
        }
        if self.is_word("set") && self.at_script_assignment() {
            self.advance();
            return self.parse_script_assignment();
        }
        Ok(ScriptStatement::Statement(self.parse_statement()?))
    }

    /// `CASE [x] WHEN v THEN ... [ELSE ...] END CASE`, as an IF chain.
    fn parse_case_statement(&mut self) -> ParseResult<ScriptStatement> {
        let subject = if self.is_word("when") { None } else { Some(self.parse_expression()?) };
        let mut branches = Vec::new();
        while self.eat_word("when") {
            let value = self.parse_expression()?;
            let condition = match &subject {
                Some(s) => Expr::func("==", vec![s.clone(), value]),
                None => value,
            };
            self.expect_word("then")?;
            branches.push((condition, self.parse_inner_body(&["when", "else", "end"])?));
        }
        let otherwise = if self.eat_word("else") { self.parse_inner_body(&["end"])? } else { vec![] };
        self.expect_words(&["end", "case"])?;
        Ok(ScriptStatement::If { branches, otherwise })
    }

    /// At `SET`: a variable assignment rather than a conf (`SET x = ...`,
    /// `SET (a, b) = ...`, `SET VAR ...`).
    fn at_script_assignment(&self) -> bool {
        match (self.peek_at(1), self.peek_at(2)) {
            (Tok::Sym("("), _) => true,
            (Tok::Word(w), _) if w.eq_ignore_ascii_case("var") || w.eq_ignore_ascii_case("variable") => true,
            (Tok::Word(_) | Tok::Quoted(_), Tok::Sym("=")) => true,
            _ => false,
        }
    }

    fn parse_script_assignment(&mut self) -> ParseResult<ScriptStatement> {
        if self.is_word("var") || self.is_word("variable") {
            self.advance();
        }
        let (names, values) = self.parse_assignments()?;
        Ok(ScriptStatement::Assign { names, values })
    }

    fn expect_words(&mut self, words: &[&str]) -> ParseResult<()> {
        for w in words {
            self.expect_word(w)?;
        }
        Ok(())
    }
}

fn is_declaration(s: &ScriptStatement) -> bool {
    declared_name(s).is_some()
}

/// The first name a `DECLARE` statement declares.
fn declared_name(s: &ScriptStatement) -> Option<String> {
    match s {
        ScriptStatement::Statement(Plan::Command(Command::DeclareVariable(d))) => d.names.first().and_then(|n| n.last().cloned()),
        _ => None,
    }
}

fn invalid_declaration(kind: &str, what: &str, name: &str) -> ParseError {
    let message = if kind == "ONLY_AT_BEGINNING" {
        format!("Invalid variable declaration. Variable `{name}` {what}.")
    } else {
        format!("Invalid variable declaration. Declaration of the variable `{name}` {what}.")
    };
    ParseError::other(&format!("INVALID_VARIABLE_DECLARATION.{kind}"), "42K0M", message)
}

#[cfg(test)]
mod tests {
    use spark_plan::{Command, Plan, ScriptStatement};

    use crate::parse_statement;

    fn body(sql: &str) -> Vec<ScriptStatement> {
        match parse_statement(sql) {
            Ok(Plan::Command(Command::Script(s))) => match *s {
                ScriptStatement::Block { body, .. } => body,
                _ => vec![],
            },
            other => panic!("{sql}: {other:?}"),
        }
    }

    #[test]
    fn statements_of_scripts() {
        let b = body("BEGIN DECLARE x INT DEFAULT 1; SET x = x + 1; SELECT x; END");
        assert!(matches!(b.as_slice(), [ScriptStatement::Statement(_), ScriptStatement::Assign { .. }, ScriptStatement::Statement(Plan::Query(_))]));
        let b = body("BEGIN FOR r AS SELECT id FROM range(4) DO SET c = c + r.id; END FOR; END");
        assert!(matches!(b.as_slice(), [ScriptStatement::For { variable: Some(_), .. }]));
        let b = body("BEGIN lbl: LOOP LEAVE lbl; END LOOP lbl; END");
        assert!(matches!(b.as_slice(), [ScriptStatement::Loop { label: Some(_), .. }]));
        let b = body("BEGIN CASE 1 WHEN 1 THEN SELECT 1; ELSE SELECT 2; END CASE; END");
        assert!(matches!(b.as_slice(), [ScriptStatement::If { .. }]));
        // A conf SET stays a conf.
        let b = body("BEGIN SET spark.sql.ansi.enabled = false; END");
        assert!(matches!(b.as_slice(), [ScriptStatement::Statement(Plan::Command(Command::SetConf { .. }))]));
    }
}
