//! The `st_*` functions: `st_geomfromwkb` / `st_geogfromwkb` (WKB checked,
//! kept as given), `st_asbinary` (WKB in NDR or XDR byte order),
//! `st_setsrid` and `st_srid`.

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, BinaryArray, Int32Array};
use datafusion::arrow::datatypes::{DataType, Int32Type};
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use super::wkb::reencode;
use super::{GEOGRAPHY_SRID, SpatialKind, spatial_array, spatial_type};
use crate::error::{RuntimeKind, SparkRuntimeError};
use crate::{arg_arrays, bytes_at, columnar};

fn invalid_srid(srid: i32) -> SparkRuntimeError {
    SparkRuntimeError::new(
        RuntimeKind::IllegalArgument,
        "ST_INVALID_SRID_VALUE",
        "22023",
        format!("Invalid or unsupported SRID (spatial reference identifier) value: {srid}."),
    )
    .param("srid", srid.to_string())
}

/// Whether a value of `kind` may have `srid`.
pub fn valid_srid(kind: SpatialKind, srid: i32) -> bool {
    match kind {
        SpatialKind::Geography => srid == GEOGRAPHY_SRID,
        SpatialKind::Geometry => srid >= 0,
    }
}

fn int_at(a: &dyn Array, i: usize) -> Option<i32> {
    (!a.is_null(i)).then(|| a.as_primitive_opt::<Int32Type>().map(|p| p.value(i))).flatten()
}

/// Which `st_*` function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StFn {
    /// `st_geomfromwkb` / `st_geogfromwkb`: (wkb[, srid]).
    FromWkb(SpatialKind),
    /// (geo, endianness).
    AsBinary,
    /// (geo, srid).
    SetSrid(SpatialKind),
    /// (geo).
    Srid,
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SpatialFunction {
    signature: Signature,
    op: StFn,
    /// The SRID of the result type (`None`: ANY).
    srid: Option<i32>,
}

impl SpatialFunction {
    pub fn udf(op: StFn, srid: Option<i32>) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::variadic_any(Volatility::Immutable), op, srid }))
    }
}

impl ScalarUDFImpl for SpatialFunction {
    fn name(&self) -> &str {
        match self.op {
            StFn::FromWkb(SpatialKind::Geometry) => "st_geomfromwkb",
            StFn::FromWkb(SpatialKind::Geography) => "st_geogfromwkb",
            StFn::AsBinary => "st_asbinary",
            StFn::SetSrid(_) => "st_setsrid",
            StFn::Srid => "st_srid",
        }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(match self.op {
            StFn::FromWkb(kind) | StFn::SetSrid(kind) => spatial_type(kind, self.srid),
            StFn::AsBinary => DataType::Binary,
            StFn::Srid => DataType::Int32,
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = arg_arrays(&args)?;
        let n = args.number_rows;
        let df = SparkRuntimeError::into_df;
        // (srid, wkb) of a spatial argument.
        let value = |a: &dyn Array, i: usize| -> Option<(i32, Vec<u8>)> {
            if a.is_null(i) || a.data_type() == &DataType::Null {
                return None;
            }
            let s = a.as_struct_opt()?;
            Some((int_at(s.column(0).as_ref(), i)?, s.column(1).as_binary_opt::<i32>()?.value(i).to_vec()))
        };
        match self.op {
            StFn::FromWkb(kind) => {
                let mut rows = Vec::with_capacity(n);
                for i in 0..n {
                    let Some(wkb) = bytes_at(arrays[0].as_ref(), i) else {
                        rows.push(None);
                        continue;
                    };
                    let srid = match (kind, arrays.get(1)) {
                        (SpatialKind::Geography, _) => GEOGRAPHY_SRID,
                        (SpatialKind::Geometry, None) => 0,
                        (SpatialKind::Geometry, Some(a)) => match int_at(a.as_ref(), i) {
                            Some(s) => s,
                            None => {
                                rows.push(None);
                                continue;
                            }
                        },
                    };
                    if !valid_srid(kind, srid) {
                        return Err(df(invalid_srid(srid)));
                    }
                    reencode(wkb, true).map_err(df)?;
                    rows.push(Some((srid, wkb.to_vec())));
                }
                columnar(spatial_array(kind, self.srid, rows), scalar)
            }
            StFn::AsBinary => {
                let mut out: Vec<Option<Vec<u8>>> = Vec::with_capacity(n);
                for i in 0..n {
                    let (Some((_, wkb)), Some(order)) = (value(arrays[0].as_ref(), i), bytes_at(arrays[1].as_ref(), i)) else {
                        out.push(None);
                        continue;
                    };
                    let order = String::from_utf8_lossy(order);
                    let little = match order.to_ascii_uppercase().as_str() {
                        "NDR" => true,
                        "XDR" => false,
                        _ => {
                            return Err(df(SparkRuntimeError::new(
                                RuntimeKind::IllegalArgument,
                                "ST_INVALID_ENDIANNESS_VALUE",
                                "22023",
                                format!("Endianness '{order}' must be either 'NDR' (little-endian) or 'XDR' (big-endian)."),
                            )
                            .param("endianness", order.to_string())));
                        }
                    };
                    out.push(Some(reencode(&wkb, little).map_err(df)?));
                }
                columnar(Arc::new(out.iter().map(|o| o.as_deref()).collect::<BinaryArray>()), scalar)
            }
            StFn::SetSrid(kind) => {
                let mut rows = Vec::with_capacity(n);
                for i in 0..n {
                    let (Some((_, wkb)), Some(srid)) = (value(arrays[0].as_ref(), i), int_at(arrays[1].as_ref(), i)) else {
                        rows.push(None);
                        continue;
                    };
                    if !valid_srid(kind, srid) {
                        return Err(df(invalid_srid(srid)));
                    }
                    rows.push(Some((srid, wkb)));
                }
                columnar(spatial_array(kind, self.srid, rows), scalar)
            }
            StFn::Srid => {
                let out: Int32Array = (0..n).map(|i| value(arrays[0].as_ref(), i).map(|(s, _)| s)).collect();
                columnar(Arc::new(out), scalar)
            }
        }
    }
}
