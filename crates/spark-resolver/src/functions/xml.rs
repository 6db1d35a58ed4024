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

fn xpath_list(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    xpath(c, XPathFn::List)
}
fn xpath_string(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    xpath(c, XPathFn::String)
}
fn xpath_boolean(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    xpath(c, XPathFn::Boolean)
}
fn xpath_double(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    xpath(c, XPathFn::Double)
}
fn xpath_float(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    xpath(c, XPathFn::Float)
}
fn xpath_int(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    xpath(c, XPathFn::Int)
}
fn xpath_long(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    xpath(c, XPathFn::Long)
}
fn xpath_short(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    xpath(c, XPathFn::Short)
}

pub(super) fn functions() -> Table {
    use Arity::Exactly;
    use In::String;
    vec![
        ("xpath", f(Exactly(2), &[String, String], xpath_list)),
        ("xpath_string", f(Exactly(2), &[String, String], xpath_string)),
        ("xpath_boolean", f(Exactly(2), &[String, String], xpath_boolean)),
        ("xpath_double", f(Exactly(2), &[String, String], xpath_double)),
        ("xpath_number", f(Exactly(2), &[String, String], xpath_double)),
        ("xpath_float", f(Exactly(2), &[String, String], xpath_float)),
        ("xpath_int", f(Exactly(2), &[String, String], xpath_int)),
        ("xpath_long", f(Exactly(2), &[String, String], xpath_long)),
        ("xpath_short", f(Exactly(2), &[String, String], xpath_short)),
    ]
}
