//! Vector functions over `ARRAY<FLOAT>` (`spark_functions::vector_fns`).
//! Spark casts nothing implicitly here: every vector argument must already
//! be an `ARRAY<FLOAT>` and every degree a `FLOAT`.

use datafusion::arrow::datatypes::DataType as ArrowType;
use datafusion::logical_expr::expr::AggregateFunction;
use datafusion::logical_expr::{Expr as DfExpr, lit};
use spark_functions::vector_fns::{SparkVector, SparkVectorAggregate, VectorFn};

use super::{Arity, Built, Call, In, Table, call_udf, f, type_mismatch_sql};
use crate::ResolveResult;

/// Checks that argument `i` is an `ARRAY<FLOAT>` (or, with `degree`, a `FLOAT`).
fn check(c: &Call<'_>, i: usize, degree: bool) -> ResolveResult<()> {
    let t = &c.types[i];
    let ok = if degree { matches!(t, ArrowType::Float32) } else { matches!(t, ArrowType::List(e) if e.data_type() == &ArrowType::Float32) };
    if ok { Ok(()) } else { Err(type_mismatch_sql(&c.default_name(), i, &c.names[i], t, if degree { "\"FLOAT\"" } else { "\"ARRAY<FLOAT>\"" })) }
}

fn pairwise(c: &Call<'_>, function: VectorFn) -> ResolveResult<Built> {
    check(c, 0, false)?;
    check(c, 1, false)?;
    Ok(Built::new(call_udf(SparkVector::udf(function), c.args.clone())).nullable(true))
}

/// `vector_norm(v[, degree])` and `vector_normalize(v[, degree])`; the degree defaults to 2.0.
fn with_degree(c: &Call<'_>, function: VectorFn) -> ResolveResult<Built> {
    check(c, 0, false)?;
    let (degree, shown) = match c.args.get(1) {
        Some(d) => {
            check(c, 1, true)?;
            (d.clone(), c.names[1].clone())
        }
        None => (lit(2.0f32), "2.0".to_string()),
    };
    let name = format!("{}({}, {shown})", c.name, c.names[0]);
    Ok(Built::new(call_udf(SparkVector::udf(function), vec![c.arg(0)?, degree])).named(name).nullable(true))
}

fn aggregate(c: &Call<'_>, average: bool) -> ResolveResult<Built> {
    check(c, 0, false)?;
    let e = DfExpr::AggregateFunction(AggregateFunction::new_udf(SparkVectorAggregate::udaf(average), vec![c.arg(0)?], false, None, vec![], None));
    Ok(Built::new(e).nullable(true))
}

pub(super) fn functions() -> Table {
    use Arity::*;
    use In::*;
    vec![
        ("vector_cosine_similarity", f(Exactly(2), &[Any], |_, c| pairwise(c, VectorFn::CosineSimilarity))),
        ("vector_inner_product", f(Exactly(2), &[Any], |_, c| pairwise(c, VectorFn::InnerProduct))),
        ("vector_l2_distance", f(Exactly(2), &[Any], |_, c| pairwise(c, VectorFn::L2Distance))),
        ("vector_norm", f(Range(1, 2), &[Any], |_, c| with_degree(c, VectorFn::Norm))),
        ("vector_normalize", f(Range(1, 2), &[Any], |_, c| with_degree(c, VectorFn::Normalize))),
        ("vector_sum", f(Exactly(1), &[Any], |_, c| aggregate(c, false))),
        ("vector_avg", f(Exactly(1), &[Any], |_, c| aggregate(c, true))),
    ]
}
