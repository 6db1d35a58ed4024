//! The XML functions: the `xpath*` family, whose path must be a constant
//! string (Spark's NON_FOLDABLE_INPUT otherwise), `from_xml`, `to_xml`
//! and `schema_of_xml`; the evaluation is `spark_functions::xml`.

use spark_functions::xml::xpath::{SparkXPath, XPathFn};

use super::{Arity, Built, Call, In, Table, call_udf, constant_value, f};
use crate::resolver::Resolver;
use crate::{ResolveError, ResolveResult};

fn xpath(c: &Call<'_>, op: XPathFn) -> ResolveResult<Built> {
    let path = c.args.get(1).and_then(constant_value);
    if path.is_none() {
        let sql = c.default_name();
        return Err(ResolveError::analysis(
            "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT",
            "42K09",
            format!("Cannot resolve \"{sql}\" due to data type mismatch: the input `path` should be a foldable \"STRING\" expression; however, got \"{}\".", c.names[1]),
            &[("sqlExpr", format!("\"{sql}\"")), ("inputName", "`path`".into()), ("inputType", "\"STRING\"".into()), ("inputExpr", format!("\"{}\"", c.names[1]))],
        ));
    }
    let args = vec![c.arg(0)?, datafusion::logical_expr::lit(path.unwrap_or(datafusion::common::ScalarValue::Utf8(None)))];
    Ok(Built::new(call_udf(SparkXPath::udf(op), args)).nullable(true))
}

/// The function of an `xpath*` call, by its name.
fn xpath_by_name(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let op = match c.name {
        "xpath" => XPathFn::List,
        "xpath_string" => XPathFn::String,
        "xpath_boolean" => XPathFn::Boolean,
        "xpath_double" | "xpath_number" => XPathFn::Double,
        "xpath_float" => XPathFn::Float,
        "xpath_int" => XPathFn::Int,
        "xpath_long" => XPathFn::Long,
        "xpath_short" => XPathFn::Short,
        other => return Err(ResolveError::unresolved_routine(other)),
    };
    xpath(c, op)
}

fn options(c: &Call<'_>, i: usize) -> ResolveResult<spark_functions::xml::XmlOptions> {
    Ok(spark_functions::xml::XmlOptions::from_options(&super::csv::options(c, i)?))
}

/// `from_xml(xml, schema[, options])` into a struct.
fn from_xml(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let ddl = match c.args.get(1).and_then(constant_value) {
        Some(datafusion::common::ScalarValue::Utf8(Some(s))) => s,
        _ => {
            return Err(ResolveError::analysis(
                "INVALID_SCHEMA.NON_STRING_LITERAL",
                "42K07",
                format!("The input schema \"{}\" is not a valid schema string. The input expression must be string literal and not null.", c.names[1]),
                &[("inputSchema", format!("\"{}\"", c.names[1]))],
            ));
        }
    };
    let parsed = spark_sql_parser::parse_schema(&ddl)
        .or_else(|_| spark_sql_parser::parse_data_type(&ddl))
        .map_err(|e| ResolveError::analysis("INVALID_SCHEMA.PARSE_ERROR", "42K07", format!("The input schema \"{ddl}\" is not a valid schema string: {e}"), &[]))?;
    let target = crate::types::to_arrow(&parsed, &r.config.time_zone)?;
    if !matches!(target, datafusion::arrow::datatypes::DataType::Struct(_)) {
        let name = format!("from_xml({})", c.names[0]);
        return Err(ResolveError::analysis(
            "DATATYPE_MISMATCH.INVALID_XML_SCHEMA",
            "42K09",
            format!("Cannot resolve \"{name}\" due to data type mismatch: Input schema \"{}\" must be a struct or a variant.", parsed.sql()),
            &[("sqlExpr", format!("\"{name}\"")), ("schema", format!("\"{}\"", parsed.sql()))],
        ));
    }
    if spark_functions::variant::functions::contains_variant(&target) {
        return Err(ResolveError::unsupported("from_xml into VARIANT"));
    }
    let f = spark_functions::xml::functions::FromXml::udf(target, options(c, 2)?, &r.config.time_zone);
    Ok(Built::new(call_udf(f, vec![c.arg(0)?])).named(format!("from_xml({})", c.names[0])).nullable(true))
}

/// `to_xml(struct[, options])`.
fn to_xml(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let t = &c.types[0];
    if !matches!(t, datafusion::arrow::datatypes::DataType::Struct(_)) || spark_functions::variant::is_variant_type(t) {
        let sql = c.default_name();
        let shown = crate::types::from_arrow(t).map(|d| d.sql()).unwrap_or_default();
        return Err(ResolveError::analysis(
            "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
            "42K09",
            format!("Cannot resolve \"{sql}\" due to data type mismatch: The first parameter requires the \"STRUCT\" type, however \"{}\" has the type \"{shown}\".", c.names[0]),
            &[("sqlExpr", format!("\"{sql}\""))],
        ));
    }
    let f = spark_functions::xml::functions::ToXml::udf(options(c, 1)?, &r.config.time_zone);
    Ok(Built::new(call_udf(f, vec![c.arg(0)?])).named(format!("to_xml({})", c.names[0])).nullable(true))
}

/// `schema_of_xml(xml[, options])`: the xml must be a constant.
fn schema_of_xml(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let xml = match c.args.first().and_then(constant_value) {
        Some(datafusion::common::ScalarValue::Utf8(Some(s))) => s,
        _ => {
            let sql = c.default_name();
            return Err(ResolveError::analysis(
                "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT",
                "42K09",
                format!("Cannot resolve \"{sql}\" due to data type mismatch: the input `xml` should be a foldable \"STRING\" expression; however, got \"{}\".", c.names[0]),
                &[],
            ));
        }
    };
    let schema = spark_functions::xml::infer::schema_of_xml(&xml, &options(c, 1)?, &r.config.time_zone)?;
    Ok(Built::new(datafusion::logical_expr::lit(schema)).named(format!("schema_of_xml({})", c.names[0])).nullable(false))
}

pub(super) fn functions() -> Table {
    use Arity::{Exactly, Range};
    use In::{Any, String};
    let mut table: Table = vec![
        ("from_xml", f(Range(2, 3), &[String, Any, Any], from_xml)),
        ("to_xml", f(Range(1, 2), &[Any, Any], to_xml)),
        ("schema_of_xml", f(Range(1, 2), &[String, Any], schema_of_xml)),
    ];
    table.extend(["xpath", "xpath_string", "xpath_boolean", "xpath_double", "xpath_number", "xpath_float", "xpath_int", "xpath_long", "xpath_short"]
        .into_iter()
        .map(|name| (name, f(Exactly(2), &[String, String], xpath_by_name))));
    table
}
