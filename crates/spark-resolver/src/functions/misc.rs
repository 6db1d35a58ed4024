//! Session and environment functions (`current_database`, `current_user`,
//! `version`, ...), `typeof`, null helpers and `raise_error`/`assert_true`.

use datafusion::arrow::datatypes::DataType as ArrowType;
use datafusion::common::ScalarValue;
use datafusion::logical_expr::expr::Case;
use datafusion::logical_expr::{Expr as DfExpr, Operator, binary_expr, lit};

use spark_functions::aes::{AesOp, SparkAes};

use super::{Arity, Built, Call, In, Table, call_udf, cast, f};
use crate::resolver::Resolver;
use crate::ResolveResult;

fn constant(value: &str, name: &str) -> Built {
    Built::new(lit(value.to_string())).named(name.to_string()).nullable(false)
}

fn user() -> String {
    std::env::var("USER").or_else(|_| std::env::var("LOGNAME")).unwrap_or_else(|_| "root".into())
}

fn type_of(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    // The Spark type, with the fields of an ANSI interval.
    let t = r.spark_type(&c.arg(0)?, c.scope)?;
    Ok(Built::new(lit(t.simple_string())).nullable(false))
}

fn equal_null(r: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let (l, r) = r.coerce_pair(c.arg(0)?, c.arg(1)?, c.scope)?;
    let e = binary_expr(l, Operator::IsNotDistinctFrom, r);
    Ok(Built::new(e).nullable(false))
}

fn nullifzero(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let x = c.arg(0)?;
    let zero = cast(lit(0i32), c.types[0].clone());
    let e = DfExpr::Case(Case::new(None, vec![(Box::new(binary_expr(x.clone(), Operator::Eq, zero)), Box::new(cast(lit(ScalarValue::Null), c.types[0].clone())))], Some(Box::new(x))));
    Ok(Built::new(e).nullable(true))
}

fn zeroifnull(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let t = if c.types[0].is_null() { ArrowType::Int32 } else { c.types[0].clone() };
    let e = datafusion::functions::expr_fn::coalesce(vec![cast(c.arg(0)?, t.clone()), cast(lit(0i32), t)]);
    Ok(Built::new(e).nullable(false))
}

fn raise_error(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let f = spark_functions::misc::SparkRaiseError::udf();
    Ok(Built::new(call_udf(f, vec![cast(c.arg(0)?, ArrowType::Utf8)])).nullable(true))
}

fn assert_true(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let (message, shown) = match c.args.get(1) {
        Some(m) => (m.clone(), c.names[1].clone()),
        None => {
            let text = format!("'{}' is not true!", c.names[0]);
            (lit(text.clone()), text)
        }
    };
    let f = spark_functions::misc::SparkRaiseError::udf();
    let fail = call_udf(f, vec![cast(message, ArrowType::Utf8)]);
    let ok = DfExpr::Literal(ScalarValue::Null, None);
    let e = DfExpr::Case(Case::new(None, vec![(Box::new(DfExpr::IsTrue(Box::new(c.arg(0)?))), Box::new(ok))], Some(Box::new(fail))));
    Ok(Built::new(cast(e, ArrowType::Null)).named(format!("assert_true({}, {shown})", c.names[0])).nullable(true))
}

/// `date(x)`, `int(x)`, ...: Spark's cast functions, named as their argument.
fn cast_to(r: &Resolver<'_>, c: &Call<'_>, to: ArrowType) -> ResolveResult<Built> {
    let x = c.arg(0)?;
    let (from, target) = (crate::types::from_arrow(&c.types[0])?, crate::types::from_arrow(&to)?);
    let nullable = c.nullable[0] || crate::expression::force_nullable(&from, &target);
    let e = if r.config.ansi { r.spark_cast(x, &c.types[0], &to) } else { super::try_cast(x, to) };
    Ok(Built::new(e).named(c.names[0].clone()).nullable(nullable))
}

/// `aes_encrypt` / `aes_decrypt` / `try_aes_decrypt`: the optional
/// arguments filled with Spark's defaults (GCM, DEFAULT, no IV, no AAD),
/// the byte arguments as BINARY and the mode and padding as STRING.
fn aes(c: &Call<'_>, op: AesOp) -> ResolveResult<Built> {
    let empty = || lit(ScalarValue::Binary(Some(Vec::new())));
    let mut defaults = vec![(lit("GCM"), "GCM"), (lit("DEFAULT"), "DEFAULT")];
    if op == AesOp::Encrypt {
        defaults.push((empty(), ""));
    }
    defaults.push((empty(), ""));
    let (args, name) = super::with_defaults(c, &defaults);
    let args = args
        .into_iter()
        .enumerate()
        .map(|(i, a)| cast(a, if i == 2 || i == 3 { ArrowType::Utf8 } else { ArrowType::Binary }))
        .collect();
    Ok(Built::new(call_udf(SparkAes::udf(op), args)).named(name).nullable(true))
}

