//! Spark's type coercion between operands: the wider type of two
//! (`findWiderTypeForTwo`), the common type of several, and when decimal
//! arithmetic applies (with Spark's precision rules).

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType as ArrowType, Field};
use datafusion::common::ScalarValue;
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::{Cast, Expr as DfExpr};
use spark_functions::decimal::{DecimalOp, SparkDecimalArith, integral_decimal, literal_decimal, result_type};

use crate::resolver::Resolver;
use crate::{ResolveError, ResolveResult, ResolvedRelation};

fn cast(e: DfExpr, t: &ArrowType) -> DfExpr {
    DfExpr::Cast(Cast::new(Box::new(e), t.clone()))
}

/// Spark's numeric precedence for implicit widening.
fn numeric_rank(t: &ArrowType) -> Option<u8> {
    Some(match t {
        ArrowType::Int8 => 1,
        ArrowType::Int16 => 2,
        ArrowType::Int32 => 3,
        ArrowType::Int64 => 4,
        ArrowType::Decimal128(..) => 5,
        ArrowType::Float32 => 6,
        ArrowType::Float64 => 7,
        _ => return None,
    })
}

fn is_string(t: &ArrowType) -> bool {
    matches!(t, ArrowType::Utf8 | ArrowType::LargeUtf8 | ArrowType::Utf8View)
}

/// The type two operands are widened to (Spark's `findWiderTypeForTwo` for
/// numbers; strings meet numbers as DOUBLE in arithmetic). A FLOAT meets a
/// decimal as DOUBLE, and under ANSI mode an integer too (Spark's ANSI
/// coercion widens only without loss); outside it FLOAT with an integer is
/// FLOAT.
/// Spark's wider type of two decimals (`DecimalPrecision.widerDecimalType`):
/// the larger scale and the larger count of integer digits; past 38 digits
/// the integer digits are kept and the scale gives way.
pub(crate) fn wider_decimal(l: &ArrowType, r: &ArrowType) -> Option<ArrowType> {
    let (ArrowType::Decimal128(p1, s1), ArrowType::Decimal128(p2, s2)) = (l, r) else { return None };
    let (p1, s1, p2, s2) = (i16::from(*p1), i16::from(*s1), i16::from(*p2), i16::from(*s2));
    let scale = s1.max(s2);
    let range = (p1 - s1).max(p2 - s2);
    let precision = range + scale;
    if precision <= 38 {
        return Some(ArrowType::Decimal128(precision as u8, scale as i8));
    }
    Some(ArrowType::Decimal128(38, (scale - (precision - 38)).max(0) as i8))
}

/// ANSI mode: a string meets an integer as BIGINT (`'5' + 1` is 6L,
/// `coalesce(1, '2')` a BIGINT).
fn ansi_string_integral(l: &ArrowType, r: &ArrowType, ansi: bool) -> Option<ArrowType> {
    let integral = |t: &ArrowType| matches!(t, ArrowType::Int8 | ArrowType::Int16 | ArrowType::Int32 | ArrowType::Int64);
    (ansi && ((is_string(l) && integral(r)) || (integral(l) && is_string(r)))).then_some(ArrowType::Int64)
}

/// The type two values of a list (`coalesce`, `array`, CASE branches)
/// meet in, with strings promoted: BIGINT for a string and an integer
/// under ANSI, the wider decimal, else the wider type.
/// Spark's `findWiderCommonType` over two types (arrays, `coalesce`, CASE,
/// `IN`): without ANSI mode a string meets a number, date or timestamp as
/// STRING (string promotion); otherwise as [`common_of`].
pub(crate) fn wider_common_of(l: &ArrowType, r: &ArrowType, ansi: bool) -> Option<ArrowType> {
    let promotes = |t: &ArrowType| t.is_numeric() || matches!(t, ArrowType::Date32 | ArrowType::Timestamp(..));
    if !ansi && ((is_string(l) && promotes(r)) || (is_string(r) && promotes(l))) {
        return Some(ArrowType::Utf8);
    }
    // Under ANSI mode a string takes a date's, timestamp's or truth value's type.
    let taken = |t: &ArrowType| matches!(t, ArrowType::Date32 | ArrowType::Timestamp(..) | ArrowType::Boolean);
    match (l, r) {
        (s, t) | (t, s) if ansi && is_string(s) && taken(t) => return Some(t.clone()),
        _ => {}
    }
    common_of(l, r, ansi)
}

/// [`wider_common_of`] folded over `types`, strings first (so that a string
/// among them decides before pairs that have no common type), as Spark
/// folds them; a type meeting no common type is passed over.
pub(crate) fn wider_common_type<'a>(types: impl IntoIterator<Item = &'a ArrowType>, ansi: bool) -> Option<ArrowType> {
    let (strings, others): (Vec<&ArrowType>, Vec<&ArrowType>) = types.into_iter().partition(|t| is_string(t));
    let mut target: Option<ArrowType> = None;
    for t in strings.into_iter().chain(others) {
        target = Some(match target {
            None => t.clone(),
            Some(cur) if cur.is_null() => t.clone(),
            Some(cur) if t.is_null() => cur,
            Some(cur) => wider_common_of(&cur, t, ansi).unwrap_or(cur),
        });
    }
    target
}

