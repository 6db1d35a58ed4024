//! Array and map functions whose Spark forms differ from DataFusion's in
//! argument order, indexing or arguments: `map(k1, v1, ...)`, `element_at`,
//! `get`, `sort_array`, `sequence`, `array_prepend`, `concat`/`reverse` of
//! arrays, `map_contains_key`.

use datafusion::arrow::datatypes::{DataType as ArrowType, Field, Fields};
use datafusion::common::ScalarValue;
use datafusion::logical_expr::expr::Case;
use datafusion::logical_expr::{Expr as DfExpr, Operator, binary_expr, lit};

use super::{Arity, Built, Call, CallSite, In, Nullable, Table, call_udf, cast, datafusion, datafusion_spark, f, registry_udf, unresolved};
use crate::expression::ResolvedExpr;
use crate::ResolvedRelation;
use spark_plan::Expr;
use crate::resolver::Resolver;
use crate::{ResolveError, ResolveResult};

fn df(name: &str, args: Vec<DfExpr>) -> ResolveResult<DfExpr> {
    Ok(call_udf(registry_udf(name)?, args))
}

fn is_list(t: &ArrowType) -> bool {
    matches!(t, ArrowType::List(_) | ArrowType::LargeList(_) | ArrowType::FixedSizeList(..))
}

/// `map(k1, v1, k2, v2, ...)`.
fn map(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    if c.args.len() % 2 != 0 {
        return Err(super::wrong_args("map", c.args.len(), "2n (n > 0)"));
    }
    let keys: Vec<DfExpr> = c.args.iter().step_by(2).cloned().collect();
    let values: Vec<DfExpr> = c.args.iter().skip(1).step_by(2).cloned().collect();
    let keys = unify(r, c, keys, 0)?;
    let values = unify(r, c, values, 1)?;
    let f = spark_functions::map_build::SparkMapFromArrays::udf(r.config.map_key_last_wins);
    Ok(Built::new(call_udf(f, vec![df("make_array", keys)?, df("make_array", values)?])).nullable(false))
}

/// Casts every other argument (from `start`) to their common type.
fn unify(r: &Resolver<'_>, c: &Call<'_>, exprs: Vec<DfExpr>, start: usize) -> ResolveResult<Vec<DfExpr>> {
    let types: Vec<&ArrowType> = c.types.iter().skip(start).step_by(2).collect();
    let Some(target) = crate::expression::wider_common_type(types.iter().copied(), r.config.ansi) else { return Ok(exprs) };
    Ok(exprs
        .into_iter()
        .zip(types)
        .map(|(e, t)| if *t == target { e } else { r.spark_cast(e, t, &target) })
        .collect())
}

/// `size(x)` / `cardinality(x)`: NULL for a NULL array or map under ANSI
/// mode, -1 otherwise (`spark.sql.legacy.sizeOfNull`).
fn size(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let e = call_udf(super::kernel_udf(super::Source::DataFusionSpark, "size")?, c.args.clone());
    if !r.config.ansi {
        return Ok(Built::new(e).nullable(false));
    }
    let missing = DfExpr::IsNull(Box::new(c.arg(0)?));
    let null = DfExpr::Literal(datafusion::common::ScalarValue::Int32(None), None);
    Ok(Built::new(DfExpr::Case(datafusion::logical_expr::expr::Case::new(None, vec![(Box::new(missing), Box::new(null))], Some(Box::new(e))))).nullable(c.any_nullable()))
}

/// `element_at(array, i)` (1-based, negative from the end) or `element_at(map, key)`.
fn element_at(r: &Resolver<'_>, c: &Call<'_>, try_: bool) -> ResolveResult<Built> {
    let (x, i) = (c.arg(0)?, c.arg(1)?);
    let e = match &c.types[0] {
        t if is_list(t) => {
            use spark_functions::array_index::{IndexStyle, SparkArrayElement};
            super::call_udf(SparkArrayElement::udf(IndexStyle::ElementAt, r.config.ansi && !try_), vec![x, cast(i, ArrowType::Int64)])
        }
        ArrowType::Map(..) => df("array_element", vec![df("map_extract", vec![x, i])?, lit(1i64)])?,
        other => return Err(super::type_mismatch(&c.default_name(), 0, &c.names[0], other, In::Any)),
    };
    Ok(Built::new(e).nullable(true))
}