/// `window_time(window)`: the last instant of a time window (`end` less a microsecond).
fn window_time(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    let is_window = matches!(&c.types[0], ArrowType::Struct(fs) if fs.len() == 2 && fs[0].name() == "start" && fs[1].name() == "end");
    if !is_window {
        let actual = crate::types::from_arrow(&c.types[0])?.sql();
        let sql = format!("window_time({})", c.names[0]);
        return Err(crate::ResolveError::analysis(
            "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
            "42K09",
            format!("Cannot resolve \"{sql}\" due to data type mismatch: The first parameter requires the \"STRUCT\" type, however \"{}\" has the type \"{actual}\".", c.names[0]),
            &[],
        ));
    }
    let end = datafusion::functions::core::expr_fn::get_field(c.arg(0)?, "end");
    let e = binary_expr(end, Operator::Minus, lit(ScalarValue::DurationMicrosecond(Some(1))));
    Ok(Built::new(e).nullable(true))
}

/// `hash` and `xxhash64`: Spark refuses maps and VARIANT values, and
/// hashes a DECIMAL wider than 18 digits by its unscaled value's bytes.
pub(super) fn spark_hash(c: &Call<'_>, kernel: std::sync::Arc<datafusion::logical_expr::ScalarUDF>) -> crate::ResolveResult<Built> {
    let sql = c.default_name();
    let refuse = |class: &str, what: &str, extra: &str| {
        crate::ResolveError::analysis(
            class,
            "42K09",
            format!("Cannot resolve \"{sql}\" due to data type mismatch: Input to the function `{}` cannot contain elements of the \"{what}\" type{extra}", c.name),
            &[("sqlExpr", format!("\"{sql}\"")), ("functionName", format!("`{}`", c.name))],
        )
    };
    if c.types.iter().any(spark_functions::variant::functions::contains_variant) {
        return Err(refuse("DATATYPE_MISMATCH.HASH_VARIANT_TYPE", "VARIANT", " yet."));
    }
    if c.types.iter().any(crate::types::contains_map) {
        return Err(refuse(
            "DATATYPE_MISMATCH.HASH_MAP_TYPE",
            "MAP",
            ". In Spark, same maps may have different hashcode, thus hash expressions are prohibited on \"MAP\" elements. To restore previous behavior set \"spark.sql.legacy.allowHashOnMapType\" to \"true\".",
        ));
    }
    let args = c
        .args
        .iter()
        .zip(&c.types)
        .map(|(a, t)| match t {
            ArrowType::Decimal128(p, _) if *p > 18 => call_udf(spark_functions::decimal_bytes::SparkDecimalBytes::udf(), vec![a.clone()]),
            _ => a.clone(),
        })
        .collect();
    Ok(Built::new(call_udf(kernel, args)).nullable(false))
}

/// `input_file_name()` and the block functions: the field of the file
/// source's `_metadata` column in scope, else Spark's value for rows read
/// from no file (`''`, -1).
fn input_file(c: &Call<'_>, field: &str, none: DfExpr) -> Built {
    let metadata = c.scope.columns.iter().find(|col| col.name == spark_datasource::file_metadata::METADATA_COLUMN);
    let Some(col) = metadata else { return Built::new(none).nullable(false) };
    let value = datafusion::functions::core::expr_fn::get_field(crate::resolver::id_col(&col.id), field);
    if field != "file_path" {
        return Built::new(value).nullable(false);
    }
    // `input_file_name()` writes the URI with an empty authority (`file:///a`
    // where `_metadata.file_path` is `file:/a`).
    use datafusion::functions::expr_fn::{concat, starts_with, substr};
    let short = starts_with(value.clone(), lit("file:/")).and(datafusion::logical_expr::not(starts_with(value.clone(), lit("file://"))));
    let long = concat(vec![lit("file://"), substr(value.clone(), lit(6i64))]);
    let expr = DfExpr::Case(datafusion::logical_expr::expr::Case::new(None, vec![(Box::new(short), Box::new(long))], Some(Box::new(value))));
    Built::new(expr).nullable(false)
}

