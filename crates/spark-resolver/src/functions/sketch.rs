//! The sketch functions (`spark_functions::sketch`): their constant
//! arguments (`lgNomEntries`, `lgConfigK`, `k`, the tuple mode, ...), the
//! defaults Spark shows in column names, and the accepted input types.

use datafusion::arrow::datatypes::DataType as ArrowType;
use datafusion::common::ScalarValue;
use datafusion::logical_expr::expr::AggregateFunction;
use datafusion::logical_expr::{Expr as DfExpr, lit};
use spark_functions::sketch::hll::{SparkHll, SparkHllAgg};
use spark_functions::sketch::kll::{self, Item, KllFn, SparkKll, SparkKllAgg};
use spark_functions::sketch::theta::{SparkTheta, SparkThetaAgg, ThetaAgg, ThetaFn};
use spark_functions::sketch::tuple::{Mode, SparkTuple, SparkTupleAgg, Summary, TupleAgg, TupleFn};

use super::{Arity, Built, Call, In, Table, call_udf, f, type_mismatch_sql, with_defaults};
use crate::{ResolveError, ResolveResult};

fn aggregate(udaf: std::sync::Arc<datafusion::logical_expr::AggregateUDF>, args: Vec<DfExpr>) -> DfExpr {
    DfExpr::AggregateFunction(AggregateFunction::new_udf(udaf, args, false, None, vec![], None))
}

fn not_constant(c: &Call<'_>, i: usize) -> ResolveError {
    ResolveError::analysis(
        "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT",
        "42K09",
        format!("Cannot resolve \"{}\" due to data type mismatch: the input {} should be a foldable expression.", c.default_name(), c.names.get(i).cloned().unwrap_or_default()),
        &[],
    )
}

/// Constant integer argument `i`, or `default` when absent.
fn int_arg(c: &Call<'_>, i: usize, default: i64) -> ResolveResult<i64> {
    if i >= c.args.len() {
        return Ok(default);
    }
    match c.constant(i).map(|v| v.cast_to(&ArrowType::Int64)) {
        Some(Ok(ScalarValue::Int64(Some(v)))) => Ok(v),
        _ => Err(not_constant(c, i)),
    }
}

fn bool_arg(c: &Call<'_>, i: usize) -> ResolveResult<bool> {
    if i >= c.args.len() {
        return Ok(false);
    }
    match c.constant(i) {
        Some(ScalarValue::Boolean(Some(v))) => Ok(v),
        _ => Err(not_constant(c, i)),
    }
}

/// The tuple mode in argument `i` (`sum` when absent).
fn mode_arg(c: &Call<'_>, i: usize) -> ResolveResult<Mode> {
    if i >= c.args.len() {
        return Ok(Mode::Sum);
    }
    let given = match c.constant(i) {
        Some(ScalarValue::Utf8(Some(s))) => s,
        _ => return Err(not_constant(c, i)),
    };
    Mode::parse(&given).ok_or_else(|| {
        ResolveError::analysis(
            "DATATYPE_MISMATCH.TYPE_CHECK_FAILURE_WITH_HINT",
            "42K09",
            format!(
                "Cannot resolve \"{}\" due to data type mismatch: [TUPLE_INVALID_SKETCH_MODE] Invalid call to `{}`: mode '{given}' is not supported. Valid modes are: sum, min, max, alwaysone. SQLSTATE: 22023.",
                c.default_name(),
                c.name
            ),
            &[],
        )
    })
}

/// Checks that the items of a sketch aggregate have one of `allowed`
/// types (Spark lists them in its error).
fn check_items(c: &Call<'_>, allowed: &[&str]) -> ResolveResult<()> {
    let t = &c.types[0];
    let name = match t {
        ArrowType::Int8 | ArrowType::Int16 | ArrowType::Int32 => "INT",
        ArrowType::Int64 => "BIGINT",
        ArrowType::Float32 => "FLOAT",
        ArrowType::Float64 => "DOUBLE",
        ArrowType::Utf8 | ArrowType::LargeUtf8 | ArrowType::Utf8View => "STRING",
        ArrowType::Binary | ArrowType::LargeBinary => "BINARY",
        ArrowType::List(e) if matches!(e.data_type(), ArrowType::Int32) => "ARRAY<INT>",
        ArrowType::List(e) if matches!(e.data_type(), ArrowType::Int64) => "ARRAY<BIGINT>",
        ArrowType::Null => return Ok(()),
        _ => "",
    };
    if allowed.contains(&name) {
        return Ok(());
    }
    let required = format!("({})", allowed.iter().map(|a| format!("\"{a}\"")).collect::<Vec<_>>().join(" or "));
    Err(type_mismatch_sql(&c.default_name(), 0, &c.names[0], t, &required))
}

