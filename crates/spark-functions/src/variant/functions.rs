//! The scalar functions over VARIANT, each a DataFusion UDF: parsing
//! (`parse_json`), tests (`is_variant_null`, `is_valid_variant`), casts in
//! (`to_variant_object`, `CAST(x AS VARIANT)`) and out (`variant_get`,
//! `CAST(v AS t)`, JSON text), `schema_of_variant`, and the edits.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, BooleanArray, StringArray};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use super::cast::{CastOptions, from_variants, to_variant_array};
use super::encoding::Variant;
use super::json::{JsonZone, parse_json, to_json};
use super::path::{Edit, Segment, extract, invalid_get_path, invalid_path, parse_path};
use super::{VariantArrayBuilder, VariantColumn, variant_type};
use crate::error::SparkRuntimeError;
use crate::temporal_parse::TemporalParser;
use crate::{arg_arrays, columnar};

fn udf(f: impl ScalarUDFImpl + 'static) -> Arc<ScalarUDF> {
    Arc::new(ScalarUDF::new_from_impl(f))
}

fn text_at(a: &dyn Array, i: usize) -> Option<String> {
    crate::bytes_at(a, i).map(|b| String::from_utf8_lossy(b).into_owned())
}

/// `parse_json` / `try_parse_json`.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct ParseJson {
    signature: Signature,
    fail_on_error: bool,
}

impl ParseJson {
    pub fn udf(fail_on_error: bool) -> Arc<ScalarUDF> {
        udf(Self { signature: Signature::any(1, Volatility::Immutable), fail_on_error })
    }
}

impl ScalarUDFImpl for ParseJson {
    fn name(&self) -> &str {
        if self.fail_on_error { "parse_json" } else { "try_parse_json" }
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(variant_type())
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = arg_arrays(&args)?;
        let mut out = VariantArrayBuilder::new();
        for i in 0..args.number_rows {
            match text_at(arrays[0].as_ref(), i) {
                None => out.append_null(),
                Some(text) => match parse_json(&text) {
                    Ok((value, metadata)) => out.append(&value, &metadata),
                    Err(_) if !self.fail_on_error => out.append_null(),
                    Err(e) => return Err(e.into_df()),
                },
            }
        }
        columnar(Arc::new(out.finish()), scalar)
    }
}

/// Which test of a variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VariantTest {
    /// `is_variant_null`: false for SQL NULL.
    IsNull,
    /// `is_valid_variant`: NULL for SQL NULL.
    IsValid,
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct VariantPredicate {
    signature: Signature,
    test: VariantTest,
}

impl VariantPredicate {
    pub fn udf(test: VariantTest) -> Arc<ScalarUDF> {
        udf(Self { signature: Signature::any(1, Volatility::Immutable), test })
    }
}

impl ScalarUDFImpl for VariantPredicate {
    fn name(&self) -> &str {
        match self.test {
            VariantTest::IsNull => "is_variant_null",
            VariantTest::IsValid => "is_valid_variant",
        }
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Boolean)
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = arg_arrays(&args)?;
        if arrays[0].data_type() == &DataType::Null {
            let v = if self.test == VariantTest::IsNull { Some(false) } else { None };
            return columnar(Arc::new(BooleanArray::from(vec![v; args.number_rows])), scalar);
        }
        let column = VariantColumn::new(arrays[0].as_ref())?;
        let mut out = Vec::with_capacity(column.len());
        for i in 0..column.len() {
            out.push(match (column.get(i), self.test) {
                (None, VariantTest::IsNull) => Some(false),
                (None, VariantTest::IsValid) => None,
                (Some(v), VariantTest::IsNull) => {
                    let first = v.value.first().ok_or_else(|| super::encoding::malformed().into_df())?;
                    Some(*first == 0)
                }
                (Some(v), VariantTest::IsValid) => Some(super::encoding::is_valid(v.value, v.metadata)),
            });
        }
        columnar(Arc::new(BooleanArray::from(out)), scalar)
    }
}

/// `to_variant_object(x)` and `CAST(x AS VARIANT)`.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct ToVariant {
    signature: Signature,
    name: String,
}

impl ToVariant {
    pub fn udf(name: &str) -> Arc<ScalarUDF> {
        udf(Self { signature: Signature::any(1, Volatility::Immutable), name: name.to_string() })
    }
}