pub(crate) fn common_of(l: &ArrowType, r: &ArrowType, ansi: bool) -> Option<ArrowType> {
    ansi_string_integral(l, r, ansi).or_else(|| wider_decimal(l, r)).or_else(|| wider_type(l, r, ansi))
}

/// Arrays, maps and structs meet element by element (structs field by
/// field, when their names agree), as Spark's `findTypeForComplex` does.
fn wider_nested(l: &ArrowType, r: &ArrowType, ansi: bool) -> Option<ArrowType> {
    let field = |a: &Field, b: &Field| -> Option<Field> {
        let t = if a.data_type() == b.data_type() { a.data_type().clone() } else { common_of(a.data_type(), b.data_type(), ansi)? };
        Some(a.clone().with_data_type(t).with_nullable(a.is_nullable() || b.is_nullable()))
    };
    match (l, r) {
        (ArrowType::List(a), ArrowType::List(b)) => Some(ArrowType::List(Arc::new(field(a, b)?))),
        (ArrowType::Struct(a), ArrowType::Struct(b)) if a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.name().eq_ignore_ascii_case(y.name())) => {
            let fields = a.iter().zip(b.iter()).map(|(x, y)| field(x, y)).collect::<Option<Vec<_>>>()?;
            Some(ArrowType::Struct(fields.into()))
        }
        (ArrowType::Map(a, sorted), ArrowType::Map(b, _)) => {
            let (ArrowType::Struct(ka), ArrowType::Struct(kb)) = (a.data_type(), b.data_type()) else { return None };
            if ka.len() != 2 || kb.len() != 2 {
                return None;
            }
            let key = field(&ka[0], &kb[0])?.with_nullable(false);
            let value = field(&ka[1], &kb[1])?;
            Some(ArrowType::Map(Arc::new(a.as_ref().clone().with_data_type(ArrowType::Struct(vec![key, value].into()))), *sorted))
        }
        _ => None,
    }
}

pub(crate) fn wider_type(l: &ArrowType, r: &ArrowType, ansi: bool) -> Option<ArrowType> {
    if l == r {
        return Some(l.clone());
    }
    let float_with = |a: &ArrowType, b: &ArrowType| matches!(a, ArrowType::Float32) && (matches!(b, ArrowType::Decimal128(..)) || (ansi && b.is_integer()));
    if float_with(l, r) || float_with(r, l) {
        return Some(ArrowType::Float64);
    }
    // A date meets a timestamp as that timestamp.
    match (l, r) {
        (ArrowType::Date32, t @ ArrowType::Timestamp(..)) | (t @ ArrowType::Timestamp(..), ArrowType::Date32) => return Some(t.clone()),
        _ => {}
    }
    // `array()` (of NULLs) meets a typed array as that array.
    match (l, r) {
        (ArrowType::List(a), ArrowType::List(_)) if a.data_type().is_null() => return Some(r.clone()),
        (ArrowType::List(_), ArrowType::List(b)) if b.data_type().is_null() => return Some(l.clone()),
        _ => {}
    }
    if let Some(t) = wider_nested(l, r, ansi) {
        return Some(t);
    }
    match (numeric_rank(l), numeric_rank(r)) {
        (Some(a), Some(b)) => {
            if let (ArrowType::Decimal128(..), ArrowType::Decimal128(..)) = (l, r) {
                return None;
            }
            let (hi, lo) = if a >= b { (l, r) } else { (r, l) };
            if let ArrowType::Decimal128(p, s) = hi {
                // Integer meets decimal: the integer becomes a decimal wide enough.
                let int_digits: u8 = match lo {
                    ArrowType::Int8 => 3,
                    ArrowType::Int16 => 5,
                    ArrowType::Int32 => 10,
                    _ => 20,
                };
                let whole = (*p as i16 - *s as i16).max(int_digits as i16);
                let p = (whole + *s as i16).min(38) as u8;
                return Some(ArrowType::Decimal128(p, *s));
            }
            Some(hi.clone())
        }
        (Some(_), None) if is_string(r) || r.is_null() => Some(if r.is_null() { l.clone() } else { ArrowType::Float64 }),
        (None, Some(_)) if is_string(l) || l.is_null() => Some(if l.is_null() { r.clone() } else { ArrowType::Float64 }),
        _ => None,
    }
}

