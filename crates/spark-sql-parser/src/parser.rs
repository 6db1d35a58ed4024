//! The token cursor shared by the grammar modules (`expression`, `query`,
//! `statement`, `data_type`), which each add `impl Parser` blocks.

use std::collections::HashMap;

use spark_plan::Expr;

use crate::lexer::{Tok, Token};
use crate::{ParseError, ParseResult};

pub struct Parser {
    /// The SQL text (for the text of persistent views).
    source: String,
    tokens: Vec<Token>,
    pos: usize,
    /// Nesting so far: deep input is parsed recursively and stops at
    /// `spark_plan::limits` with PARSE_STACK_OVERFLOW.
    depth: spark_plan::limits::DepthGuard,
    pub(crate) named_args: HashMap<String, Expr>,
    pub(crate) positional_args: Vec<Expr>,
    pub(crate) next_positional: usize,
    /// The parameters of the lambdas being parsed: names a lambda body may
    /// use even when they are keywords (`(left, right) -> left < right`).
    pub(crate) lambda_params: Vec<String>,
}

impl Parser {
    pub fn new(sql: &str) -> ParseResult<Self> {
        Self::new_with(sql, &crate::ParseOptions::default())
    }

    pub fn new_with(sql: &str, options: &crate::ParseOptions) -> ParseResult<Self> {
        Ok(Self {
            source: sql.to_string(),
            tokens: crate::lexer::tokenize_with(sql, options.escaped_string_literals)?,
            pos: 0,
            depth: Default::default(),
            named_args: HashMap::new(),
            lambda_params: Vec::new(),
            positional_args: Vec::new(),
            next_positional: 0,
        })
    }

    pub fn with_args(mut self, named: HashMap<String, Expr>, positional: Vec<Expr>) -> Self {
        self.named_args = named;
        self.positional_args = positional;
        self
    }

    /// The SQL text from token `from` up to (not including) token `to`.
    pub(crate) fn source_between(&self, from: usize, to: usize) -> String {
        let start = self.tokens.get(from).map(|t| t.pos).unwrap_or(0);
        let end = self.tokens.get(to).map(|t| t.pos).unwrap_or(usize::MAX);
        let text: String = self.source.chars().skip(start).take(end.saturating_sub(start)).collect();
        text.trim().trim_end_matches(';').trim().to_string()
    }

    pub(crate) fn enter_relation(&mut self) -> ParseResult<()> {
        self.depth.enter_relation().map_err(too_deep)
    }

    pub(crate) fn leave_relation(&mut self) {
        self.depth.leave_relation();
    }

    pub(crate) fn enter_expression(&mut self) -> ParseResult<()> {
        self.depth.enter_expression().map_err(too_deep)
    }

    pub(crate) fn leave_expression(&mut self) {
        self.depth.leave_expression();
    }

    pub(crate) fn peek(&self) -> &Tok {
        self.peek_at(0)
    }

    pub(crate) fn peek_at(&self, n: usize) -> &Tok {
        let i = (self.pos + n).min(self.tokens.len().saturating_sub(1));
        self.tokens.get(i).map(|t| &t.tok).unwrap_or(&Tok::Eof)
    }

    pub(crate) fn advance(&mut self) -> Tok {
        let t = self.peek().clone();
        if self.pos < self.tokens.len().saturating_sub(1) {
            self.pos += 1;
        }
        t
    }

    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    pub(crate) fn reset(&mut self, pos: usize) {
        self.pos = pos;
    }

    /// The syntax error Spark reports: "Syntax error at or near <token>".
    pub(crate) fn error<T>(&self) -> ParseResult<T> {
        let tok = self.tokens.get(self.pos);
        let token = match tok.map(|t| &t.tok) {
            Some(Tok::Eof) | None => "end of input".to_string(),
            Some(_) => format!("'{}'", tok.map(|t| t.text.as_str()).unwrap_or_default()),
        };
        Err(ParseError::Syntax { token, position: tok.map(|t| t.pos).unwrap_or(0) })
    }

    pub(crate) fn is_word(&self, kw: &str) -> bool {
        matches!(self.peek(), Tok::Word(w) if w.eq_ignore_ascii_case(kw))
    }

    pub(crate) fn is_word_at(&self, n: usize, kw: &str) -> bool {
        matches!(self.peek_at(n), Tok::Word(w) if w.eq_ignore_ascii_case(kw))
    }

    pub(crate) fn eat_word(&mut self, kw: &str) -> bool {
        if self.is_word(kw) {
            self.advance();
            true
        } else {
            false
        }
    }

    /// Consumes a sequence of keywords, or nothing.
    pub(crate) fn eat_words(&mut self, kws: &[&str]) -> bool {
        if kws.iter().enumerate().all(|(i, k)| self.is_word_at(i, k)) {
            for _ in kws {
                self.advance();
            }
            true
        } else {
            false
        }
    }

    pub(crate) fn expect_word(&mut self, kw: &str) -> ParseResult<()> {
        if self.eat_word(kw) { Ok(()) } else { self.error() }
    }

    pub(crate) fn is_sym(&self, s: &str) -> bool {
        matches!(self.peek(), Tok::Sym(x) if *x == s)
    }

    pub(crate) fn eat_sym(&mut self, s: &str) -> bool {
        if self.is_sym(s) {
            self.advance();
            true
        } else {
            false
        }
    }

    pub(crate) fn expect_sym(&mut self, s: &str) -> ParseResult<()> {
        if self.eat_sym(s) { Ok(()) } else { self.error() }
    }

    pub fn expect_eof(&mut self) -> ParseResult<()> {
        if matches!(self.peek(), Tok::Eof) { Ok(()) } else { self.error() }
    }

