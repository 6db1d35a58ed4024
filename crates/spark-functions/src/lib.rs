//! Spark's function kernels: the implementations the resolver's function
//! table (`spark-resolver/src/functions`) calls where neither DataFusion nor
//! `datafusion-spark` computes a function as Spark does (decimal and ANSI
//! arithmetic, datetime formats, sketches, ...), plus `registry`, which finds
//! DataFusion's and `datafusion-spark`'s kernels by their own names, and
//! `catalog`, Spark's recorded list of functions for SHOW / DESCRIBE
//! FUNCTION. Which Spark name maps to which kernel is the table's business.

pub mod aes;
pub mod approx_count_distinct;
mod hll_bias_tables;
pub mod approx_top_k;
pub mod charset;
pub mod arithmetic;
pub mod arrays_overlap;
pub mod array_fields;
pub mod array_flatten;
pub mod array_index;
pub mod array_insert;
pub mod array_slice;
pub mod binary_decode;
pub mod bit_get;
pub mod binary_fns;
pub mod checked_cast;
pub mod bitmap;
pub mod catalog;
pub mod date_trunc;
pub mod datetime_format;
pub mod datetime_text;
pub mod datetime_fns;
pub mod decimal;
pub mod decimal_bytes;
pub mod decimal_cast;
pub mod distinct;
pub mod double_sum;
pub mod float_normalize;
pub mod frame_recompute;
pub mod epoch_days;
pub mod error;
pub mod freq_items;
pub mod from_csv;
pub mod regex_fns;
pub mod regexp_replace;
pub mod interval_fns;
pub mod interval_math;
pub mod interval_parse;
pub mod interval_text;
pub mod count_min_sketch;
pub mod counter_diff;
pub mod hash_set_order;
pub mod histogram_numeric;
pub mod java_format;
pub mod java_hash;
pub mod java_random;
pub mod json_fns;
pub mod json_lenient;
pub mod json_read;
pub mod lambda;
pub mod like_pattern;
pub mod logarithm;
pub mod parse_url;
pub mod square_root;
pub mod wrapping_cast;
pub mod make_date;
pub mod maybe_null;
pub mod make_timestamp;
pub mod map_build;
pub mod misc;
pub mod moments;
pub mod mode;
pub mod next_day;
pub mod murmur_hash;
pub mod null_on_error;
pub mod number_format;
pub mod percentile;
pub mod random;
pub mod registry;
pub mod rename_fields;
pub mod string_cast;
pub mod struct_relabel;
pub mod string_fns;
pub mod spatial;
pub mod sql_keywords;
pub mod sum;
pub mod rounding;
pub mod sentences;
pub mod sequence;
pub mod single_value;
pub mod sketch;
pub mod temporal_parse;
pub mod temporal_text;
pub mod text_metrics;
pub mod time_zone;
pub mod time_bucket;
pub mod time_window;
pub mod timestamp_string;
pub mod timestamp_units;
pub mod to_csv;
pub mod value_text;
pub mod variant;
pub mod vector_fns;
pub mod xml;
pub mod zone_names;

pub use registry::{FunctionKind, FunctionRegistry};

/// A kernel's result as DataFusion wants it: a scalar when every input was
/// a scalar (so constant folding keeps working), else the array.
pub(crate) fn columnar(
    out: datafusion::arrow::array::ArrayRef,
    scalar: bool,
) -> datafusion::common::Result<datafusion::logical_expr::ColumnarValue> {
    use datafusion::logical_expr::ColumnarValue;
    if scalar {
        return Ok(ColumnarValue::Scalar(datafusion::common::ScalarValue::try_from_array(&out, 0)?));
    }
    Ok(ColumnarValue::Array(out))
}

/// The arguments of a call as arrays of its row count, and whether every
/// one of them was a scalar (see [`columnar`]).
pub(crate) fn arg_arrays(
    args: &datafusion::logical_expr::ScalarFunctionArgs,
) -> datafusion::common::Result<(Vec<datafusion::arrow::array::ArrayRef>, bool)> {
    use datafusion::logical_expr::ColumnarValue;
    let scalar = args.args.iter().all(|a| matches!(a, ColumnarValue::Scalar(_)));
    // Scalars make one row, also where the call is evaluated over no rows
    // (DataFusion folds constant `IN` lists over an empty batch).
    let rows = if scalar { 1 } else { args.number_rows };
    let arrays = args.args.iter().map(|a| a.to_array(rows)).collect::<datafusion::common::Result<Vec<_>>>()?;
    Ok((arrays, scalar))
}

/// The bytes of element `i` of a binary or string array; None when null.
pub(crate) fn bytes_at(a: &dyn datafusion::arrow::array::Array, i: usize) -> Option<&[u8]> {
    use datafusion::arrow::array::AsArray;
    use datafusion::arrow::datatypes::DataType;
    if a.is_null(i) {
        return None;
    }
    match a.data_type() {
        DataType::Binary => Some(a.as_binary::<i32>().value(i)),
        DataType::LargeBinary => Some(a.as_binary::<i64>().value(i)),
        DataType::Utf8 => Some(a.as_string::<i32>().value(i).as_bytes()),
        DataType::LargeUtf8 => Some(a.as_string::<i64>().value(i).as_bytes()),
        DataType::Utf8View => Some(a.as_string_view().value(i).as_bytes()),
        _ => None,
    }
}