const THETA_ITEMS: &[&str] = &["ARRAY<INT>", "ARRAY<BIGINT>", "BINARY", "DOUBLE", "FLOAT", "INT", "BIGINT", "STRING"];
const HLL_ITEMS: &[&str] = &["INT", "BIGINT", "STRING", "BINARY"];

fn theta_agg(c: &Call<'_>, kind: ThetaAgg) -> ResolveResult<Built> {
    if kind == ThetaAgg::Build {
        check_items(c, THETA_ITEMS)?;
    }
    let (lg, name) = if kind == ThetaAgg::Intersection {
        (12, c.default_name())
    } else {
        let lg = int_arg(c, 1, 12)?;
        (lg, with_defaults(c, &[(lit(12i32), "12")]).1)
    };
    Ok(Built::new(aggregate(SparkThetaAgg::udaf(kind, lg, 1), vec![c.arg(0)?])).named(name).nullable(false))
}

fn theta_fn(c: &Call<'_>, function: ThetaFn) -> ResolveResult<Built> {
    let (function, name) = match function {
        ThetaFn::Union(_) => (ThetaFn::Union(int_arg(c, 2, 12)?), with_defaults(c, &[(lit(12i32), "12")]).1),
        other => (other, c.default_name()),
    };
    let arity = if function == ThetaFn::Estimate { 1 } else { 2 };
    Ok(Built::new(call_udf(SparkTheta::udf(function), c.args[..arity].to_vec())).named(name))
}

fn hll_agg(c: &Call<'_>, union: bool) -> ResolveResult<Built> {
    let (lg, allow, name) = if union {
        (12, bool_arg(c, 1)?, with_defaults(c, &[(lit(false), "false")]).1)
    } else {
        check_items(c, HLL_ITEMS)?;
        (int_arg(c, 1, 12)?, false, with_defaults(c, &[(lit(12i32), "12")]).1)
    };
    Ok(Built::new(aggregate(SparkHllAgg::udaf(union, lg, allow, 1), vec![c.arg(0)?])).named(name).nullable(false))
}

fn hll_fn(c: &Call<'_>, union: bool) -> ResolveResult<Built> {
    if union {
        let name = with_defaults(c, &[(lit(false), "false")]).1;
        return Ok(Built::new(call_udf(SparkHll::udf(Some(bool_arg(c, 2)?)), c.args[..2].to_vec())).named(name));
    }
    Ok(Built::new(call_udf(SparkHll::udf(None), vec![c.arg(0)?])))
}

/// The shown defaults of a tuple function whose optional arguments start at
/// `first` and are `lgNomEntries` (when `lg`) then the mode.
fn tuple_defaults(c: &Call<'_>, lg: bool) -> String {
    let defaults: &[(DfExpr, &str)] = if lg { &[(lit(12i32), "12"), (lit("sum"), "sum")] } else { &[(lit("sum"), "sum")] };
    with_defaults(c, defaults).1
}

fn tuple_agg(c: &Call<'_>, kind: TupleAgg, summary: Summary) -> ResolveResult<Built> {
    let (first, lg_used) = match kind {
        TupleAgg::Build => (2, true),
        TupleAgg::Union => (1, true),
        TupleAgg::Intersection => (1, false),
    };
    let mut args = vec![c.arg(0)?];
    if kind == TupleAgg::Build {
        check_items(c, THETA_ITEMS)?;
        let t = if summary == Summary::Double { ArrowType::Float64 } else { ArrowType::Int32 };
        args.push(super::cast(c.arg(1)?, t));
    }
    let lg = if lg_used { int_arg(c, first, 12)? } else { 12 };
    let mode = mode_arg(c, if lg_used { first + 1 } else { first })?;
    let udaf = SparkTupleAgg::udaf(kind, summary, lg, mode, args.len());
    Ok(Built::new(aggregate(udaf, args)).named(tuple_defaults(c, lg_used)).nullable(false))
}