/// `get(array, i)`: 0-based; NULL outside the array.
fn get(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let (x, i) = (c.arg(0)?, cast(c.arg(1)?, ArrowType::Int64));
    let inside = binary_expr(i.clone(), Operator::GtEq, lit(0i64));
    let element = df("array_element", vec![x, binary_expr(i, Operator::Plus, lit(1i64))])?;
    let e = DfExpr::Case(Case::new(None, vec![(Box::new(inside), Box::new(element))], None));
    Ok(Built::new(e).nullable(true))
}

fn sort_array(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let ascending = match c.args.get(1) {
        None => true,
        Some(DfExpr::Literal(ScalarValue::Boolean(Some(b)), _)) => *b,
        Some(_) => return Err(ResolveError::unsupported("sort_array with a sort direction that is not a constant")),
    };
    let (dir, nulls) = if ascending { ("ASC", "NULLS FIRST") } else { ("DESC", "NULLS LAST") };
    let e = df("array_sort", vec![c.arg(0)?, lit(dir), lit(nulls)])?;
    let shown = c.names.get(1).cloned().unwrap_or_else(|| "true".into());
    Ok(Built::new(e).named(format!("sort_array({}, {shown})", c.names[0])))
}

/// `sequence(start, stop[, step])` of integers (an integral step), or of
/// dates and timestamps (an interval step); see `spark_functions::sequence`.
fn sequence(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    use super::interval_math::{self, IntervalKind};
    use spark_functions::sequence::{SparkSequence, Step};
    let (start, stop) = (&c.types[0], &c.types[1]);
    let wrong = || {
        ResolveError::analysis(
            "DATATYPE_MISMATCH.SEQUENCE_WRONG_INPUT_TYPES",
            "42K09",
            format!("Cannot resolve \"{}\" due to data type mismatch: `sequence` uses the wrong parameter type. The parameter type must conform to:\n1. The start and stop expressions must resolve to the same type.\n2. If start and stop expressions resolve to the \"DATE\" or \"TIMESTAMP\" type then the step expression must resolve to the \"INTERVAL\" or \"INTERVAL YEAR TO MONTH\" or \"INTERVAL DAY TO SECOND\" type.\n3. Otherwise, if start and stop expressions resolve to the \"INTEGRAL\" type then the step expression must resolve to the same type.", c.default_name()),
            &[("functionName", "`sequence`".into())],
        )
    };
    let integral = |t: &ArrowType| t.is_integer() || t.is_null();
    let temporal = |t: &ArrowType| matches!(t, ArrowType::Date32 | ArrowType::Timestamp(..)) || t.is_null();
    let absent = DfExpr::Literal(ScalarValue::Null, None);
    let tz = &r.config.time_zone;
    if integral(start) && integral(stop) {
        if c.types.get(2).is_some_and(|t| !integral(t)) {
            return Err(wrong());
        }
        let wide = |t: &ArrowType| matches!(t, ArrowType::Int64);
        let out = if wide(start) || wide(stop) || c.types.get(2).is_some_and(wide) { ArrowType::Int64 } else { ArrowType::Int32 };
        let step = c.args.get(2).map(|s| cast(s.clone(), ArrowType::Int64)).unwrap_or(absent);
        let args = vec![cast(c.arg(0)?, out.clone()), cast(c.arg(1)?, out), step];
        return Ok(Built::new(call_udf(SparkSequence::udf(Step::Units, tz), args)));
    }
    if !(temporal(start) && temporal(stop)) {
        return Err(wrong());
    }
    // A timestamp bound makes a timestamp sequence (TIMESTAMP over TIMESTAMP_NTZ).
    let out = [start, stop]
        .into_iter()
        .filter(|t| matches!(t, ArrowType::Timestamp(..)))
        .max_by_key(|t| matches!(t, ArrowType::Timestamp(_, Some(_))))
        .cloned()
        .unwrap_or(ArrowType::Date32);
    let (step_kind, step) = match (c.types.get(2), c.args.get(2)) {
        (None, _) | (_, None) => (Step::Micros { day_step_ok: true }, absent),
        (Some(t), Some(e)) => match interval_math::kind(t) {
            Some(IntervalKind::YearMonth) => (Step::Months, cast(interval_math::units(e.clone()), ArrowType::Int64)),
            Some(IntervalKind::DayTime) => {
                let day_step_ok = matches!(r.spark_type(e, c.scope)?, spark_plan::DataType::DayTimeInterval { start: 0, .. });
                (Step::Micros { day_step_ok }, interval_math::units(e.clone()))
            }
            None => return Err(wrong()),
        },
    };
    let args = vec![cast(c.arg(0)?, out.clone()), cast(c.arg(1)?, out), step];
    Ok(Built::new(call_udf(SparkSequence::udf(step_kind, tz), args)))
}