impl Resolver<'_> {
    /// The decimal types of two arithmetic operands when Spark computes them
    /// as decimals: at least one is a decimal and the other is a decimal or
    /// an integer (integer literals take only the digits they need).
    pub(crate) fn decimal_operands(&self, l: &DfExpr, r: &DfExpr, scope: &ResolvedRelation) -> ResolveResult<Option<((u8, i8), (u8, i8))>> {
        let lt = self.arrow_type(l, scope)?;
        let rt = self.arrow_type(r, scope)?;
        if !matches!(lt, ArrowType::Decimal128(..)) && !matches!(rt, ArrowType::Decimal128(..)) {
            return Ok(None);
        }
        let of = |e: &DfExpr, t: &ArrowType| match e {
            DfExpr::Literal(ScalarValue::Int8(Some(v)), _) => Some(literal_decimal(*v as i64)),
            DfExpr::Literal(ScalarValue::Int16(Some(v)), _) => Some(literal_decimal(*v as i64)),
            DfExpr::Literal(ScalarValue::Int32(Some(v)), _) => Some(literal_decimal(*v as i64)),
            DfExpr::Literal(ScalarValue::Int64(Some(v)), _) => Some(literal_decimal(*v)),
            _ if t.is_null() => Some((1, 0)),
            _ => integral_decimal(t),
        };
        Ok(of(l, &lt).zip(of(r, &rt)))
    }

    pub(crate) fn decimal_arith(&self, op: DecimalOp, l: DfExpr, r: DfExpr, scope: &ResolvedRelation) -> ResolveResult<DfExpr> {
        let Some((a, b)) = self.decimal_operands(&l, &r, scope)? else {
            return Err(ResolveError::invalid("decimal arithmetic on non-decimal operands"));
        };
        let l = self.cast_if_needed(l, &ArrowType::Decimal128(a.0, a.1), scope)?;
        let r = self.cast_if_needed(r, &ArrowType::Decimal128(b.0, b.1), scope)?;
        let f = SparkDecimalArith::udf(op, self.config.ansi, result_type(op, a, b));
        Ok(DfExpr::ScalarFunction(ScalarFunction::new_udf(f, vec![l, r])))
    }

    /// Casts the two operands of a binary operator to their common type.
    pub(crate) fn coerce_pair(
        &self,
        l: DfExpr,
        r: DfExpr,
        scope: &ResolvedRelation,
    ) -> ResolveResult<(DfExpr, DfExpr)> {
        let lt = self.arrow_type(&l, scope)?;
        let rt = self.arrow_type(&r, scope)?;
        if let Some(t) = ansi_string_integral(&lt, &rt, self.config.ansi) {
            return Ok((self.cast_if_needed(l, &t, scope)?, self.cast_if_needed(r, &t, scope)?));
        }
        match wider_type(&lt, &rt, self.config.ansi) {
            Some(t) => Ok((self.cast_if_needed(l, &t, scope)?, self.cast_if_needed(r, &t, scope)?)),
            None => Ok((l, r)),
        }
    }

    pub(crate) fn common_type(&self, exprs: &[DfExpr], scope: &ResolvedRelation) -> ResolveResult<Option<ArrowType>> {
        let types = exprs.iter().map(|e| self.arrow_type(e, scope)).collect::<ResolveResult<Vec<_>>>()?;
        Ok(wider_common_type(&types, self.config.ansi))
    }

    pub(crate) fn cast_if_needed(&self, e: DfExpr, t: &ArrowType, scope: &ResolvedRelation) -> ResolveResult<DfExpr> {
        let from = self.arrow_type(&e, scope)?;
        if &from == t {
            return Ok(e);
        }
        // Text read as a number, truth value, date or timestamp as Spark's
        // cast reads it (its CAST_INVALID_INPUT under ANSI, else NULL).
        // Without ANSI mode it reads as Spark's legacy cast does (`'1.5'` is INT 1).
        if is_string(&from) && spark_functions::string_cast::SparkStringCast::handles(t) {
            if let Ok(to) = crate::types::from_arrow(t) {
                let f = if self.config.ansi {
                    spark_functions::string_cast::SparkStringCast::udf(t.clone(), &to.sql(), true)
                } else {
                    spark_functions::string_cast::SparkStringCast::legacy(t.clone(), &to.sql())
                };
                return Ok(DfExpr::ScalarFunction(ScalarFunction::new_udf(f, vec![e])));
            }
        }
        // Structs meet by position: their fields take the target's names first.
        let e = match spark_functions::struct_relabel::relabeled_type(&from, t) {
            Some(relabeled) if &relabeled == t => return Ok(DfExpr::ScalarFunction(ScalarFunction::new_udf(spark_functions::struct_relabel::SparkRelabel::udf(relabeled), vec![e]))),
            Some(relabeled) => DfExpr::ScalarFunction(ScalarFunction::new_udf(spark_functions::struct_relabel::SparkRelabel::udf(relabeled), vec![e])),
            None => e,
        };
        Ok(cast(e, t))
    }
}

/// Whether widening operands of these types to `target` casts a string to
/// another type. Such a cast can fail, so Spark reports the result nullable.
pub(crate) fn casts_string(types: &[ArrowType], target: &ArrowType) -> bool {
    !is_string(target) && types.iter().any(is_string)
}

/// Whether decimal arithmetic casts an integer literal to a decimal of just
/// its digits (Spark's literal precision), a cast Spark reports as nullable.
pub(crate) fn narrows_integer_literal(l: &DfExpr, r: &DfExpr) -> bool {
    let int_literal = |e: &DfExpr| matches!(e, DfExpr::Literal(v, _) if v.data_type().is_integer() && !v.is_null());
    int_literal(l) || int_literal(r)
}