fn tuple_fn(c: &Call<'_>, function: TupleFn, summary: Summary) -> ResolveResult<Built> {
    let (arity, lg_used, mode_used) = match function {
        TupleFn::Union | TupleFn::UnionTheta => (2, true, true),
        TupleFn::Intersection | TupleFn::IntersectionTheta => (2, false, true),
        TupleFn::Difference | TupleFn::DifferenceTheta => (2, false, false),
        TupleFn::Summary => (1, false, true),
        TupleFn::Estimate | TupleFn::Theta => (1, false, false),
    };
    let lg = if lg_used { int_arg(c, arity, 12)? } else { 12 };
    let mode = if mode_used { mode_arg(c, if lg_used { arity + 1 } else { arity })? } else { Mode::Sum };
    let name = if mode_used { tuple_defaults(c, lg_used) } else { c.default_name() };
    Ok(Built::new(call_udf(SparkTuple::udf(function, summary, lg, mode), c.args[..arity].to_vec())).named(name))
}

fn kll_item_check(c: &Call<'_>, item: Item) -> ResolveResult<()> {
    let t = &c.types[0];
    let ok = match item {
        Item::Bigint => matches!(t, ArrowType::Int8 | ArrowType::Int16 | ArrowType::Int32 | ArrowType::Int64 | ArrowType::Null),
        Item::Float => matches!(t, ArrowType::Float32 | ArrowType::Null),
        Item::Double => matches!(t, ArrowType::Float32 | ArrowType::Float64 | ArrowType::Null),
    };
    let required = match item {
        Item::Bigint => "(\"TINYINT\" or \"INT\" or \"BIGINT\" or \"SMALLINT\")",
        Item::Float => "\"FLOAT\"",
        Item::Double => "(\"FLOAT\" or \"DOUBLE\")",
    };
    if ok { Ok(()) } else { Err(type_mismatch_sql(&c.default_name(), 0, &c.names[0], t, required)) }
}

fn kll_agg(c: &Call<'_>, item: Item, merge: bool) -> ResolveResult<Built> {
    if !merge {
        kll_item_check(c, item)?;
    }
    let k = int_arg(c, 1, kll::DEFAULT_K as i64)?;
    if let Some(hint) = kll::k_out_of_range(c.name, k) {
        return Err(ResolveError::analysis(
            "DATATYPE_MISMATCH.TYPE_CHECK_FAILURE_WITH_HINT",
            "42K09",
            format!("Cannot resolve \"{}\" due to data type mismatch: [KLL_SKETCH_K_OUT_OF_RANGE] {hint} SQLSTATE: 22003.", c.default_name()),
            &[],
        ));
    }
    Ok(Built::new(aggregate(SparkKllAgg::udaf(item, merge, k as u16, 1), vec![c.arg(0)?])).nullable(false))
}

fn kll_fn(c: &Call<'_>, function: KllFn, item: Item) -> ResolveResult<Built> {
    let array = c.types.get(1).is_some_and(|t| matches!(t, ArrowType::List(_)));
    let mut args = c.args.clone();
    if function == KllFn::Rank && !array {
        // The value is compared as an item of the sketch's type.
        args[1] = super::cast(args[1].clone(), item.data_type());
    }
    Ok(Built::new(call_udf(SparkKll::udf(function, item, array), args)))
}