pub(super) fn functions() -> Table {
    use Arity::*;
    use In::*;
    vec![
        ("current_catalog", f(Exactly(0), &[], |_, _| Ok(constant("spark_catalog", "current_catalog()")))),
        // The Spark release this server answers as, with that release's commit.
        ("version", f(Exactly(0), &[], |_, _| Ok(constant("4.3.0 98bc0212c94705434471627068f41e374ccab143", "version()")))),
        ("current_database", f(Exactly(0), &[], |r, _| Ok(constant(&r.config.current_database, "current_schema()")))),
        ("current_schema", f(Exactly(0), &[], |r, _| Ok(constant(&r.config.current_database, "current_schema()")))),
        ("current_user", f(Exactly(0), &[], |_, _| Ok(constant(&user(), "current_user()")))),
        ("user", f(Exactly(0), &[], |_, _| Ok(constant(&user(), "user()")))),
        ("session_user", f(Exactly(0), &[], |_, _| Ok(constant(&user(), "session_user()")))),
        ("current_path", f(Exactly(0), &[], |_, _| Ok(constant("system.builtin,system.session,spark_catalog.default", "current_path()")))),
        ("input_file_name", f(Exactly(0), &[], |_, c| Ok(input_file(c, "file_path", lit(""))))),
        ("input_file_block_start", f(Exactly(0), &[], |_, c| Ok(input_file(c, "file_block_start", lit(-1i64))))),
        ("input_file_block_length", f(Exactly(0), &[], |_, c| Ok(input_file(c, "file_block_length", lit(-1i64))))),
        ("date", f(Exactly(1), &[Any], |r, c| cast_to(r, c, ArrowType::Date32))),
        ("timestamp", f(Exactly(1), &[Any], |r, c| cast_to(r, c, r.session_timestamp()))),
        ("boolean", f(Exactly(1), &[Any], |r, c| cast_to(r, c, ArrowType::Boolean))),
        ("tinyint", f(Exactly(1), &[Any], |r, c| cast_to(r, c, ArrowType::Int8))),
        ("smallint", f(Exactly(1), &[Any], |r, c| cast_to(r, c, ArrowType::Int16))),
        ("int", f(Exactly(1), &[Any], |r, c| cast_to(r, c, ArrowType::Int32))),
        ("bigint", f(Exactly(1), &[Any], |r, c| cast_to(r, c, ArrowType::Int64))),
        ("float", f(Exactly(1), &[Any], |r, c| cast_to(r, c, ArrowType::Float32))),
        ("double", f(Exactly(1), &[Any], |r, c| cast_to(r, c, ArrowType::Float64))),
        ("string", f(Exactly(1), &[Any], |r, c| cast_to(r, c, ArrowType::Utf8))),
        ("binary", f(Exactly(1), &[Any], |r, c| cast_to(r, c, ArrowType::Binary))),
        // Read through a partition-numbered input (query/partition_id.rs)
        // where a query's select list, WHERE or GROUP BY calls it.
        ("spark_partition_id", f(Exactly(0), &[], |_, _| {
            Err(crate::ResolveError::unsupported("spark_partition_id() outside a select list, WHERE or GROUP BY"))
        })),
        ("monotonically_increasing_id", f(Exactly(0), &[], |_, _| {
            Ok(Built::new(call_udf(spark_functions::datetime_fns::SparkMonotonicId::udf(), vec![])).nullable(false))
        })),
        ("hash", f(AtLeast(1), &[Any], |_, c| spark_hash(c, spark_functions::murmur_hash::SparkMurmurHash::udf()))),
        ("typeof", f(Exactly(1), &[Any], type_of)),
        // `df.zipWithIndex()`: consecutive row numbers from 0, in row order.
        ("distributed_sequence_id", f(Exactly(0), &[], |_, _| {
            let n = binary_expr(datafusion::functions_window::expr_fn::row_number(), Operator::Minus, lit(1u64));
            Ok(Built::new(cast(n, ArrowType::Int64)).nullable(false))
        })),
        ("equal_null", f(Exactly(2), &[Any, Any], equal_null)),
        ("nullifzero", f(Exactly(1), &[Any], nullifzero)),
        ("zeroifnull", f(Exactly(1), &[Any], zeroifnull)),
        ("raise_error", f(Exactly(1), &[Any], raise_error)),
        ("assert_true", f(Range(1, 2), &[Boolean, Any], assert_true)),
        ("window_time", f(Exactly(1), &[Any], window_time)),
        ("aes_encrypt", f(Range(2, 6), &[Any, Any, String, String, Any, Any], |_, c| aes(c, AesOp::Encrypt))),
        ("aes_decrypt", f(Range(2, 5), &[Any, Any, String, String, Any], |_, c| aes(c, AesOp::Decrypt))),
        ("try_aes_decrypt", f(Range(2, 5), &[Any, Any, String, String, Any], |_, c| aes(c, AesOp::TryDecrypt))),
    ]
}