impl ScalarUDFImpl for ToVariant {
    fn name(&self) -> &str {
        &self.name
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(variant_type())
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = arg_arrays(&args)?;
        let out = to_variant_array(arrays[0].as_ref(), &self.name).map_err(SparkRuntimeError::into_df)?;
        columnar(Arc::new(out), scalar)
    }
}

/// The path of a call: parsed once when constant.
enum PathArg {
    Constant(Option<Vec<Segment>>),
    PerRow(ArrayRef),
}

fn path_arg(arg: Option<&ColumnarValue>, rows: usize, parse: impl Fn(&str) -> Result<Vec<Segment>>) -> Result<PathArg> {
    Ok(match arg {
        None => PathArg::Constant(Some(vec![])),
        Some(ColumnarValue::Scalar(s)) => match s {
            ScalarValue::Utf8(p) | ScalarValue::LargeUtf8(p) | ScalarValue::Utf8View(p) => PathArg::Constant(p.as_deref().map(&parse).transpose()?),
            _ => PathArg::Constant(None),
        },
        Some(ColumnarValue::Array(a)) => PathArg::PerRow(ColumnarValue::Array(a.clone()).to_array(rows)?),
    })
}

impl PathArg {
    fn at(&self, row: usize, parse: impl Fn(&str) -> Result<Vec<Segment>>) -> Result<Option<Vec<Segment>>> {
        match self {
            PathArg::Constant(p) => Ok(p.clone()),
            PathArg::PerRow(a) => text_at(a.as_ref(), row).map(|t| parse(&t)).transpose(),
        }
    }
}

/// `variant_get` / `try_variant_get` (and a cast out of VARIANT, whose
/// path is `$`).
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct VariantGet {
    signature: Signature,
    target: DataType,
    fail_on_error: bool,
    time_zone: String,
    name: String,
}

impl VariantGet {
    pub fn udf(name: &str, target: DataType, fail_on_error: bool, time_zone: &str) -> Arc<ScalarUDF> {
        udf(Self { signature: Signature::variadic_any(Volatility::Immutable), target, fail_on_error, time_zone: time_zone.to_string(), name: name.to_string() })
    }
}

impl ScalarUDFImpl for VariantGet {
    fn name(&self) -> &str {
        &self.name
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(self.target.clone())
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let scalar = args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_)));
        let input = args.args[0].to_array(rows)?;
        let shown = format!("`{}`", self.name);
        let parse = |p: &str| parse_path(p).ok_or_else(|| invalid_get_path(p, &shown).into_df());
        let path = path_arg(args.args.get(1), rows, parse)?;
        let parser = TemporalParser::new(None, None, &self.time_zone)?;
        let opts = CastOptions { fail_on_error: self.fail_on_error, zone: JsonZone::new(&self.time_zone), parser: &parser };
        let mut picked: Vec<Option<Variant<'_>>> = Vec::with_capacity(rows);
        if input.data_type() == &DataType::Null {
            picked.resize(rows, None);
        } else {
            let column = VariantColumn::new(input.as_ref())?;
            for i in 0..rows {
                let segments = path.at(i, parse)?;
                picked.push(match (column.get(i), segments) {
                    (Some(v), Some(segments)) => extract(v, &segments).map_err(SparkRuntimeError::into_df)?,
                    _ => None,
                });
            }
        }
        let out = from_variants(&picked, &self.target, &opts).map_err(SparkRuntimeError::into_df)?;
        columnar(out, scalar)
    }
}

/// What text a variant becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VariantText {
    /// `to_json(v)`.
    Json,
    /// `schema_of_variant(v)`.
    Schema,
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct VariantToText {
    signature: Signature,
    kind: VariantText,
    time_zone: String,
}

impl VariantToText {
    pub fn udf(kind: VariantText, time_zone: &str) -> Arc<ScalarUDF> {
        udf(Self { signature: Signature::any(1, Volatility::Immutable), kind, time_zone: time_zone.to_string() })
    }
}

