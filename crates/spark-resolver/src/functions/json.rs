//! JSON functions. `from_json` and `schema_of_json` take their schema or
//! sample as constants, resolved here (a DDL string is parsed with the SQL
//! parser's type grammar; a sample is inferred as Spark's JSON reader does).

use datafusion::arrow::datatypes::DataType as ArrowType;
use datafusion::common::ScalarValue;
use datafusion::logical_expr::{Expr as DfExpr, lit};
use spark_functions::json_fns::{JsonFn, SparkJson};
use spark_functions::json_read::{JsonReadOptions, SparkFromJson};

use super::{Arity, Built, Call, In, Table, call_udf, f};
use crate::resolver::Resolver;
use crate::{ResolveError, ResolveResult};

fn json(c: &Call<'_>, kind: JsonFn, args: usize) -> ResolveResult<Built> {
    Ok(Built::new(call_udf(SparkJson::udf(kind), c.args[..args.min(c.args.len())].to_vec())).nullable(true))
}

/// `to_json(value[, options])`: `ignoreNullFields`, `dateFormat`, `timestampFormat`.
fn to_json(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let given = super::csv::options(c, 1)?;
    if spark_functions::variant::is_variant_type(&c.types[0]) {
        let f = spark_functions::variant::functions::VariantToText::udf(spark_functions::variant::functions::VariantText::Json, &r.config.time_zone);
        return Ok(Built::new(call_udf(f, vec![c.arg(0)?])).nullable(true).named(format!("to_json({})", c.names[0])));
    }
    let write = spark_functions::json_fns::JsonWriteOptions::default().with_options(&given, &r.config.time_zone);
    let e = call_udf(SparkJson::to_json(write), vec![c.arg(0)?]);
    Ok(Built::new(e).nullable(true).named(format!("to_json({})", c.names[0])))
}

fn constant_string(c: &Call<'_>, i: usize, what: &str) -> ResolveResult<String> {
    match c.args.get(i) {
        Some(DfExpr::Literal(ScalarValue::Utf8(Some(s)), _)) => Ok(s.clone()),
        _ => Err(ResolveError::analysis(
            "INVALID_SCHEMA.NON_STRING_LITERAL",
            "42K07",
            format!("The input schema \"{}\" is not a valid schema string: {what} must be a constant string.", c.names.get(i).cloned().unwrap_or_default()),
            &[],
        )),
    }
}

/// `from_json(text, schema[, options])` into a struct, an array or a map
/// (Spark names the map form `entries`); see `spark_functions::json_read`.
fn from_json(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let ddl = constant_string(c, 1, "the schema")?;
    let parsed = spark_sql_parser::parse_schema(&ddl)
        .or_else(|_| spark_sql_parser::parse_data_type(&ddl))
        .map_err(|e| ResolveError::analysis("INVALID_SCHEMA.PARSE_ERROR", "42K07", format!("The input schema \"{ddl}\" is not a valid schema string: {e}"), &[]))?;
    let out = crate::types::to_arrow(&parsed, &r.config.time_zone)?;
    let name = format!("from_json({})", c.names[0]);
    if parsed == spark_plan::DataType::Variant {
        // Text that is not JSON gives NULL.
        let f = spark_functions::variant::functions::ParseJson::udf(false);
        return Ok(Built::new(call_udf(f, vec![c.arg(0)?])).named(name).nullable(true));
    }
    if spark_functions::variant::functions::contains_variant(&out) {
        return Err(ResolveError::unsupported("from_json into a struct, array or map with VARIANT fields"));
    }
    if !matches!(out, ArrowType::Struct(_) | ArrowType::List(_) | ArrowType::Map(..)) {
        let sql = parsed.sql();
        return Err(ResolveError::analysis(
            "DATATYPE_MISMATCH.INVALID_JSON_SCHEMA",
            "42K09",
            format!("Cannot resolve \"{name}\" due to data type mismatch: Input schema \"{sql}\" must be a struct, an array, a map or a variant."),
            &[("sqlExpr", format!("\"{name}\"")), ("schema", format!("\"{sql}\""))],
        ));
    }
    let given = super::csv::options(c, 2)?;
    let fail_fast = match given.get("mode").map(|m| m.to_ascii_uppercase()) {
        None => false,
        Some(m) if m == "PERMISSIVE" => false,
        Some(m) if m == "FAILFAST" => true,
        Some(m) => {
            return Err(ResolveError::analysis(
                "PARSE_MODE_UNSUPPORTED",
                "42601",
                format!("The function `from_json` doesn't support the {m} mode. Acceptable modes are PERMISSIVE and FAILFAST."),
                &[("funcName", "`from_json`".into()), ("mode", m.clone())],
            ));
        }
    };
    let options = JsonReadOptions {
        fail_fast,
        timestamp_format: given.get("timestampformat").cloned(),
        timestamp_ntz_format: given.get("timestampntzformat").cloned(),
        date_format: given.get("dateformat").cloned(),
        corrupt_record_column: given.get("columnnameofcorruptrecord").cloned().unwrap_or_else(|| "_corrupt_record".into()),
    };
    let name = if matches!(out, ArrowType::Map(..)) { "entries".to_string() } else { name };
    Ok(Built::new(call_udf(SparkFromJson::udf(out, options, &r.config.time_zone), vec![c.arg(0)?])).named(name).nullable(true))
}

