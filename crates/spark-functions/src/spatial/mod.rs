//! Spark's GEOMETRY and GEOGRAPHY types and the `st_*` functions over
//! them. A value is its SRID and its WKB; in Arrow it is what Spark sends
//! clients, a struct of a non-null INT `srid` and a non-null BINARY `wkb`
//! whose field metadata names the type and its SRID (-1 for ANY).

pub mod functions;
pub mod wkb;

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::arrow::array::{ArrayRef, BinaryArray, Int32Array, StructArray};
use datafusion::arrow::buffer::NullBuffer;
use datafusion::arrow::datatypes::{DataType, Field, Fields};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpatialKind {
    Geometry,
    Geography,
}

impl SpatialKind {
    fn marker(self) -> &'static str {
        match self {
            SpatialKind::Geometry => "geometry",
            SpatialKind::Geography => "geography",
        }
    }
}

/// The SRID of GEOGRAPHY values (WGS 84).
pub const GEOGRAPHY_SRID: i32 = 4326;
/// The SRID metadata of a type holding values of several SRIDs.
const MIXED_SRID: i32 = -1;

fn fields(kind: SpatialKind, srid: Option<i32>) -> Fields {
    let metadata = HashMap::from([(kind.marker().to_string(), "true".to_string()), ("srid".to_string(), srid.unwrap_or(MIXED_SRID).to_string())]);
    Fields::from(vec![Field::new("srid", DataType::Int32, false), Field::new("wkb", DataType::Binary, false).with_metadata(metadata)])
}

/// The Arrow type of GEOMETRY(srid) or GEOGRAPHY(srid) (`None`: ANY).
pub fn spatial_type(kind: SpatialKind, srid: Option<i32>) -> DataType {
    DataType::Struct(fields(kind, srid))
}

/// The kind and SRID of a spatial Arrow type.
pub fn spatial_kind(t: &DataType) -> Option<(SpatialKind, Option<i32>)> {
    let DataType::Struct(fs) = t else { return None };
    if fs.len() != 2 || fs[0].name() != "srid" {
        return None;
    }
    let wkb = fs.iter().find(|f| f.name() == "wkb")?;
    let kind = [SpatialKind::Geometry, SpatialKind::Geography].into_iter().find(|k| wkb.metadata().get(k.marker()).is_some_and(|v| v == "true"))?;
    let srid = wkb.metadata().get("srid").and_then(|s| s.parse::<i32>().ok()).filter(|s| *s != MIXED_SRID);
    Some((kind, srid))
}

/// A column of spatial values from (srid, wkb) per row.
pub fn spatial_array(kind: SpatialKind, type_srid: Option<i32>, rows: Vec<Option<(i32, Vec<u8>)>>) -> ArrayRef {
    let valid: Vec<bool> = rows.iter().map(Option::is_some).collect();
    let srids: Int32Array = rows.iter().map(|r| Some(r.as_ref().map_or(0, |(s, _)| *s))).collect();
    let wkbs: BinaryArray = rows.iter().map(|r| Some(r.as_ref().map_or(&[][..], |(_, w)| w.as_slice()))).collect();
    let nulls = if valid.iter().all(|v| *v) { None } else { Some(NullBuffer::from(valid)) };
    Arc::new(StructArray::new(fields(kind, type_srid), vec![Arc::new(srids), Arc::new(wkbs)], nulls))
}
