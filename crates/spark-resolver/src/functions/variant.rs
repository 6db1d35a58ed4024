//! The VARIANT functions: `parse_json`, `variant_get`, the edits
//! (`variant_set`, ...), `to_variant_object`, `schema_of_variant[_agg]`
//! and the tests; their evaluation is `spark_functions::variant`. The
//! generators `variant_explode[_outer]` are in `query::generate`.

use datafusion::arrow::datatypes::DataType as ArrowType;
use datafusion::common::ScalarValue;
use datafusion::logical_expr::expr::AggregateFunction;
use datafusion::logical_expr::{Expr as DfExpr, lit};
use spark_functions::variant::cast::castable;
use spark_functions::variant::functions::{ParseJson, ToVariant, VariantEdit, VariantEditKind, VariantGet, VariantPredicate, VariantTest, VariantText, VariantToText};
use spark_functions::variant::is_variant_type;

use super::{Arity, Built, Call, In, Table, call_udf, f};
use crate::resolver::Resolver;
use crate::{ResolveError, ResolveResult};

fn sql_type(t: &ArrowType) -> String {
    crate::types::from_arrow(t).map(|d| d.sql()).unwrap_or_else(|_| t.to_string())
}

fn mismatch(c: &Call<'_>, sub: &str, detail: String) -> ResolveError {
    let sql = c.default_name();
    ResolveError::analysis(
        &format!("DATATYPE_MISMATCH.{sub}"),
        "42K09",
        format!("Cannot resolve \"{sql}\" due to data type mismatch: {detail}."),
        &[("sqlExpr", format!("\"{sql}\""))],
    )
}

const ORDINALS: [&str; 4] = ["first", "second", "third", "fourth"];

/// Argument `i` must be a VARIANT (or NULL).
fn expect_variant(c: &Call<'_>, i: usize) -> ResolveResult<()> {
    let t = &c.types[i];
    if is_variant_type(t) || t.is_null() {
        return Ok(());
    }
    Err(mismatch(
        c,
        "UNEXPECTED_INPUT_TYPE",
        format!("The {} parameter requires the \"VARIANT\" type, however \"{}\" has the type \"{}\"", ORDINALS[i.min(3)], c.names[i], sql_type(t)),
    ))
}

/// A value to store in a variant (`variant_set` & co): a type Spark casts
/// to VARIANT, structs and maps excepted.
fn expect_storable(c: &Call<'_>, i: usize) -> ResolveResult<()> {
    let t = &c.types[i];
    if castable(t, false) {
        return Ok(());
    }
    Err(mismatch(c, "CAST_WITHOUT_SUGGESTION", format!("cannot cast \"{}\" to \"VARIANT\"", sql_type(t))))
}

fn parse_json(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let t = &c.types[0];
    if !(super::implicit_cast::is_string(t) || t.is_null()) {
        return Err(mismatch(
            c,
            "UNEXPECTED_INPUT_TYPE",
            format!("The first parameter requires the \"STRING\" type, however \"{}\" has the type \"{}\"", c.names[0], sql_type(t)),
        ));
    }
    let fail = c.name == "parse_json";
    let e = call_udf(ParseJson::udf(fail), vec![c.arg(0)?]);
    Ok(Built::new(e).nullable(!fail || c.any_nullable()))
}

fn predicate(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    expect_variant(c, 0)?;
    let test = if c.name == "is_variant_null" { VariantTest::IsNull } else { VariantTest::IsValid };
    let e = call_udf(VariantPredicate::udf(test), vec![c.arg(0)?]);
    Ok(Built::new(e).nullable(test == VariantTest::IsValid && c.any_nullable()))
}

fn to_variant_object(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let t = &c.types[0];
    let nested = matches!(t, ArrowType::Struct(_) | ArrowType::List(_) | ArrowType::Map(..)) && !is_variant_type(t);
    if !(nested && castable(t, true)) {
        return Err(mismatch(c, "CAST_WITHOUT_SUGGESTION", format!("cannot cast \"{}\" to \"VARIANT\"", sql_type(t))));
    }
    Ok(Built::new(call_udf(ToVariant::udf("to_variant_object"), vec![c.arg(0)?])))
}