/// `arrays_overlap(a, b)`: both arrays read as their wider common type.
fn arrays_overlap(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    // Two arrays whose elements meet without reading a string as another
    // type (an untyped NULL is no array).
    let element = |t: &ArrowType| match t {
        ArrowType::List(f) => Some(f.data_type().clone()),
        _ => None,
    };
    let stringy = |t: &ArrowType| matches!(t, ArrowType::Utf8 | ArrowType::LargeUtf8 | ArrowType::Utf8View);
    let common = match (element(&c.types[0]), element(&c.types[1])) {
        (Some(a), Some(b)) if a == b || stringy(&a) == stringy(&b) => crate::expression::wider_common_type(c.types.iter(), r.config.ansi),
        _ => None,
    };
    let common = common.ok_or_else(|| {
        let shown = |t: &ArrowType| crate::types::from_arrow(t).map(|d| d.sql()).unwrap_or_default();
        ResolveError::analysis(
            "DATATYPE_MISMATCH.BINARY_ARRAY_DIFF_TYPES",
            "42K09",
            format!(
                "Cannot resolve \"{}\" due to data type mismatch: Input to function `arrays_overlap` should have been two \"ARRAY\" with same element type, but it's [\"{}\", \"{}\"].",
                c.default_name(),
                shown(&c.types[0]),
                shown(&c.types[1])
            ),
            &[("functionName", "`arrays_overlap`".into()), ("arrayType", "\"ARRAY\"".into()), ("leftType", format!("\"{}\"", shown(&c.types[0]))), ("rightType", format!("\"{}\"", shown(&c.types[1])))],
        )
    })?;
    // NULL only from a NULL array or a NULL element.
    let holds_null = |a: &DfExpr| match crate::nested_nullability::spark_type(a, &c.scope.plan) {
        Some(ArrowType::List(f)) => f.is_nullable(),
        _ => true,
    };
    let nullable = c.any_nullable() || c.args.iter().any(holds_null);
    let args = c.args.iter().map(|a| cast(a.clone(), common.clone())).collect();
    Ok(Built::new(call_udf(spark_functions::arrays_overlap::SparkArraysOverlap::udf(), args)).nullable(nullable))
}

fn concat(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    if c.types.iter().any(is_list) {
        // Arrays concatenate with arrays only.
        if !c.types.iter().all(is_list) {
            let mut shown: Vec<String> = Vec::new();
            for t in &c.types {
                // Spark reads everything but the arrays as strings here.
                let sql = if is_list(t) { crate::types::from_arrow(t).map(|d| d.sql()).unwrap_or_default() } else { "STRING".to_string() };
                let quoted = format!("\"{sql}\"");
                if !shown.contains(&quoted) {
                    shown.push(quoted);
                }
            }
            let types = format!("({})", shown.join(" or "));
            return Err(ResolveError::analysis(
                "DATATYPE_MISMATCH.DATA_DIFF_TYPES",
                "42K09",
                format!("Cannot resolve \"{}\" due to data type mismatch: Input to `concat` should all be the same type, but it's {types}.", c.default_name()),
                &[("functionName", "`concat`".into()), ("dataType", types.clone()), ("sqlExpr", format!("\"{}\"", c.default_name()))],
            ));
        }
        return Ok(Built::new(df("array_concat", c.args.clone())?));
    }
    // Doubles are concatenated as Java writes them.
    let args = c
        .args
        .iter()
        .zip(&c.types)
        .map(|(a, t)| if t.is_floating() { r.spark_cast(a.clone(), t, &ArrowType::Utf8) } else { a.clone() })
        .collect();
    Ok(Built::new(df("concat", args)?))
}

fn reverse(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    if is_list(&c.types[0]) {
        return Ok(Built::new(df("array_reverse", c.args.clone())?));
    }
    if matches!(c.types[0], datafusion::arrow::datatypes::DataType::Binary) {
        let f = spark_functions::binary_fns::SparkBytes::udf(spark_functions::binary_fns::BytesOp::Reverse);
        return Ok(Built::new(super::call_udf(f, c.args.clone())));
    }
    Ok(Built::new(df("reverse", c.args.clone())?))
}