    pub fn skip_semicolons(&mut self) {
        while self.eat_sym(";") {}
    }

    /// An identifier: a word that is not a reserved keyword here, or a quoted name.
    pub(crate) fn parse_identifier(&mut self) -> ParseResult<String> {
        match self.peek().clone() {
            Tok::Quoted(s) => {
                self.advance();
                Ok(s)
            }
            Tok::Word(w) if !is_reserved(&w) => {
                self.advance();
                Ok(w)
            }
            _ => self.error(),
        }
    }

    /// `a.b.c` as parts.
    pub(crate) fn parse_multipart_identifier(&mut self) -> ParseResult<Vec<String>> {
        if let Some(parts) = self.parse_identifier_clause()? {
            return Ok(parts);
        }
        let mut parts = vec![self.parse_identifier()?];
        while self.is_sym(".") && matches!(self.peek_at(1), Tok::Word(_) | Tok::Quoted(_)) {
            self.advance();
            parts.push(self.parse_identifier_or_keyword()?);
        }
        Ok(parts)
    }

    /// `IDENTIFIER('a.b')` (or of a parameter): the name parts of a constant
    /// string. `None` when the next tokens are not that clause.
    pub(crate) fn parse_identifier_clause(&mut self) -> ParseResult<Option<Vec<String>>> {
        let is_clause = matches!(self.peek(), Tok::Word(w) if w.eq_ignore_ascii_case("identifier"))
            && matches!(self.peek_at(1), Tok::Sym("("))
            && matches!(self.peek_at(2), Tok::Str(_) | Tok::NamedParam(_) | Tok::PositionalParam);
        if !is_clause {
            return Ok(None);
        }
        self.advance();
        self.advance();
        let text = match self.parse_expression()? {
            Expr::Literal(spark_plan::Literal::String(s)) => s,
            _ => {
                return Err(crate::ParseError::other(
                    "NOT_A_CONSTANT_STRING.WRONG_TYPE",
                    "42601",
                    "The expression used for the routine or clause IDENTIFIER must be a constant STRING.",
                ));
            }
        };
        self.expect_sym(")")?;
        crate::identifier::parse_identifier_parts(&text).map(Some)
    }

    /// After a dot any word is a name, reserved or not.
    pub(crate) fn parse_identifier_or_keyword(&mut self) -> ParseResult<String> {
        match self.peek().clone() {
            Tok::Quoted(s) | Tok::Word(s) => {
                self.advance();
                Ok(s)
            }
            _ => self.error(),
        }
    }

    pub(crate) fn parse_comma_separated<T>(
        &mut self,
        mut f: impl FnMut(&mut Self) -> ParseResult<T>,
    ) -> ParseResult<Vec<T>> {
        let mut out = vec![f(self)?];
        while self.eat_sym(",") {
            out.push(f(self)?);
        }
        Ok(out)
    }

    /// The `n` of `MAX RECURSION LEVEL n`: a non-negative integer.
    pub(crate) fn parse_recursion_level(&mut self) -> ParseResult<u32> {
        match self.peek().clone() {
            Tok::Number(n) => match n.parse::<u32>() {
                Ok(v) => {
                    self.advance();
                    Ok(v)
                }
                Err(_) => self.error(),
            },
            _ => self.error(),
        }
    }

    pub(crate) fn parse_integer(&mut self) -> ParseResult<i64> {
        let neg = self.eat_sym("-");
        match self.peek().clone() {
            Tok::Number(n) => match n.parse::<i64>() {
                Ok(v) => {
                    self.advance();
                    Ok(if neg { -v } else { v })
                }
                Err(_) => self.error(),
            },
            _ => self.error(),
        }
    }
}

/// Words that cannot be used as bare identifiers in the positions where the
/// grammar would otherwise be ambiguous (Spark's strict non-reserved list
/// plus the clause keywords).
pub(crate) fn is_reserved(word: &str) -> bool {
    const RESERVED: [&str; 44] = [
        "select", "from", "where", "group", "having", "order", "limit", "offset", "union",
        "intersect", "except", "minus", "join", "inner", "left", "right", "full", "cross",
        "natural", "on", "using", "as", "and", "or", "not", "is", "in", "between", "like", "rlike",
        "ilike", "case", "when", "then", "else", "end", "window", "lateral", "semi", "anti",
        "qualify", "distinct", "all", "with",
    ];
    RESERVED.iter().any(|r| r.eq_ignore_ascii_case(word))
}

impl Parser {
    /// Replaces a `>>` token with a single `>` (closing nested type brackets).
    /// `:name` lexed as a named parameter where a `:` separator was meant
    /// (`struct<a:int>`): the token becomes the word after the colon.
    pub(crate) fn eat_colon_glued_word(&mut self) -> bool {
        if let Some(t) = self.tokens.get_mut(self.pos) {
            if let Tok::NamedParam(name) = &t.tok {
                let name = name.clone();
                t.text = name.clone();
                t.tok = Tok::Word(name);
                t.pos += 1;
                return true;
            }
        }
        false
    }

    pub(crate) fn split_shift_right(&mut self) {
        if let Some(t) = self.tokens.get_mut(self.pos) {
            t.tok = Tok::Sym(">");
            t.text = ">".into();
            t.pos += 1;
        }
    }
}

/// SQL nested beyond `spark_plan::limits`.
pub(crate) fn too_deep(_: spark_plan::limits::TooDeep) -> ParseError {
    ParseError::other("PARSE_STACK_OVERFLOW", "54001", "The SQL statement is nested too deeply to be parsed.")
}
