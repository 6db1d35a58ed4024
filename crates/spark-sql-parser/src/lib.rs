//! The Spark SQL parser: turns SQL text (statements, expression strings such as
//! `selectExpr("a + 1")`, and DDL type strings such as `"a int, b string"`)
//! into the unresolved plan of `spark-plan`, the same representation that
//! DataFrame calls produce. Spark's `SqlBaseParser.g4` is the reference grammar.

mod data_type;
mod ddl;
mod error;
mod expression;
mod function_call;
mod identifier;
mod lexer;
mod literal;
mod parser;
mod pipe;
mod query;
mod script;
mod sql_function;
mod statement;
mod variable;

pub use error::{ParseError, ParseResult};
pub use identifier::parse_identifier_parts;
pub use variable::split_arguments;

use spark_plan::{DataType, Expr, Plan};

/// Parses one SQL statement.
pub fn parse_statement(sql: &str) -> ParseResult<Plan> {
    parse_statement_with_args(sql, Default::default(), vec![], &ParseOptions::default())
}

/// Parses a SQL expression string, as used by `expr()` and `selectExpr()`.
pub fn parse_expression(sql: &str) -> ParseResult<Expr> {
    parse_expression_with(sql, &ParseOptions::default())
}

pub fn parse_expression_with(sql: &str, options: &ParseOptions) -> ParseResult<Expr> {
    let mut p = parser::Parser::new_with(sql, options)?;
    let e = p.parse_named_expression()?;
    p.expect_eof()?;
    spark_plan::limits::check_expression(&e).map_err(parser::too_deep)?;
    Ok(e)
}

/// Parses a data type (`int`, `array<string>`, `decimal(10,2)`) or, failing
/// that, a schema in DDL form (`a int, b string`), as `DataType.fromDDL` does.
pub fn parse_data_type(sql: &str) -> ParseResult<DataType> {
    if let Ok(t) = parser::Parser::new(sql).and_then(|mut p| {
        let t = p.parse_data_type()?;
        p.expect_eof()?;
        Ok(t)
    }) {
        return Ok(t);
    }
    parse_schema(sql)
}

/// Parses a DDL schema string (`a int, b string not null`) into a struct type.
pub fn parse_schema(sql: &str) -> ParseResult<DataType> {
    let mut p = parser::Parser::new(sql)?;
    let t = p.parse_schema()?;
    p.expect_eof()?;
    Ok(t)
}

/// Session settings that change how SQL text reads.
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    /// `spark.sql.parser.escapedStringLiterals`: string literals keep their
    /// backslashes (Spark 1.6 behaviour).
    pub escaped_string_literals: bool,
}

/// Parses one SQL statement with `spark.sql(query, args)` parameters bound:
/// named (`:name`) and positional (`?`) markers become the given expressions.
pub fn parse_statement_with_args(
    sql: &str,
    named: std::collections::HashMap<String, Expr>,
    positional: Vec<Expr>,
    options: &ParseOptions,
) -> ParseResult<Plan> {
    let mut p = parser::Parser::new_with(sql, options)?.with_args(named, positional);
    let plan = p.parse_statement()?;
    p.skip_semicolons();
    p.expect_eof()?;
    // Operator chains (`a + b + c ...`) nest without recursing; the built
    // plan is checked as a whole.
    match &plan {
        Plan::Query(r) => spark_plan::limits::check(r),
        Plan::Command(c) => spark_plan::limits::check_command(c),
    }
    .map_err(parser::too_deep)?;
    Ok(plan)
}

