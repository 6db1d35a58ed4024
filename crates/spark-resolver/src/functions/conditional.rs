//! Conditional functions: `CASE WHEN` (`when`), `if`, `coalesce` and its
//! aliases, `nullif`, `nvl2`, `nanvl`, `greatest` / `least`. Their branches
//! meet in one type, Spark's common type of the results.

use datafusion::logical_expr::Expr as DfExpr;
use datafusion::logical_expr::expr::Case;

use super::{Arity, Built, Call, Display, Nullable, Table, call_udf, f, registry_udf};
use crate::expression::casts_string;
use crate::resolver::Resolver;
use crate::ResolveResult;

/// `CASE WHEN c1 THEN v1 ... [ELSE e] END`: the arguments alternate
/// condition and value, with the ELSE value last when their count is odd.
fn when(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    // Every condition is a BOOLEAN (not even NULL or a string is cast).
    for (branch, i) in (0..c.args.len() - c.args.len() % 2).step_by(2).enumerate() {
        if c.types[i] != datafusion::arrow::datatypes::DataType::Boolean {
            let shown = case_name(c.name, &c.names);
            return Err(super::implicit_cast::type_mismatch_sql(&shown, branch, &c.names[i], &c.types[i], "\"BOOLEAN\""));
        }
    }
    let mut exprs = c.args.clone();
    let else_expr = if exprs.len() % 2 == 1 { exprs.pop() } else { None };
    let mut results: Vec<DfExpr> = exprs.iter().skip(1).step_by(2).cloned().collect();
    results.extend(else_expr.iter().cloned());
    let target = r.common_type(&results, c.scope)?;
    let to_target = |v: DfExpr| match &target {
        Some(t) => r.cast_if_needed(v, t, c.scope),
        None => Ok(v),
    };
    let mut whens = Vec::new();
    let mut it = exprs.into_iter();
    while let (Some(cond), Some(v)) = (it.next(), it.next()) {
        whens.push((Box::new(cond), Box::new(to_target(v)?)));
    }
    let else_expr = else_expr.map(to_target).transpose()?;
    let e = Built::new(DfExpr::Case(Case::new(None, whens, else_expr.map(Box::new))));
    Ok(if branch_casts_string(r, &results, &target, c)? { e.nullable(true) } else { e })
}

fn case_name(_: &str, names: &[String]) -> String {
    let mut n = String::from("CASE");
    for (i, pair) in names.chunks(2).enumerate() {
        if pair.len() == 2 {
            n.push_str(&format!(" WHEN {} THEN {}", pair[0], pair[1]));
        } else if i * 2 < names.len() {
            n.push_str(&format!(" ELSE {}", pair[0]));
        }
    }
    n.push_str(" END");
    n
}

/// NULL when a branch value can be, or when there is no ELSE.
fn case_nullable(args: &[bool]) -> bool {
    let has_else = args.len() % 2 == 1;
    let value_nullable = args.iter().enumerate().any(|(i, n)| *n && (i % 2 == 1 || (has_else && i == args.len() - 1)));
    value_nullable || !has_else
}

fn if_then_else(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let (a, b) = match r.common_type(&c.args[1..], c.scope)? {
        Some(t) => (r.cast_if_needed(c.arg(1)?, &t, c.scope)?, r.cast_if_needed(c.arg(2)?, &t, c.scope)?),
        None => (c.arg(1)?, c.arg(2)?),
    };
    let string_cast = casts_string(&c.types[1..], &r.arrow_type(&a, c.scope)?);
    let e = Built::new(DfExpr::Case(Case::new(None, vec![(Box::new(c.arg(0)?), Box::new(a))], Some(Box::new(b)))));
    Ok(if string_cast { e.nullable(true) } else { e })
}

/// Whether the branch values' common type makes a string branch cast.
fn branch_casts_string(r: &Resolver<'_>, results: &[DfExpr], target: &Option<datafusion::arrow::datatypes::DataType>, c: &Call<'_>) -> ResolveResult<bool> {
    let Some(t) = target else { return Ok(false) };
    let types = results.iter().map(|e| r.arrow_type(e, c.scope)).collect::<ResolveResult<Vec<_>>>()?;
    Ok(casts_string(&types, t))
}