impl ScalarUDFImpl for VariantToText {
    fn name(&self) -> &str {
        match self.kind {
            VariantText::Json => "variant_to_json",
            VariantText::Schema => "schema_of_variant",
        }
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = arg_arrays(&args)?;
        if arrays[0].data_type() == &DataType::Null {
            return columnar(Arc::new(StringArray::from(vec![None::<String>; args.number_rows])), scalar);
        }
        let column = VariantColumn::new(arrays[0].as_ref())?;
        let zone = JsonZone::new(&self.time_zone);
        let mut out = Vec::with_capacity(column.len());
        for i in 0..column.len() {
            out.push(match column.get(i) {
                None => None,
                Some(v) => Some(
                    match self.kind {
                        VariantText::Json => to_json(v, zone),
                        VariantText::Schema => super::schema::schema_of(v).map(|s| s.sql()),
                    }
                    .map_err(SparkRuntimeError::into_df)?,
                ),
            });
        }
        columnar(Arc::new(StringArray::from(out)), scalar)
    }
}

/// The rebuilding functions: `variant_set`, `variant_insert`,
/// `variant_array_append` (and their `try_` forms), `variant_delete` and
/// `variant_strip_nulls`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VariantEditKind {
    Set,
    Insert,
    Append,
    Delete,
    StripNulls,
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct VariantEdit {
    signature: Signature,
    kind: VariantEditKind,
    fail_on_error: bool,
    name: String,
}

impl VariantEdit {
    pub fn udf(name: &str, kind: VariantEditKind, fail_on_error: bool) -> Arc<ScalarUDF> {
        udf(Self { signature: Signature::variadic_any(Volatility::Immutable), kind, fail_on_error, name: name.to_string() })
    }

    fn row(&self, args: &[ArrayRef], i: usize, column: &VariantColumn<'_>) -> Result<Option<(Vec<u8>, Vec<u8>)>> {
        let Some(v) = column.get(i) else { return Ok(None) };
        let parse = |p: &str| -> Result<Vec<Segment>> {
            let segments = parse_path(p).ok_or_else(|| invalid_path(p, &self.name).into_df())?;
            if segments.is_empty() && self.kind != VariantEditKind::Append {
                return Err(invalid_path(p, &self.name).into_df());
            }
            Ok(segments)
        };
        match self.kind {
            VariantEditKind::StripNulls => {
                let arrays = match args.get(1) {
                    Some(a) if a.is_null(i) => return Ok(None),
                    Some(a) => a.as_boolean_opt().is_none_or(|b| b.value(i)),
                    None => true,
                };
                Ok(Some(super::path::strip_nulls(v, arrays).map_err(SparkRuntimeError::into_df)?))
            }
            VariantEditKind::Delete => {
                let mut current = super::builder::rebuild(v).map_err(SparkRuntimeError::into_df)?;
                for a in &args[1..] {
                    let Some(p) = text_at(a.as_ref(), i) else { continue };
                    let segments = parse(&p)?;
                    let (value, metadata) = &current;
                    let next = super::path::edit(Variant::new(value, metadata), &segments, Edit::Delete, None, &self.name)
                        .map_err(|e| e.into_spark(&segments, &p, &self.name).into_df())?;
                    current = next;
                }
                Ok(Some(current))
            }
            VariantEditKind::Set | VariantEditKind::Insert | VariantEditKind::Append => {
                let Some(p) = text_at(args[1].as_ref(), i) else { return Ok(None) };
                let segments = parse(&p)?;
                if args[2].data_type() == &DataType::Null || args[2].is_null(i) {
                    return Ok(None);
                }
                let edit = match self.kind {
                    VariantEditKind::Set => {
                        let create = match args.get(3) {
                            Some(a) if a.is_null(i) => return Ok(None),
                            Some(a) => a.as_boolean_opt().is_none_or(|b| b.value(i)),
                            None => true,
                        };
                        Edit::Set { create }
                    }
                    VariantEditKind::Insert => Edit::Insert,
                    _ => Edit::Append,
                };
                let mut b = super::builder::VariantBuilder::new();
                super::cast::append_value(&mut b, args[2].as_ref(), i).map_err(SparkRuntimeError::into_df)?;
                let (value, metadata) = b.finish(&self.name).map_err(SparkRuntimeError::into_df)?;
                match super::path::edit(v, &segments, edit, Some(Variant::new(&value, &metadata)), &self.name) {
                    Ok(r) => Ok(Some(r)),
                    Err(super::path::EditError::Variant(e)) => Err(e.into_df()),
                    Err(e @ super::path::EditError::TooLarge) => Err(e.into_spark(&segments, &p, &self.name).into_df()),
                    Err(_) if !self.fail_on_error => Ok(None),
                    Err(e) => Err(e.into_spark(&segments, &p, &self.name).into_df()),
                }
            }
        }
    }
}