/// The target type of `variant_get(v, path, type)`: a constant string.
fn target_type(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<ArrowType> {
    let Some(arg) = c.args.get(2) else { return Ok(spark_functions::variant::variant_type()) };
    let text = match super::constant_value(arg) {
        Some(ScalarValue::Utf8(Some(s)) | ScalarValue::LargeUtf8(Some(s)) | ScalarValue::Utf8View(Some(s))) => s,
        _ => {
            return Err(ResolveError::analysis(
                "INVALID_SCHEMA.NON_STRING_LITERAL",
                "42K07",
                format!("The input schema \"{}\" is not a valid schema string. The input expression must be string literal and not null.", c.names[2]),
                &[("inputSchema", format!("\"{}\"", c.names[2]))],
            ));
        }
    };
    let parsed = spark_sql_parser::parse_data_type(&text).map_err(|_| {
        ResolveError::analysis(
            "UNSUPPORTED_DATATYPE",
            "0A000",
            format!("Unsupported data type \"{}\".", text.to_uppercase()),
            &[("typeName", format!("\"{}\"", text.to_uppercase()))],
        )
    })?;
    if matches!(parsed, spark_plan::DataType::Char(_) | spark_plan::DataType::VarChar(_)) {
        return Err(ResolveError::analysis("UNSUPPORTED_CHAR_OR_VARCHAR_AS_STRING", "0A000", "The char/varchar type can't be used in the table schema.", &[]));
    }
    let target = crate::types::to_arrow(&parsed, &r.config.time_zone)?;
    if !castable(&target, true) || target.is_null() {
        let name = format!("{}({}, {})", c.name, c.names[0], c.names[1]);
        return Err(ResolveError::analysis(
            "DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION",
            "42K09",
            format!("Cannot resolve \"{name}\" due to data type mismatch: cannot cast \"VARIANT\" to \"{}\".", parsed.sql()),
            &[("sqlExpr", format!("\"{name}\""))],
        ));
    }
    Ok(target)
}

fn variant_get(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    expect_variant(c, 0)?;
    let target = target_type(r, c)?;
    let fail = c.name == "variant_get";
    let f = VariantGet::udf(c.name, target, fail, &r.config.time_zone);
    let e = call_udf(f, vec![c.arg(0)?, c.arg(1)?]);
    Ok(Built::new(e).named(format!("{}({}, {})", c.name, c.names[0], c.names[1])).nullable(true))
}

fn schema_of_variant(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    expect_variant(c, 0)?;
    Ok(Built::new(call_udf(VariantToText::udf(VariantText::Schema, &r.config.time_zone), vec![c.arg(0)?])))
}

fn schema_of_variant_agg(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    expect_variant(c, 0)?;
    let udaf = spark_functions::variant::schema_agg::SchemaOfVariantAgg::udaf();
    let e = DfExpr::AggregateFunction(AggregateFunction::new_udf(udaf, vec![c.arg(0)?], false, None, vec![], None));
    Ok(Built::new(e).nullable(false))
}

/// `variant_set`, `variant_insert`, `variant_array_append` and their
/// `try_` forms.
fn edit(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    expect_variant(c, 0)?;
    if !c.types[2].is_null() {
        expect_storable(c, 2)?;
    }
    let base = c.name.trim_start_matches("try_");
    let fail = base == c.name;
    let kind = match base {
        "variant_set" => VariantEditKind::Set,
        "variant_insert" => VariantEditKind::Insert,
        _ => VariantEditKind::Append,
    };
    let mut args = c.args.clone();
    let mut name = c.default_name();
    if kind == VariantEditKind::Set && args.len() == 3 {
        args.push(lit(true));
        name = format!("{}({}, true)", c.name, c.names.join(", "));
    }
    let e = call_udf(VariantEdit::udf(c.name, kind, fail), args);
    Ok(Built::new(e).named(name).nullable(!fail || c.any_nullable()))
}

fn variant_delete(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    expect_variant(c, 0)?;
    let e = call_udf(VariantEdit::udf("variant_delete", VariantEditKind::Delete, true), c.args.clone());
    Ok(Built::new(e).nullable(c.nullable[0]))
}

fn strip_nulls(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    expect_variant(c, 0)?;
    let mut args = c.args.clone();
    let mut name = c.default_name();
    if args.len() == 1 {
        args.push(lit(true));
        name = format!("variant_strip_nulls({}, true)", c.names[0]);
    }
    let e = call_udf(VariantEdit::udf("variant_strip_nulls", VariantEditKind::StripNulls, true), args);
    Ok(Built::new(e).named(name))
}

pub(super) fn functions() -> Table {
    use Arity::*;
    use In::*;
    vec![
        ("parse_json", f(Exactly(1), &[Any], parse_json)),
        ("try_parse_json", f(Exactly(1), &[Any], parse_json)),
        ("is_variant_null", f(Exactly(1), &[Any], predicate)),
        ("is_valid_variant", f(Exactly(1), &[Any], predicate)),
        ("to_variant_object", f(Exactly(1), &[Any], to_variant_object)),
        ("variant_get", f(Range(2, 3), &[Any, String, Any], variant_get)),
        ("try_variant_get", f(Range(2, 3), &[Any, String, Any], variant_get)),
        ("schema_of_variant", f(Exactly(1), &[Any], schema_of_variant)),
        ("schema_of_variant_agg", f(Exactly(1), &[Any], schema_of_variant_agg)),
        ("variant_set", f(Range(3, 4), &[Any, String, Any, Boolean], edit)),
        ("try_variant_set", f(Range(3, 4), &[Any, String, Any, Boolean], edit)),
        ("variant_insert", f(Exactly(3), &[Any, String, Any], edit)),
        ("try_variant_insert", f(Exactly(3), &[Any, String, Any], edit)),
        ("variant_array_append", f(Exactly(3), &[Any, String, Any], edit)),
        ("try_variant_array_append", f(Exactly(3), &[Any, String, Any], edit)),
        ("variant_delete", f(AtLeast(2), &[Any, String], variant_delete)),
        ("variant_strip_nulls", f(Range(1, 2), &[Any, Boolean], strip_nulls)),
    ]
}
