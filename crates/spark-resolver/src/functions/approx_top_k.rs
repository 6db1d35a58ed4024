//! `approx_top_k`, `approx_top_k_accumulate`, `approx_top_k_combine` and
//! `approx_top_k_estimate` (`spark_functions::approx_top_k`): their constant
//! arguments, the defaults Spark shows in names, and Spark's type checks.

use datafusion::arrow::datatypes::DataType as ArrowType;
use datafusion::common::ScalarValue;
use datafusion::logical_expr::expr::AggregateFunction;
use datafusion::logical_expr::{Expr as DfExpr, lit};
use spark_functions::approx_top_k::{self as topk, SparkApproxTopK, SparkApproxTopKEstimate, TopKAgg};
use spark_plan::DataType;

use super::{Arity, Built, Call, In, Table, call_udf, f, with_defaults};
use crate::{ResolveError, ResolveResult};

fn check_failure(name: &str, message: &str) -> ResolveError {
    ResolveError::analysis(
        "DATATYPE_MISMATCH.TYPE_CHECK_FAILURE_WITH_HINT",
        "42K09",
        format!("Cannot resolve \"{name}\" due to data type mismatch: {message}"),
        &[("sqlExpr", format!("\"{name}\"")), ("msg", message.to_string()), ("hint", String::new())],
    )
}

/// Constant integer argument `i`: `None` when absent, `Some(None)` for NULL.
fn int_arg(c: &Call<'_>, i: usize, name: &str, what: &str) -> ResolveResult<Option<Option<i64>>> {
    if i >= c.args.len() {
        return Ok(None);
    }
    match c.constant(i).map(|v| v.cast_to(&ArrowType::Int64)) {
        Some(Ok(ScalarValue::Int64(v))) => Ok(Some(v)),
        _ => Err(check_failure(name, what)),
    }
}

/// Spark's `typeName` of a type it will not sketch.
fn type_name(t: &ArrowType) -> String {
    match crate::types::from_arrow(t) {
        Ok(DataType::Array { .. }) => "array".into(),
        Ok(DataType::Map { .. }) => "map".into(),
        Ok(DataType::Struct(_)) => "struct".into(),
        Ok(other) => other.json_type_name(),
        Err(_) => t.to_string(),
    }
}

fn spark_sql(t: &ArrowType) -> String {
    crate::types::from_arrow(t).map(|d| d.sql()).unwrap_or_default()
}

/// The items' type, which Spark must be able to sketch.
fn items_type(c: &Call<'_>, name: &str) -> ResolveResult<ArrowType> {
    let t = c.types[0].clone();
    if topk::item_kind(&t).is_none() {
        return Err(check_failure(name, &format!("{} columns are not supported.", type_name(&t))));
    }
    Ok(t)
}

/// The item type of a state struct, after Spark's checks of its shape.
fn state_item_type(c: &Call<'_>, name: &str) -> ResolveResult<ArrowType> {
    let shown = match crate::types::from_arrow(&c.types[0]) {
        Ok(DataType::Null) => "struct<>".to_string(),
        Ok(t) => t.simple_string(),
        Err(_) => c.types[0].to_string(),
    };
    let ArrowType::Struct(fields) = &c.types[0] else {
        return Err(check_failure(name, &format!("State must be a struct with 4 fields. Expected struct: struct<sketch:binary,maxItemsTracked:int,itemDataType:any,itemDataTypeDDL:string>. Got: {shown}.")));
    };
    if fields.len() != 4 {
        return Err(check_failure(name, &format!("State must be a struct with 4 fields. Expected struct: struct<sketch:binary,maxItemsTracked:int,itemDataType:any,itemDataTypeDDL:string>. Got: {shown}.")));
    }
    let simple = |i: usize| crate::types::from_arrow(fields[i].data_type()).map(|t| t.simple_string()).unwrap_or_default();
    if !matches!(fields[0].data_type(), ArrowType::Binary | ArrowType::LargeBinary | ArrowType::BinaryView) {
        return Err(check_failure(name, &format!("State struct must have the first field to be binary. Got: {}", simple(0))));
    }
    if fields[1].data_type() != &ArrowType::Int32 {
        return Err(check_failure(name, &format!("State struct must have the second field to be int. Got: {}", simple(1))));
    }
    if topk::item_kind(fields[2].data_type()).is_none() {
        return Err(check_failure(name, &format!("State struct must have the third field to be a supported data type. Got: {}", simple(2))));
    }
    if !matches!(fields[3].data_type(), ArrowType::Utf8 | ArrowType::LargeUtf8 | ArrowType::Utf8View) {
        return Err(check_failure(name, &format!("State struct must have the fourth field to be string. Got: {}", simple(3))));
    }
    Ok(fields[2].data_type().clone())
}