impl ScalarUDFImpl for VariantEdit {
    fn name(&self) -> &str {
        &self.name
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(variant_type())
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = arg_arrays(&args)?;
        let mut out = VariantArrayBuilder::new();
        if arrays[0].data_type() == &DataType::Null {
            (0..args.number_rows).for_each(|_| out.append_null());
            return columnar(Arc::new(out.finish()), scalar);
        }
        let column = VariantColumn::new(arrays[0].as_ref())?;
        for i in 0..args.number_rows {
            out.append_option(self.row(&arrays, i, &column)?);
        }
        columnar(Arc::new(out.finish()), scalar)
    }
}

/// The fields of `variant_explode`'s rows.
pub fn explode_fields() -> datafusion::arrow::datatypes::Fields {
    use datafusion::arrow::datatypes::Field;
    datafusion::arrow::datatypes::Fields::from(vec![
        Field::new("pos", DataType::Int32, false),
        Field::new("key", DataType::Utf8, true),
        Field::new("value", variant_type(), false),
    ])
}

/// `variant_explode`'s rows of each variant, as a list of structs
/// `(pos, key, value)`: an object's fields (each value keeps the object's
/// metadata, as Spark's) or an array's elements; nothing for anything else.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct VariantEntries {
    signature: Signature,
}

impl VariantEntries {
    pub fn udf() -> Arc<ScalarUDF> {
        udf(Self { signature: Signature::any(1, Volatility::Immutable) })
    }

    pub fn return_type() -> DataType {
        DataType::List(Arc::new(datafusion::arrow::datatypes::Field::new("item", DataType::Struct(explode_fields()), true)))
    }
}

impl ScalarUDFImpl for VariantEntries {
    fn name(&self) -> &str {
        "variant_explode_entries"
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(Self::return_type())
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        use datafusion::arrow::array::{Int32Array, ListArray, StructArray};
        use datafusion::arrow::buffer::OffsetBuffer;
        let (arrays, scalar) = arg_arrays(&args)?;
        let mut positions = Vec::new();
        let mut keys: Vec<Option<String>> = Vec::new();
        let mut values = VariantArrayBuilder::new();
        let mut offsets = vec![0i32];
        let column = if arrays[0].data_type() == &DataType::Null { None } else { Some(VariantColumn::new(arrays[0].as_ref())?) };
        let df = SparkRuntimeError::into_df;
        for i in 0..args.number_rows {
            if let Some(v) = column.as_ref().and_then(|c| c.get(i)) {
                match v.kind().map_err(df)? {
                    super::encoding::Kind::Object => {
                        for j in 0..v.object_size().map_err(df)? {
                            let (k, child) = v.field_at(j).map_err(df)?;
                            positions.push(j as i32);
                            keys.push(Some(k.to_string()));
                            values.append(child.bytes().map_err(df)?, v.metadata);
                        }
                    }
                    super::encoding::Kind::Array => {
                        for j in 0..v.array_size().map_err(df)? {
                            let Some(child) = v.element_at(j).map_err(df)? else { continue };
                            positions.push(j as i32);
                            keys.push(None);
                            values.append(child.bytes().map_err(df)?, v.metadata);
                        }
                    }
                    _ => {}
                }
            }
            offsets.push(positions.len() as i32);
        }
        let entries = StructArray::new(
            explode_fields(),
            vec![Arc::new(Int32Array::from(positions)), Arc::new(StringArray::from(keys)), Arc::new(values.finish())],
            None,
        );
        let field = Arc::new(datafusion::arrow::datatypes::Field::new("item", DataType::Struct(explode_fields()), true));
        columnar(Arc::new(ListArray::new(field, OffsetBuffer::new(offsets.into()), Arc::new(entries), None)), scalar)
    }
}

/// Whether a type is or holds a VARIANT.
pub fn contains_variant(t: &DataType) -> bool {
    match t {
        t if super::is_variant_type(t) => true,
        DataType::List(f) | DataType::LargeList(f) => contains_variant(f.data_type()),
        DataType::Map(entries, _) => contains_variant(entries.data_type()),
        DataType::Struct(fields) => fields.iter().any(|f| contains_variant(f.data_type())),
        _ => false,
    }
}