/// `schema_of_json(sample[, options])`: the type Spark infers for the
/// sample, read with Jackson's leniencies (`allowSingleQuotes`,
/// `allowNumericLeadingZeros`, `allowComments`, ...) and
/// `primitivesAsString`.
fn schema_of_json(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let sample = constant_string(c, 0, "the sample")?;
    let given = super::csv::options(c, 1)?;
    let leniency = spark_functions::json_lenient::Leniency::from_options(&given);
    let strict = spark_functions::json_lenient::strict_json(&sample, leniency).unwrap_or_else(|| sample.clone());
    let value: serde_json::Value = serde_json::from_str(&strict)
        .map_err(|e| ResolveError::analysis("INVALID_JSON_SCHEMA", "22032", format!("Cannot infer a schema from {sample}: {e}"), &[]))?;
    let mut t = spark_datasource::json::infer_type(&value);
    if given.get("primitivesasstring").is_some_and(|v| v.trim().eq_ignore_ascii_case("true")) {
        t = primitives_as_string(&t);
    }
    let t = crate::types::from_arrow(&t)?;
    Ok(Built::new(lit(t.sql())).named(format!("schema_of_json({})", c.names[0])).nullable(false))
}

/// The type with every primitive read as a string (`primitivesAsString`).
fn primitives_as_string(t: &ArrowType) -> ArrowType {
    use std::sync::Arc;
    match t {
        ArrowType::Struct(fields) => ArrowType::Struct(fields.iter().map(|f| f.as_ref().clone().with_data_type(primitives_as_string(f.data_type()))).collect::<Vec<_>>().into()),
        ArrowType::List(item) => ArrowType::List(Arc::new(item.as_ref().clone().with_data_type(primitives_as_string(item.data_type())))),
        ArrowType::Null => ArrowType::Null,
        _ => ArrowType::Utf8,
    }
}

pub(super) fn functions() -> Table {
    use Arity::*;
    use In::*;
    vec![
        ("get_json_object", f(Exactly(2), &[String, String], |_, c| json(c, JsonFn::GetJsonObject, 2))),
        ("json_array_length", f(Exactly(1), &[String], |_, c| json(c, JsonFn::ArrayLength, 1))),
        ("json_object_keys", f(Exactly(1), &[String], |_, c| json(c, JsonFn::ObjectKeys, 1))),
        ("to_json", f(Range(1, 2), &[Any, Any], to_json)),
        ("from_json", f(Range(2, 3), &[String, Any, Any], from_json)),
        ("schema_of_json", f(Range(1, 2), &[Any, Any], schema_of_json)),
    ]
}