fn aggregate(udaf: std::sync::Arc<datafusion::logical_expr::AggregateUDF>, arg: DfExpr) -> DfExpr {
    DfExpr::AggregateFunction(AggregateFunction::new_udf(udaf, vec![arg], false, None, vec![], None))
}

const K_CONSTANT: &str = "K must be a constant literal.";
const SIZE_CONSTANT: &str = "Number of items tracked must be a constant literal.";

fn top_k(c: &Call<'_>) -> ResolveResult<Built> {
    let name = with_defaults(c, &[(lit(topk::DEFAULT_K as i32), "5"), (lit(topk::DEFAULT_MAX_ITEMS_TRACKED as i32), "10000")]).1;
    let item = items_type(c, &name)?;
    let k = int_arg(c, 1, &name, K_CONSTANT)?.unwrap_or(Some(topk::DEFAULT_K));
    let max_items = int_arg(c, 2, &name, SIZE_CONSTANT)?.unwrap_or(Some(topk::DEFAULT_MAX_ITEMS_TRACKED));
    let udaf = SparkApproxTopK::udaf(TopKAgg::Top { k, max_items }, item.clone(), &spark_sql(&item));
    Ok(Built::new(aggregate(udaf, c.arg(0)?)).named(name).nullable(false))
}

fn accumulate(c: &Call<'_>) -> ResolveResult<Built> {
    let name = with_defaults(c, &[(lit(topk::DEFAULT_MAX_ITEMS_TRACKED as i32), "10000")]).1;
    let item = items_type(c, &name)?;
    let max_items = int_arg(c, 1, &name, SIZE_CONSTANT)?.unwrap_or(Some(topk::DEFAULT_MAX_ITEMS_TRACKED));
    let udaf = SparkApproxTopK::udaf(TopKAgg::Accumulate { max_items }, item.clone(), &spark_sql(&item));
    Ok(Built::new(aggregate(udaf, c.arg(0)?)).named(name).nullable(false))
}

fn combine(c: &Call<'_>) -> ResolveResult<Built> {
    let name = with_defaults(c, &[(lit(topk::VOID_MAX_ITEMS_TRACKED as i32), "-1")]).1;
    let item = state_item_type(c, &name)?;
    let max_items = int_arg(c, 1, &name, SIZE_CONSTANT)?.unwrap_or(Some(topk::VOID_MAX_ITEMS_TRACKED));
    let udaf = SparkApproxTopK::udaf(TopKAgg::Combine { max_items }, item.clone(), &spark_sql(&item));
    Ok(Built::new(aggregate(udaf, c.arg(0)?)).named(name).nullable(false))
}

fn estimate(c: &Call<'_>) -> ResolveResult<Built> {
    let name = with_defaults(c, &[(lit(topk::DEFAULT_K as i32), "5")]).1;
    let item = state_item_type(c, &name)?;
    let k = int_arg(c, 1, &name, K_CONSTANT)?.unwrap_or(Some(topk::DEFAULT_K));
    Ok(Built::new(call_udf(SparkApproxTopKEstimate::udf(k, item), vec![c.arg(0)?])).named(name).nullable(false))
}

pub(super) fn functions() -> Table {
    use Arity::*;
    use In::*;
    vec![
        ("approx_top_k", f(Range(1, 3), &[Any, Int, Int], |_, c| top_k(c))),
        ("approx_top_k_accumulate", f(Range(1, 2), &[Any, Int], |_, c| accumulate(c))),
        ("approx_top_k_combine", f(Range(1, 2), &[Any, Int], |_, c| combine(c))),
        ("approx_top_k_estimate", f(Range(1, 2), &[Any, Int], |_, c| estimate(c))),
    ]
}