/// `greatest` / `least`: the arguments in a common type found without
/// promoting strings (a date meets a timestamp as a timestamp), else
/// Spark's DATATYPE_MISMATCH.DATA_DIFF_TYPES.
fn greatest_least(r: &Resolver<'_>, c: &Call<'_>, kernel: &str) -> ResolveResult<Built> {
    use datafusion::arrow::datatypes::DataType as ArrowType;
    let mut target: Option<ArrowType> = None;
    for t in &c.types {
        target = Some(match target {
            None => t.clone(),
            Some(cur) if cur.is_null() => t.clone(),
            Some(cur) if t.is_null() || &cur == t => cur,
            Some(cur) => {
                let wider = match (&cur, t) {
                    _ if super::is_string(&cur) != super::is_string(t) => None,
                    (ArrowType::Date32, ts @ ArrowType::Timestamp(..)) | (ts @ ArrowType::Timestamp(..), ArrowType::Date32) => Some(ts.clone()),
                    _ => crate::expression::wider_decimal(&cur, t).or_else(|| crate::expression::wider_type(&cur, t, r.config.ansi)),
                };
                match wider {
                    Some(w) => w,
                    None => return Err(data_diff_types(c)),
                }
            }
        });
    }
    let args = match &target {
        Some(t) => c.args.iter().map(|e| r.cast_if_needed(e.clone(), t, c.scope)).collect::<ResolveResult<Vec<_>>>()?,
        None => c.args.clone(),
    };
    Ok(Built::new(call_udf(registry_udf(kernel)?, args)))
}

fn data_diff_types(c: &Call<'_>) -> crate::ResolveError {
    let types: Vec<String> = c.types.iter().map(crate::types::quoted_sql).collect();
    let shown = c.default_name();
    let list = format!("[{}]", types.join(", "));
    crate::ResolveError::analysis(
        "DATATYPE_MISMATCH.DATA_DIFF_TYPES",
        "42K09",
        format!("Cannot resolve \"{shown}\" due to data type mismatch: Input to `{}` should all be the same type, but it's {list}.", c.name),
        &[("sqlExpr", format!("\"{shown}\"")), ("functionName", format!("`{}`", c.name)), ("dataType", list)],
    )
}

/// `nvl2(x, a, b)`: `a` when `x` is not NULL, else `b`, in the common type
/// of `a` and `b` (`x` may be of any type).
fn nvl2(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let (a, b) = r.coerce_pair(c.arg(1)?, c.arg(2)?, c.scope)?;
    let present = DfExpr::IsNotNull(Box::new(c.arg(0)?));
    Ok(Built::new(DfExpr::Case(Case::new(None, vec![(Box::new(present), Box::new(a))], Some(Box::new(b))))))
}

/// `coalesce` / `nullif`: the kernel over the arguments cast to their common type.
fn over_common_type(r: &Resolver<'_>, c: &Call<'_>, kernel: &str) -> ResolveResult<Built> {
    let target = r.common_type(&c.args, c.scope)?;
    let args = match &target {
        Some(t) => c.args.iter().map(|e| r.cast_if_needed(e.clone(), t, c.scope)).collect::<ResolveResult<Vec<_>>>()?,
        None => c.args.clone(),
    };
    let e = Built::new(call_udf(registry_udf(kernel)?, args));
    if kernel != "coalesce" {
        return Ok(e);
    }
    // NULL only when every argument can be, a string that may not read as
    // the common type counting as one that can.
    let nullable = c.types.iter().zip(&c.nullable).all(|(t, n)| *n || target.as_ref().is_some_and(|to| casts_string(std::slice::from_ref(t), to)));
    Ok(e.nullable(nullable))
}

pub(super) fn functions() -> Table {
    use Arity::*;
    let coalesce = f(AtLeast(1), &[], |r, c| over_common_type(r, c, "coalesce")).nullable(Nullable::Rule(|a| a.iter().all(|n| *n)));
    vec![
        ("when", f(AtLeast(2), &[], when).nullable(Nullable::Rule(case_nullable)).display(Display::Rule(case_name))),
        ("if", f(Exactly(3), &[], if_then_else).display(Display::Rule(|_, a| format!("(IF({}))", a.join(", "))))),
        ("coalesce", coalesce),
        ("nvl", f(Exactly(2), &[], |r, c| over_common_type(r, c, "coalesce")).nullable(Nullable::Rule(|a| a.iter().all(|n| *n)))),
        ("ifnull", f(Exactly(2), &[], |r, c| over_common_type(r, c, "coalesce")).nullable(Nullable::Rule(|a| a.iter().all(|n| *n)))),
        ("nullif", f(Exactly(2), &[], |r, c| over_common_type(r, c, "nullif")).nullable(Nullable::Always)),
        // NULL only when every argument is: NULLs are skipped.
        ("greatest", f(AtLeast(2), &[], |r, c| greatest_least(r, c, "greatest")).nullable(Nullable::Rule(|a| a.iter().all(|n| *n)))),
        ("least", f(AtLeast(2), &[], |r, c| greatest_least(r, c, "least")).nullable(Nullable::Rule(|a| a.iter().all(|n| *n)))),
        ("nvl2", f(Exactly(3), &[], nvl2).nullable(Nullable::Rule(|a| a.get(1).copied().unwrap_or(true) || a.get(2).copied().unwrap_or(true)))),
        ("nanvl", super::datafusion(Exactly(2), &[], "nanvl").nullable(Nullable::AnyArgument)),
    ]
}