/// `struct(a, b AS x, 1)`: fields named after the column, the alias, or
/// `colN`; an aliased field prints as `expr AS x`.
fn struct_(r: &mut Resolver<'_>, call: &CallSite<'_>, scope: &ResolvedRelation) -> ResolveResult<ResolvedExpr> {
    let args = r.expand_star_arguments(call.args, scope)?;
    let mut fields = Vec::with_capacity(args.len() * 2);
    let mut shown = Vec::with_capacity(args.len());
    for (i, a) in args.iter().enumerate() {
        let (field, value) = match a {
            Expr::Alias { expr, names, .. } => {
                let alias = names.first().cloned().unwrap_or_default();
                let inner = r.resolve_expr(expr, scope)?;
                shown.push(format!("{} AS {alias}", inner.name));
                (alias, inner.expr)
            }
            other => {
                let v = r.resolve_expr(other, scope)?;
                shown.push(v.name);
                let field = match other {
                    Expr::Column { name, .. } => name.last().cloned().unwrap_or_default(),
                    _ => format!("col{}", i + 1),
                };
                (field, v.expr)
            }
        };
        fields.push(lit(ScalarValue::Utf8(Some(field))));
        fields.push(value);
    }
    let expr = call_udf(registry_udf("named_struct")?, fields);
    Ok(ResolvedExpr { expr, name: format!("struct({})", shown.join(", ")), nullable: Some(false) })
}

/// `arrays_zip(a1, a2, ...)`: the arrays' elements side by side, in structs
/// whose fields are named after the arguments that are (fields of)
/// columns and numbered from 0 otherwise.
fn arrays_zip(r: &mut Resolver<'_>, call: &CallSite<'_>, scope: &ResolvedRelation) -> ResolveResult<ResolvedExpr> {
    let mut args = Vec::with_capacity(call.args.len());
    let mut names = Vec::with_capacity(call.args.len());
    let mut shown = Vec::with_capacity(call.args.len());
    let mut nullable = false;
    for (i, a) in call.args.iter().enumerate() {
        let v = r.resolve_expr(a, scope)?;
        nullable |= r.is_nullable(&v, scope);
        names.push(match a {
            Expr::Column { name, .. } => name.last().cloned().unwrap_or_default(),
            Expr::ExtractValue { extraction, .. } => match extraction.as_ref() {
                Expr::Literal(spark_plan::Literal::String(field)) => field.clone(),
                _ => i.to_string(),
            },
            _ => i.to_string(),
        });
        shown.push(v.name);
        args.push(v.expr);
    }
    let name = format!("arrays_zip({})", shown.join(", "));
    if args.is_empty() {
        let empty = ScalarValue::List(ScalarValue::new_list_nullable(&[], &ArrowType::Struct(Fields::empty())));
        return Ok(ResolvedExpr { expr: lit(empty), name, nullable: Some(false) });
    }
    let zipped = call_udf(registry_udf("arrays_zip")?, args);
    let renamed = call_udf(spark_functions::rename_fields::RenameFields::udf(names), vec![zipped]);
    Ok(ResolvedExpr { expr: renamed, name, nullable: Some(nullable) })
}

/// `named_struct(name1, v1, ...)`.
fn named_struct(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    if c.args.len() % 2 != 0 {
        return Err(super::wrong_args("named_struct", c.args.len(), "2n (n > 0)"));
    }
    Ok(Built::new(call_udf(registry_udf("named_struct")?, c.args.clone())))
}

