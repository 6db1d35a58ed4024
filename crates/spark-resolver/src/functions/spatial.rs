//! The geospatial `st_*` functions over GEOMETRY and GEOGRAPHY; their
//! evaluation is `spark_functions::spatial`.

use datafusion::arrow::datatypes::DataType as ArrowType;
use datafusion::common::ScalarValue;
use datafusion::logical_expr::lit;
use spark_functions::spatial::functions::{SpatialFunction, StFn};
use spark_functions::spatial::{GEOGRAPHY_SRID, SpatialKind, spatial_kind};

use super::{Arity, Built, Call, In, Table, call_udf, f};
use crate::resolver::Resolver;
use crate::{ResolveError, ResolveResult};

/// The SRID of argument `i` when it is an integer constant.
fn constant_srid(c: &Call<'_>, i: usize) -> Option<i32> {
    match c.constant(i)?.cast_to(&ArrowType::Int32).ok()? {
        ScalarValue::Int32(Some(s)) => Some(s),
        _ => None,
    }
}

/// The kind of spatial argument 0 (GEOMETRY for a NULL).
fn spatial_argument(c: &Call<'_>) -> ResolveResult<SpatialKind> {
    if c.types[0].is_null() {
        return Ok(SpatialKind::Geometry);
    }
    match spatial_kind(&c.types[0]) {
        Some((kind, _)) => Ok(kind),
        None => {
            let sql = c.default_name();
            let shown = crate::types::from_arrow(&c.types[0]).map(|d| d.sql()).unwrap_or_default();
            Err(ResolveError::analysis(
                "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                "42K09",
                format!("Cannot resolve \"{sql}\" due to data type mismatch: The first parameter requires the (\"GEOGRAPHY\" or \"GEOMETRY\") type, however \"{}\" has the type \"{shown}\".", c.names[0]),
                &[("sqlExpr", format!("\"{sql}\""))],
            ))
        }
    }
}

fn from_wkb(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    if c.name == "st_geogfromwkb" {
        let f = SpatialFunction::udf(StFn::FromWkb(SpatialKind::Geography), Some(GEOGRAPHY_SRID));
        return Ok(Built::new(call_udf(f, vec![c.arg(0)?])));
    }
    let (args, name) = super::with_defaults(c, &[(lit(0i32), "0")]);
    let srid = if c.args.len() < 2 { Some(0) } else { constant_srid(c, 1) };
    let f = SpatialFunction::udf(StFn::FromWkb(SpatialKind::Geometry), srid);
    Ok(Built::new(call_udf(f, args)).named(name))
}

fn as_binary(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    spatial_argument(c)?;
    let (args, name) = super::with_defaults(c, &[(lit("NDR"), "NDR")]);
    Ok(Built::new(call_udf(SpatialFunction::udf(StFn::AsBinary, None), args)).named(name))
}

fn set_srid(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let kind = spatial_argument(c)?;
    let f = SpatialFunction::udf(StFn::SetSrid(kind), constant_srid(c, 1));
    Ok(Built::new(call_udf(f, c.args.clone())))
}

fn srid(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    spatial_argument(c)?;
    Ok(Built::new(call_udf(SpatialFunction::udf(StFn::Srid, None), vec![c.arg(0)?])))
}

pub(super) fn functions() -> Table {
    use Arity::*;
    use In::{Any, Int, String};
    vec![
        ("st_geomfromwkb", f(Range(1, 2), &[Any, Int], from_wkb)),
        ("st_geogfromwkb", f(Exactly(1), &[Any], from_wkb)),
        ("st_asbinary", f(Range(1, 2), &[Any, String], as_binary)),
        ("st_setsrid", f(Exactly(2), &[Any, Int], set_srid)),
        ("st_srid", f(Exactly(1), &[Any], srid)),
    ]
}
