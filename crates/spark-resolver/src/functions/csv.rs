//! CSV functions: `from_csv` and `to_csv` (kernels in `spark_functions`)
//! and `schema_of_csv`, which infers a constant sample's types as Spark's
//! CSV reader does. Options come as a constant `map(...)`.

use std::collections::BTreeMap;

use datafusion::arrow::array::{Array, AsArray};
use datafusion::arrow::datatypes::DataType as ArrowType;
use datafusion::common::ScalarValue;
use datafusion::logical_expr::lit;
use spark_functions::to_csv::{CsvWriteOptions, SparkToCsv};

use super::{Arity, Built, Call, Table, call_udf, constant_value, f};
use crate::resolver::Resolver;
use crate::{ResolveError, ResolveResult};

/// The options map at argument `i`: a constant MAP<STRING, STRING>.
pub(crate) fn options(c: &Call<'_>, i: usize) -> ResolveResult<BTreeMap<String, String>> {
    let Some(e) = c.args.get(i) else { return Ok(BTreeMap::new()) };
    let invalid = || {
        ResolveError::analysis(
            "INVALID_OPTIONS.NON_MAP_FUNCTION",
            "42K06",
            "Invalid options: Must use the `map()` function for options.".to_string(),
            &[],
        )
    };
    let Some(ScalarValue::Map(map)) = constant_value(e) else { return Err(invalid()) };
    let mut out = BTreeMap::new();
    if map.is_empty() || map.is_null(0) {
        return Ok(out);
    }
    let entries = map.value(0);
    let (keys, values) = (entries.column(0), entries.column(1));
    let (Some(keys), Some(values)) = (keys.as_string_opt::<i32>(), values.as_string_opt::<i32>()) else { return Err(invalid()) };
    for k in 0..keys.len() {
        if keys.is_valid(k) && values.is_valid(k) {
            out.insert(keys.value(k).to_ascii_lowercase(), values.value(k).to_string());
        }
    }
    Ok(out)
}

/// `to_csv(struct[, options])`.
fn to_csv(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    if !matches!(c.types[0], ArrowType::Struct(_)) {
        let actual = crate::types::from_arrow(&c.types[0])?.sql();
        return Err(ResolveError::analysis(
            "DATATYPE_MISMATCH.UNSUPPORTED_INPUT_TYPE",
            "42K09",
            format!("Cannot resolve \"to_csv({})\" due to data type mismatch: The input of `to_csv` can't be \"{actual}\" type data.", c.names[0]),
            &[("functionName", "`to_csv`".into()), ("dataType", format!("\"{actual}\""))],
        ));
    }
    let given = options(c, 1)?;
    let write = CsvWriteOptions::default().with_options(&given);
    let e = call_udf(SparkToCsv::udf(write, &r.config.time_zone), vec![c.arg(0)?]);
    Ok(Built::new(e).named(format!("to_csv({})", c.names[0])).nullable(true))
}

/// `from_csv(text, schema[, options])`: the schema a constant DDL string
/// (or `schema_of_csv(...)`).
fn from_csv(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    use spark_functions::from_csv::{CsvReadOptions, SparkFromCsv, readable};
    let Some(ScalarValue::Utf8(Some(ddl))) = c.args.get(1).and_then(constant_value) else {
        return Err(ResolveError::analysis(
            "INVALID_SCHEMA.NON_STRING_LITERAL",
            "42K07",
            format!("The input schema \"{}\" is not a valid schema string.", c.names.get(1).cloned().unwrap_or_default()),
            &[],
        ));
    };
    let parsed = spark_sql_parser::parse_schema(&ddl)
        .or_else(|_| spark_sql_parser::parse_data_type(&ddl))
        .map_err(|e| ResolveError::analysis("INVALID_SCHEMA.PARSE_ERROR", "42K07", format!("The input schema \"{ddl}\" is not a valid schema string: {e}"), &[]))?;
    let ArrowType::Struct(fields) = crate::types::to_arrow(&parsed, &r.config.time_zone)? else {
        return Err(ResolveError::analysis("INVALID_SCHEMA.NON_STRUCT_TYPE", "42K07", format!("The input schema \"{ddl}\" is not a valid schema string. The input expression must be a struct."), &[]));
    };
    if let Some(bad) = fields.iter().find(|f| !readable(f.data_type())) {
        let t = crate::types::from_arrow(bad.data_type())?.sql();
        return Err(ResolveError::analysis("UNSUPPORTED_DATATYPE", "0A000", format!("Unsupported data type \"{t}\"."), &[("typeName", format!("\"{t}\""))]));
    }
    let fields: datafusion::arrow::datatypes::Fields = fields.iter().map(|f| f.as_ref().clone().with_nullable(true)).collect();
    let given = options(c, 2)?;
    let mut read = CsvReadOptions::default();
    let first = |key: &str| given.get(key).and_then(|v| v.chars().next());
    read.sep = first("sep").or(first("delimiter")).unwrap_or(',');
    read.quote = first("quote").unwrap_or('"');
    read.escape = first("escape").unwrap_or('\\');
    read.null_value = given.get("nullvalue").cloned().unwrap_or_default();
    read.timestamp_format = given.get("timestampformat").cloned();
    read.date_format = given.get("dateformat").cloned();
    let e = call_udf(SparkFromCsv::udf(fields, read, &r.config.time_zone), vec![c.arg(0)?]);
    Ok(Built::new(e).named(format!("from_csv({})", c.names[0])))
}

/// `schema_of_csv(sample[, options])`: `STRUCT<_c0: INT, _c1: STRING>`.
fn schema_of_csv(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let Some(ScalarValue::Utf8(Some(sample))) = c.args.first().and_then(constant_value) else {
        return Err(ResolveError::analysis(
            "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT",
            "42K09",
            format!("Cannot resolve \"{}\" due to data type mismatch: the input csv should be a foldable \"STRING\" expression; however, got \"{}\".", c.default_name(), c.names[0]),
            &[],
        ));
    };
    let given = options(c, 1)?;
    let source = spark_datasource::SourceOptions::new(given.iter());
    let types = spark_datasource::csv::infer_line(&sample, &source).map_err(|e| ResolveError::invalid(e.to_string()))?;
    let mut fields = Vec::with_capacity(types.len());
    for (i, t) in types.iter().enumerate() {
        fields.push(format!("_c{i}: {}", crate::types::from_arrow(t)?.sql()));
    }
    Ok(Built::new(lit(format!("STRUCT<{}>", fields.join(", ")))).named(format!("schema_of_csv({})", c.names[0])).nullable(false))
}

pub(super) fn functions() -> Table {
    use Arity::*;
    use super::In::*;
    vec![
        ("from_csv", f(Range(2, 3), &[String, Any, Any], from_csv)),
        ("to_csv", f(Range(1, 2), &[Any, Any], to_csv)),
        ("schema_of_csv", f(Range(1, 2), &[Any, Any], schema_of_csv)),
    ]
}