/// The array and the value of `array_contains`, both in the wider of the
/// element and value types (a string is never widened to a number here);
/// Spark's errors for a first argument that is no array, and for types
/// without a common one.
fn array_and_value(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<(datafusion::logical_expr::Expr, datafusion::logical_expr::Expr)> {
    let ArrowType::List(field) = &c.types[0] else {
        return Err(super::type_mismatch_sql(&c.default_name(), 0, &c.names[0], &c.types[0], "\"ARRAY\""));
    };
    let (element, value) = (field.data_type(), &c.types[1]);
    let wider = match (element, value) {
        _ if super::is_string(element) != super::is_string(value) => None,
        (ArrowType::Date32, t @ ArrowType::Timestamp(..)) | (t @ ArrowType::Timestamp(..), ArrowType::Date32) => Some(t.clone()),
        _ => crate::expression::wider_decimal(element, value).or_else(|| crate::expression::wider_type(element, value, r.config.ansi)),
    };
    let Some(wider) = wider else {
        let sql = crate::types::quoted_sql;
        let shown = c.default_name();
        return Err(ResolveError::analysis(
            "DATATYPE_MISMATCH.ARRAY_FUNCTION_DIFF_TYPES",
            "42K09",
            format!(
                "Cannot resolve \"{shown}\" due to data type mismatch: Input to `{}` should have been \"ARRAY\" followed by a value with same element type, but it's [{}, {}].",
                c.name,
                sql(&c.types[0]),
                sql(value)
            ),
            &[("functionName", format!("`{}`", c.name)), ("dataType", "\"ARRAY\"".into()), ("leftType", sql(&c.types[0])), ("rightType", sql(value)), ("sqlExpr", format!("\"{shown}\""))],
        ));
    };
    let array_type = ArrowType::List(std::sync::Arc::new(field.as_ref().clone().with_data_type(wider.clone())));
    Ok((r.cast_if_needed(c.arg(0)?, &array_type, c.scope)?, r.cast_if_needed(c.arg(1)?, &wider, c.scope)?))
}

/// Spark's `DATATYPE_MISMATCH.NULL_TYPE` for an untyped NULL argument of
/// `array_contains` and `map_contains_key`.
fn refuse_null_type(c: &Call<'_>) -> ResolveResult<()> {
    if !c.types.iter().any(|t| t.is_null()) {
        return Ok(());
    }
    let shown = c.default_name();
    Err(ResolveError::analysis(
        "DATATYPE_MISMATCH.NULL_TYPE",
        "42K09",
        format!("Cannot resolve \"{shown}\" due to data type mismatch: Null typed values cannot be used as arguments of `{}`.", c.name),
        &[("functionName", format!("`{}`", c.name)), ("sqlExpr", format!("\"{shown}\""))],
    ))
}

pub(super) fn functions() -> Table {
    use Arity::*;
    use In::*;
    vec![
        ("map", f(AtLeast(0), &[Any], map)),
        ("struct", unresolved(AtLeast(0), struct_)),
        ("named_struct", f(AtLeast(0), &[], named_struct).nullable(Nullable::Never)),
        ("element_at", f(Exactly(2), &[Any, Any], |r, c| element_at(r, c, false))),
        ("try_element_at", f(Exactly(2), &[Any, Any], |r, c| element_at(r, c, true))),
        ("get", f(Exactly(2), &[Any, Int], get)),
        ("sort_array", f(Range(1, 2), &[Any, Boolean], sort_array)),
        ("array_size", f(Exactly(1), &[Any], |_, c| Ok(Built::new(cast(df("cardinality", c.args.clone())?, ArrowType::Int32))))),
        ("sequence", f(Range(2, 3), &[Any, Any, Any], sequence)),
        ("array_prepend", f(Exactly(2), &[Any, Any], |_, c| {
            refuse_untyped_array(c)?;
            Ok(Built::new(null_if_null(c.arg(0)?, df("array_prepend", vec![c.arg(1)?, c.arg(0)?])?)))
        })
        .nullable(Nullable::Rule(|a| a[0]))),
        ("array_append", f(Exactly(2), &[Any, Any], |_, c| {
            refuse_untyped_array(c)?;
            Ok(Built::new(null_if_null(c.arg(0)?, df("array_append", vec![c.arg(0)?, c.arg(1)?])?)))
        })
        .nullable(Nullable::Rule(|a| a[0]))),
        // Spark's position is 0 when the element is absent (NULL only for NULL input).
        ("array_position", f(Exactly(2), &[Any, Any], |_, c| {
            let found = cast(df("array_position", vec![c.arg(0)?, c.arg(1)?])?, ArrowType::Int64);
            let present = c.arg(0)?.is_not_null().and(c.arg(1)?.is_not_null());
            let e = DfExpr::Case(Case::new(None, vec![(Box::new(present), Box::new(df("coalesce", vec![found, lit(0i64)])?))], None));
            Ok(Built::new(e))
        })),
        ("concat", f(AtLeast(0), &[Any], concat)),
        ("reverse", f(Exactly(1), &[Any], reverse)),
        ("map_contains_key", f(Exactly(2), &[Any, Any], |_, c| {
            refuse_null_type(c)?;
            let keys = df("map_keys", vec![c.arg(0)?])?;
            Ok(Built::new(df("array_has", vec![keys, c.arg(1)?])?))
        })),
        // Kernels called as they are.
        ("array", f(AtLeast(0), &[], |r, c| {
            // The elements in their common type (`array(1, '2')` is ARRAY<BIGINT>).
            let args = match r.common_type(&c.args, c.scope)? {
                Some(t) => c.args.iter().map(|e| r.cast_if_needed(e.clone(), &t, c.scope)).collect::<ResolveResult<Vec<_>>>()?,
                None => c.args.clone(),
            };
            Ok(Built::new(call_udf(super::kernel_udf(super::Source::DataFusionSpark, "array")?, args)))
        })
        .nullable(Nullable::Never)),
        ("array_compact", datafusion(Exactly(1), &[], "array_compact")),
        // NULL also when the value is absent from an array holding NULLs.
        ("array_contains", f(Exactly(2), &[], |r, c| {
            refuse_null_type(c)?;
            let contains_null = match crate::nested_nullability::spark_type(&c.args[0], &c.scope.plan) {
                Some(ArrowType::List(f)) => f.is_nullable(),
                _ => true,
            };
            let (array, value) = array_and_value(r, c)?;
            let e = call_udf(super::kernel_udf(super::Source::DataFusionSpark, "array_contains")?, vec![array, value]);
            Ok(Built::new(e).nullable(c.any_nullable() || contains_null))
        })),
        ("array_distinct", datafusion(Exactly(1), &[], "array_distinct")),
        ("array_except", datafusion(Exactly(2), &[], "array_except")),
        ("array_intersect", datafusion(Exactly(2), &[], "array_intersect")),
        ("array_join", datafusion(Range(2, 3), &[], "array_join").nullable(Nullable::AnyArgument)),
        ("array_max", datafusion(Exactly(1), &[], "array_max").nullable(Nullable::Always)),
        ("array_min", datafusion(Exactly(1), &[], "array_min").nullable(Nullable::Always)),
        // NULL for a NULL element too (Spark's is null-intolerant).
        ("array_remove", f(Exactly(2), &[Any, Any], |_, c| {
            if !matches!(c.types[0], ArrowType::List(_)) {
                let sql = crate::types::quoted_sql;
                let shown = c.default_name();
                let types = format!("[{}, {}]", sql(&c.types[0]), sql(&c.types[1]));
                return Err(ResolveError::analysis(
                    "DATATYPE_MISMATCH.ARRAY_FUNCTION_DIFF_TYPES",
                    "42K09",
                    format!("Cannot resolve \"{shown}\" due to data type mismatch: Input to `array_remove` should have been \"ARRAY\" followed by a value with same element type, but it's {types}."),
                    &[("sqlExpr", format!("\"{shown}\"")), ("functionName", "`array_remove`".into()), ("dataType", "\"ARRAY\"".into()), ("leftType", sql(&c.types[0])), ("rightType", sql(&c.types[1]))],
                ));
            }
            Ok(Built::new(null_if_null(c.arg(1)?, df("array_remove_all", vec![c.arg(0)?, c.arg(1)?])?)))
        })),
        ("array_repeat", datafusion_spark(Exactly(2), &[], "array_repeat").nullable(Nullable::Rule(|a| a[1]))),
        ("array_union", datafusion(Exactly(2), &[], "array_union")),
        ("arrays_overlap", f(Exactly(2), &[], arrays_overlap)),
        ("arrays_zip", unresolved(AtLeast(0), arrays_zip)),
        ("cardinality", f(Exactly(1), &[], size).nullable(Nullable::Always)),
        ("size", f(Exactly(1), &[], size).nullable(Nullable::Always)),
        ("flatten", f(Exactly(1), &[Any], |_, c| {
            if !matches!(&c.types[0], ArrowType::List(f) if matches!(f.data_type(), ArrowType::List(_))) {
                return Err(super::type_mismatch_sql(&c.default_name(), 0, &c.names[0], &c.types[0], "\"ARRAY\" of \"ARRAY\""));
            }
            // NULL also when an inner array is.
            let inner_nullable = matches!(&c.types[0], ArrowType::List(f) if f.is_nullable());
            let built = Built::new(call_udf(spark_functions::array_flatten::SparkFlatten::udf(), vec![c.arg(0)?]));
            Ok(if inner_nullable { built.nullable(true) } else { built })
        })),
        ("map_entries", datafusion(Exactly(1), &[], "map_entries")),
        ("map_from_arrays", f(Exactly(2), &[Any, Any], map_from_arrays)),
        ("map_concat", f(AtLeast(0), &[Any], map_concat)),
        ("array_insert", f(Exactly(3), &[Any, Any, Any], array_insert)),
        ("map_from_entries", f(Exactly(1), &[Any], |r, c| {
            let entries = matches!(&c.types[0], ArrowType::List(e) if matches!(e.data_type(), ArrowType::Struct(kv) if kv.len() == 2));
            if !entries {
                return Err(super::type_mismatch_sql(&c.default_name(), 0, &c.names[0], &c.types[0], "\"ARRAY\" of pair \"STRUCT\""));
            }
            let f = spark_functions::map_build::SparkMapFromEntries::udf(r.config.map_key_last_wins);
            // NULL also when an entry is.
            let entry_nullable = matches!(&c.types[0], ArrowType::List(e) if e.is_nullable());
            let built = Built::new(call_udf(f, vec![c.arg(0)?]));
            Ok(if entry_nullable { built.nullable(true) } else { built })
        })),
        ("map_keys", datafusion(Exactly(1), &[], "map_keys")),
        ("map_values", datafusion(Exactly(1), &[], "map_values")),
        ("shuffle", datafusion_spark(Range(1, 2), &[], "shuffle")),
        ("slice", f(Exactly(3), &[Any, Int, Int], |_, c| {
            let array = match &c.types[0] {
                ArrowType::List(_) => c.arg(0)?,
                ArrowType::Null => cast(c.arg(0)?, ArrowType::List(std::sync::Arc::new(Field::new("element", ArrowType::Null, true)))),
                other => return Err(super::type_mismatch_sql(&c.default_name(), 0, &c.names[0], other, "\"ARRAY\"")),
            };
            Ok(Built::new(call_udf(spark_functions::array_slice::SparkSlice::udf(), vec![array, c.arg(1)?, c.arg(2)?])))
        })),
    ]
}

/// A NULL literal where Spark wants an array (`array_append(NULL, 1)`):
/// UNEXPECTED_INPUT_TYPE.
fn refuse_untyped_array(c: &Call<'_>) -> ResolveResult<()> {
    if c.types[0].is_null() {
        return Err(super::type_mismatch_sql(&c.default_name(), 0, &c.names[0], &c.types[0], "\"ARRAY\""));
    }
    Ok(())
}

/// `value`, but NULL where `input` is NULL (Spark's null-intolerant functions).
/// The type both `a` and `b` widen to (a NULL type takes the other).
fn common_type(r: &Resolver<'_>, a: &ArrowType, b: &ArrowType) -> Option<ArrowType> {
    match (a, b) {
        (ArrowType::Null, t) | (t, ArrowType::Null) => Some(t.clone()),
        _ => crate::expression::wider_type(a, b, r.config.ansi),
    }
}

/// `array_insert(array, pos, item)`: the array and the item widened to one
/// element type; `pos` an INT (BIGINT is refused, as in Spark).
fn array_insert(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let name = &c.default_name();
    let ArrowType::List(field) = &c.types[0] else {
        return Err(super::type_mismatch_sql(name, 0, &c.names[0], &c.types[0], "\"ARRAY\""));
    };
    if !matches!(c.types[1], ArrowType::Int8 | ArrowType::Int16 | ArrowType::Int32) {
        return Err(super::type_mismatch_sql(name, 1, &c.names[1], &c.types[1], "\"INT\""));
    }
    let Some(element) = common_type(r, field.data_type(), &c.types[2]) else {
        return Err(super::type_mismatch_sql(name, 2, &c.names[2], &c.types[2], &format!("\"{}\"", crate::types::from_arrow(field.data_type())?.sql())));
    };
    let list = ArrowType::List(std::sync::Arc::new(Field::new(field.name(), element.clone(), true)));
    let args = vec![cast(c.arg(0)?, list), cast(c.arg(1)?, ArrowType::Int32), cast(c.arg(2)?, element)];
    Ok(Built::new(call_udf(spark_functions::array_insert::SparkArrayInsert::udf(), args)).nullable(c.nullable[0] || c.nullable[1]))
}

/// `map_concat(m, ...)`: maps widened to one key and one value type;
/// `map_concat()` is an empty `MAP<STRING, STRING>`.
fn map_concat(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let mismatch = || {
        let types: Vec<String> = c.types.iter().map(crate::types::quoted_sql).collect();
        ResolveError::analysis(
            "DATATYPE_MISMATCH.MAP_CONCAT_DIFF_TYPES",
            "42K09",
            format!("Cannot resolve \"{}\" due to data type mismatch: The `map_concat` should all be of type map, but it's [{}].", c.default_name(), types.join(", ")),
            &[("functionName", "`map_concat`".into()), ("dataType", format!("[{}]", types.join(", ")))],
        )
    };
    let mut entries: Option<(std::sync::Arc<Field>, ArrowType, ArrowType)> = None;
    for t in &c.types {
        let ArrowType::Map(entry, _) = t else { return Err(mismatch()) };
        let ArrowType::Struct(kv) = entry.data_type() else { return Err(mismatch()) };
        let [k, v] = kv.iter().collect::<Vec<_>>()[..] else { return Err(mismatch()) };
        entries = Some(match entries {
            None => (entry.clone(), k.data_type().clone(), v.data_type().clone()),
            Some((e, key, value)) => {
                let key = common_type(r, &key, k.data_type()).ok_or_else(mismatch)?;
                let value = common_type(r, &value, v.data_type()).ok_or_else(mismatch)?;
                (e, key, value)
            }
        });
    }
    let Some((entry, key, value)) = entries else {
        return Ok(Built::new(DfExpr::Literal(empty_string_map()?, None)).nullable(false));
    };
    let ArrowType::Struct(kv) = entry.data_type() else { return Err(mismatch()) };
    let fields = Fields::from(vec![
        Field::new(kv[0].name(), key, false),
        Field::new(kv[1].name(), value, true),
    ]);
    let map = ArrowType::Map(std::sync::Arc::new(Field::new(entry.name(), ArrowType::Struct(fields), false)), false);
    let args = c.args.iter().map(|a| cast(a.clone(), map.clone())).collect();
    Ok(Built::new(call_udf(spark_functions::map_build::SparkMapConcat::udf(r.config.map_key_last_wins), args)))
}

/// `map_from_arrays(keys, values)`: two arrays of the same length.
fn map_from_arrays(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    for (i, t) in c.types.iter().enumerate() {
        if !matches!(t, ArrowType::List(_) | ArrowType::Null) {
            return Err(super::type_mismatch_sql(&c.default_name(), i, &c.names[i], t, "\"ARRAY\""));
        }
    }
    Ok(Built::new(call_udf(spark_functions::map_build::SparkMapFromArrays::udf(r.config.map_key_last_wins), c.args.clone())))
}

/// `{}` as a `MAP<STRING, STRING>` value.
fn empty_string_map() -> ResolveResult<ScalarValue> {
    use datafusion::arrow::array::{MapArray, StringArray, StructArray};
    use datafusion::arrow::buffer::OffsetBuffer;
    let fields = Fields::from(vec![Field::new("key", ArrowType::Utf8, false), Field::new("value", ArrowType::Utf8, true)]);
    let entries = StructArray::try_new(
        fields.clone(),
        vec![std::sync::Arc::new(StringArray::from(Vec::<String>::new())), std::sync::Arc::new(StringArray::from(Vec::<Option<String>>::new()))],
        None,
    )
    .map_err(|e| datafusion::common::DataFusionError::ArrowError(Box::new(e), None))?;
    let entry = std::sync::Arc::new(Field::new("entries", ArrowType::Struct(fields), false));
    let map = MapArray::try_new(entry, OffsetBuffer::new(vec![0i32, 0].into()), entries, None, false)
        .map_err(|e| datafusion::common::DataFusionError::ArrowError(Box::new(e), None))?;
    Ok(ScalarValue::Map(std::sync::Arc::new(map)))
}

fn null_if_null(input: DfExpr, value: DfExpr) -> DfExpr {
    DfExpr::Case(Case::new(None, vec![(Box::new(input.is_not_null()), Box::new(value))], None))
}

