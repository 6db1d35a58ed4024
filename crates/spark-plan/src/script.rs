//! SQL scripts: `BEGIN ... END` compound statements with local variables,
//! conditions and loops (Spark 4's SQL scripting).

use crate::{Expr, Plan, Relation, VariableValues};

#[derive(Debug, Clone, PartialEq)]
pub enum ScriptStatement {
    /// Any single statement; a `DECLARE` declares a variable local to its
    /// block.
    Statement(Plan),
    /// `SET v = e, ...` (or `SET (a, b) = (query)`) inside a script.
    Assign { names: Vec<Vec<String>>, values: VariableValues },
    /// `[label:] BEGIN ... END`: a scope for its declarations.
    Block { label: Option<String>, body: Vec<ScriptStatement> },
    /// `IF c THEN ... [ELSEIF c THEN ...] [ELSE ...] END IF`; a `CASE`
    /// statement reads as one too.
    If { branches: Vec<(Expr, Vec<ScriptStatement>)>, otherwise: Vec<ScriptStatement> },
    While { label: Option<String>, condition: Expr, body: Vec<ScriptStatement> },
    /// `REPEAT ... UNTIL c END REPEAT`: the body runs at least once.
    Repeat { label: Option<String>, body: Vec<ScriptStatement>, until: Expr },
    Loop { label: Option<String>, body: Vec<ScriptStatement> },
    /// `FOR [v AS] query DO ... END FOR`: the body once per row, with the
    /// row's columns (and the row as `v`) as variables.
    For { label: Option<String>, variable: Option<String>, query: Box<Relation>, body: Vec<ScriptStatement> },
    /// `LEAVE label`: out of the labelled block or loop.
    Leave(String),
    /// `ITERATE label`: the next round of the labelled loop.
    Iterate(String),
}
