//! Spark's VARIANT type: its binary format ([`encoding`], [`builder`]),
//! JSON text ([`json`]), paths and edits ([`path`]), casts to and from
//! other types ([`cast`]), schemas ([`schema`]) and the functions over it
//! ([`functions`], [`schema_agg`]).
//!
//! In Arrow a variant is what Spark sends clients: a struct of two
//! non-null binaries `value` and `metadata`, the latter tagged
//! `variant: true`. A NULL variant is a NULL struct.

pub mod builder;
pub mod cast;
pub mod encoding;
pub mod functions;
pub mod json;
pub mod path;
pub mod schema;
pub mod schema_agg;

use std::collections::HashMap;
use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BinaryArray, BinaryBuilder, StructArray};
use datafusion::arrow::buffer::NullBuffer;
use datafusion::arrow::datatypes::{DataType, Field, Fields};

pub use encoding::Variant;

/// The field metadata marking the `metadata` child of a variant struct.
pub const VARIANT_MARKER: &str = "variant";

/// The Arrow fields of a variant struct.
pub fn variant_fields() -> Fields {
    Fields::from(vec![
        Field::new("value", DataType::Binary, false),
        Field::new("metadata", DataType::Binary, false).with_metadata(HashMap::from([(VARIANT_MARKER.to_string(), "true".to_string())])),
    ])
}

/// The Arrow type of VARIANT.
pub fn variant_type() -> DataType {
    DataType::Struct(variant_fields())
}

/// Whether an Arrow type is the variant struct.
pub fn is_variant_type(t: &DataType) -> bool {
    let DataType::Struct(fields) = t else { return false };
    fields.len() == 2
        && fields.iter().any(|f| f.name() == "value" && matches!(f.data_type(), DataType::Binary))
        && fields.iter().any(|f| f.name() == "metadata" && f.metadata().get(VARIANT_MARKER).is_some_and(|v| v == "true"))
}

/// Reads the variants of a variant struct array.
pub struct VariantColumn<'a> {
    array: &'a StructArray,
    value: &'a BinaryArray,
    metadata: &'a BinaryArray,
}

impl<'a> VariantColumn<'a> {
    pub fn new(array: &'a dyn Array) -> datafusion::common::Result<Self> {
        let Some(array) = array.as_struct_opt() else {
            return datafusion::common::exec_err!("expected a VARIANT column, got {}", array.data_type());
        };
        let (Some(value), Some(metadata)) = (array.column_by_name("value"), array.column_by_name("metadata")) else {
            return datafusion::common::exec_err!("expected a VARIANT column, got {}", array.data_type());
        };
        let (Some(value), Some(metadata)) = (value.as_binary_opt::<i32>(), metadata.as_binary_opt::<i32>()) else {
            return datafusion::common::exec_err!("expected a VARIANT column, got {}", array.data_type());
        };
        Ok(Self { array, value, metadata })
    }

    pub fn len(&self) -> usize {
        self.array.len()
    }

    pub fn is_empty(&self) -> bool {
        self.array.is_empty()
    }

    /// Row `i`, None when NULL.
    pub fn get(&self, i: usize) -> Option<Variant<'a>> {
        if self.array.is_null(i) {
            return None;
        }
        Some(Variant::new(self.value.value(i), self.metadata.value(i)))
    }
}

/// Collects variants (value, metadata) into a variant struct array.
#[derive(Default)]
pub struct VariantArrayBuilder {
    value: BinaryBuilder,
    metadata: BinaryBuilder,
    valid: Vec<bool>,
}

impl VariantArrayBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn append(&mut self, value: &[u8], metadata: &[u8]) {
        self.value.append_value(value);
        self.metadata.append_value(metadata);
        self.valid.push(true);
    }

    pub fn append_option(&mut self, v: Option<(Vec<u8>, Vec<u8>)>) {
        match v {
            Some((value, metadata)) => self.append(&value, &metadata),
            None => self.append_null(),
        }
    }

    pub fn append_null(&mut self) {
        self.value.append_value([]);
        self.metadata.append_value([]);
        self.valid.push(false);
    }

    pub fn finish(mut self) -> StructArray {
        let nulls = if self.valid.iter().all(|v| *v) { None } else { Some(NullBuffer::from(self.valid)) };
        let columns: Vec<ArrayRef> = vec![Arc::new(self.value.finish()), Arc::new(self.metadata.finish())];
        StructArray::new(variant_fields(), columns, nulls)
    }
}
