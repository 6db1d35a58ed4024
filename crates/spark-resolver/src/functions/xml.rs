//! The XML functions: the `xpath*` family, whose path must be a constant
//! string (Spark's NON_FOLDABLE_INPUT otherwise); the evaluation is
//! `spark_functions::xpath`.

use spark_functions::xpath::{SparkXPath, XPathFn};

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

pub(super) fn functions() -> Table {
    use Arity::Exactly;
    use In::String;
    ["xpath", "xpath_string", "xpath_boolean", "xpath_double", "xpath_number", "xpath_float", "xpath_int", "xpath_long", "xpath_short"]
        .into_iter()
        .map(|name| (name, f(Exactly(2), &[String, String], xpath_by_name)))
        .collect()
}