pub(super) fn functions() -> Table {
    use Arity::*;
    use In::*;
    let mut t: Table = vec![
        ("theta_sketch_agg", f(Range(1, 2), &[Any, Int], |_, c| theta_agg(c, ThetaAgg::Build))),
        ("theta_union_agg", f(Range(1, 2), &[Any, Int], |_, c| theta_agg(c, ThetaAgg::Union))),
        ("theta_intersection_agg", f(Exactly(1), &[Any], |_, c| theta_agg(c, ThetaAgg::Intersection))),
        ("theta_union", f(Range(2, 3), &[Any, Any, Int], |_, c| theta_fn(c, ThetaFn::Union(12)))),
        ("theta_intersection", f(Exactly(2), &[Any, Any], |_, c| theta_fn(c, ThetaFn::Intersection))),
        ("theta_difference", f(Exactly(2), &[Any, Any], |_, c| theta_fn(c, ThetaFn::Difference))),
        ("theta_sketch_estimate", f(Exactly(1), &[Any], |_, c| theta_fn(c, ThetaFn::Estimate))),
        ("hll_sketch_agg", f(Range(1, 2), &[Any, Int], |_, c| hll_agg(c, false))),
        ("hll_union_agg", f(Range(1, 2), &[Any, Boolean], |_, c| hll_agg(c, true))),
        ("hll_union", f(Range(2, 3), &[Any, Any, Boolean], |_, c| hll_fn(c, true))),
        ("hll_sketch_estimate", f(Exactly(1), &[Any], |_, c| hll_fn(c, false))),
    ];
    macro_rules! tuple_family {
        ($suffix:literal, $summary:expr) => {
            t.extend([
                (concat!("tuple_sketch_agg_", $suffix), f(Range(2, 4), &[Any, Any, Int, String], |_, c| tuple_agg(c, TupleAgg::Build, $summary))),
                (concat!("tuple_union_agg_", $suffix), f(Range(1, 3), &[Any, Int, String], |_, c| tuple_agg(c, TupleAgg::Union, $summary))),
                (concat!("tuple_intersection_agg_", $suffix), f(Range(1, 2), &[Any, String], |_, c| tuple_agg(c, TupleAgg::Intersection, $summary))),
                (concat!("tuple_union_", $suffix), f(Range(2, 4), &[Any, Any, Int, String], |_, c| tuple_fn(c, TupleFn::Union, $summary))),
                (concat!("tuple_intersection_", $suffix), f(Range(2, 3), &[Any, Any, String], |_, c| tuple_fn(c, TupleFn::Intersection, $summary))),
                (concat!("tuple_difference_", $suffix), f(Exactly(2), &[Any, Any], |_, c| tuple_fn(c, TupleFn::Difference, $summary))),
                (concat!("tuple_union_theta_", $suffix), f(Range(2, 4), &[Any, Any, Int, String], |_, c| tuple_fn(c, TupleFn::UnionTheta, $summary))),
                (concat!("tuple_intersection_theta_", $suffix), f(Range(2, 3), &[Any, Any, String], |_, c| tuple_fn(c, TupleFn::IntersectionTheta, $summary))),
                (concat!("tuple_difference_theta_", $suffix), f(Exactly(2), &[Any, Any], |_, c| tuple_fn(c, TupleFn::DifferenceTheta, $summary))),
                (concat!("tuple_sketch_estimate_", $suffix), f(Exactly(1), &[Any], |_, c| tuple_fn(c, TupleFn::Estimate, $summary))),
                (concat!("tuple_sketch_summary_", $suffix), f(Range(1, 2), &[Any, String], |_, c| tuple_fn(c, TupleFn::Summary, $summary))),
                (concat!("tuple_sketch_theta_", $suffix), f(Exactly(1), &[Any], |_, c| tuple_fn(c, TupleFn::Theta, $summary))),
            ]);
        };
    }
    tuple_family!("double", Summary::Double);
    tuple_family!("integer", Summary::Integer);
    macro_rules! kll_family {
        ($suffix:literal, $item:expr) => {
            t.extend([
                (concat!("kll_sketch_agg_", $suffix), f(Range(1, 2), &[Any, Int], |_, c| kll_agg(c, $item, false))),
                (concat!("kll_merge_agg_", $suffix), f(Range(1, 2), &[Any, Int], |_, c| kll_agg(c, $item, true))),
                (concat!("kll_sketch_get_n_", $suffix), f(Exactly(1), &[Any], |_, c| kll_fn(c, KllFn::N, $item))),
                (concat!("kll_sketch_get_quantile_", $suffix), f(Exactly(2), &[Any, Any], |_, c| kll_fn(c, KllFn::Quantile, $item))),
                (concat!("kll_sketch_get_rank_", $suffix), f(Exactly(2), &[Any, Any], |_, c| kll_fn(c, KllFn::Rank, $item))),
                (concat!("kll_sketch_merge_", $suffix), f(Exactly(2), &[Any, Any], |_, c| kll_fn(c, KllFn::Merge, $item))),
                (concat!("kll_sketch_to_string_", $suffix), f(Exactly(1), &[Any], |_, c| kll_fn(c, KllFn::ToString, $item))),
            ]);
        };
    }
    kll_family!("bigint", Item::Bigint);
    kll_family!("float", Item::Float);
    kll_family!("double", Item::Double);
    t
}
