//! Where Spark groups or deduplicates values (grouping keys, the arguments
//! of `DISTINCT` aggregates), floating-point values are normalized first so
//! that `-0.0` and `0.0`, and all NaNs, count as one value
//! (`spark_functions::float_normalize`).

use datafusion::common::DFSchema;
use datafusion::logical_expr::Expr as DfExpr;
use datafusion::logical_expr::expr::ScalarFunction;
use spark_functions::float_normalize::{NormalizeFloats, has_floats};

use super::field::expr_field;

/// `e`, normalized when its type (over `schema`) holds floating-point
/// numbers; unchanged otherwise, or when its type cannot be told here.
pub(crate) fn normalized_floats(e: DfExpr, schema: &DFSchema) -> DfExpr {
    match expr_field(&e, schema) {
        Ok(f) if has_floats(f.data_type()) => DfExpr::ScalarFunction(ScalarFunction::new_udf(NormalizeFloats::udf(), vec![e])),
        _ => e,
    }
}
