//! Which casts Spark allows (`Cast.canAnsiCast` under ANSI mode,
//! `Cast.canCast` otherwise), and the error it gives for the others.

use spark_plan::DataType;

use crate::ResolveError;

fn integral(t: &DataType) -> bool {
    matches!(t, DataType::Byte | DataType::Short | DataType::Integer | DataType::Long)
}

fn interval(t: &DataType) -> bool {
    matches!(t, DataType::YearMonthInterval { .. } | DataType::DayTimeInterval { .. })
}

/// Whether values of `t` convert to and from VARIANT (Spark's
/// `VariantGet.checkDataType`); structs and string-keyed maps only out of
/// a variant.
pub(crate) fn variant_castable(t: &DataType, structs_and_maps: bool) -> bool {
    use DataType as T;
    match t {
        T::Char(_) | T::VarChar(_) => false,
        T::Null | T::Boolean | T::String | T::Binary | T::Date | T::Timestamp | T::TimestampNtz | T::Variant => true,
        t if t.is_numeric() => true,
        T::Array { element, .. } => variant_castable(element, structs_and_maps),
        T::Map { key, value, .. } => structs_and_maps && **key == T::String && variant_castable(value, true),
        T::Struct(fields) => structs_and_maps && fields.iter().all(|f| variant_castable(&f.data_type, true)),
        _ => false,
    }
}

/// Which of Spark's cast rules apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CastRules {
    /// `CAST` under ANSI mode.
    Ansi,
    /// `TRY_CAST`: ANSI mode's casts, NULL where they fail.
    Try,
    /// `CAST` with ANSI mode off.
    Legacy,
}

impl CastRules {
    pub(crate) fn allows(self, from: &DataType, to: &DataType) -> bool {
        can_cast(from, to, self != CastRules::Legacy)
    }
}

/// Whether Spark casts `from` to `to` (`ansi`: under ANSI mode).
pub(crate) fn can_cast(from: &DataType, to: &DataType, ansi: bool) -> bool {
    use DataType as T;
    match (from, to) {
        (a, b) if a == b => true,
        (T::Null, _) => true,
        (T::Variant, b) => variant_castable(b, true),
        (a, T::Variant) => variant_castable(a, false),
        (_, b) if b.is_string() => true,
        (a, T::Binary) if a.is_string() => true,
        (a, T::Binary) if integral(a) => !ansi,
        (a, T::Boolean) if a.is_string() || a.is_numeric() => true,
        (T::Date | T::Timestamp, T::Boolean) => !ansi,
        (a, T::Timestamp) if a.is_string() || a.is_numeric() => true,
        (T::Boolean, T::Timestamp) => !ansi,
        (T::Date | T::TimestampNtz, T::Timestamp) => true,
        (a, T::TimestampNtz) if a.is_string() => true,
        (T::Date | T::Timestamp, T::TimestampNtz) => true,
        (a, T::Date) if a.is_string() => true,
        (T::Timestamp | T::TimestampNtz, T::Date) => true,
        (T::TimestampNanos { .. }, T::Timestamp | T::TimestampNtz | T::Date | T::TimestampNanos { .. }) => true,
        (T::Date | T::Timestamp | T::TimestampNtz, T::TimestampNanos { .. }) => true,
        (a, T::TimestampNanos { .. }) if a.is_string() => true,
        (a, T::CalendarInterval) if a.is_string() => true,
        (a, b) if a.is_string() && interval(b) => true,
        (T::DayTimeInterval { .. }, T::DayTimeInterval { .. }) | (T::YearMonthInterval { .. }, T::YearMonthInterval { .. }) => true,
        (a, b) if a.is_string() && b.is_numeric() => true,
        (T::Boolean, b) if b.is_numeric() => true,
        (T::Timestamp, b) if b.is_numeric() => true,
        (T::Date, b) if b.is_numeric() => !ansi,
        (a, b) if a.is_numeric() && b.is_numeric() => true,
        (a, b) if (integral(a) || matches!(a, T::Decimal { .. })) && interval(b) => true,
        (a, b) if interval(a) && (integral(b) || matches!(b, T::Decimal { .. })) => true,
        (T::Array { element: a, .. }, T::Array { element: b, .. }) => can_cast(a, b, ansi),
        (T::Map { key: ka, value: va, .. }, T::Map { key: kb, value: vb, .. }) => can_cast(ka, kb, ansi) && can_cast(va, vb, ansi),
        (T::Struct(a), T::Struct(b)) => a.len() == b.len() && a.iter().zip(b).all(|(x, y)| can_cast(&x.data_type, &y.data_type, ansi)),
        _ => false,
    }
}

/// Spark's error for a cast `rules` refuse; `shown` is the cast as printed.
pub(crate) fn refused(from: &DataType, to: &DataType, rules: CastRules, shown: &str) -> ResolveError {
    let (f, t) = (format!("\"{}\"", from.sql()), format!("\"{}\"", to.sql()));
    let base = format!("Cannot resolve \"{shown}\" due to data type mismatch: cannot cast {f} to {t}");
    let function = match (from, to) {
        _ if rules == CastRules::Legacy => None,
        (DataType::Date, b) if b.is_numeric() => Some("UNIX_DATE"),
        (a, DataType::Date) if a.is_numeric() => Some("DATE_FROM_UNIX_DATE"),
        _ => None,
    };
    let sql_expr = ("sqlExpr", format!("\"{shown}\""));
    if let Some(function) = function {
        return ResolveError::analysis(
            "DATATYPE_MISMATCH.CAST_WITH_FUNC_SUGGESTION",
            "42K09",
            format!("{base}.\nTo convert values from {f} to {t}, you can use the functions `{function}` instead."),
            &[("srcType", f.clone()), ("targetType", t.clone()), ("functionNames", format!("`{function}`")), sql_expr],
        );
    }
    if rules == CastRules::Ansi && can_cast(from, to, false) {
        return ResolveError::analysis(
            "DATATYPE_MISMATCH.CAST_WITH_CONF_SUGGESTION",
            "42K09",
            format!(
                "{base} with ANSI mode on.\nIf you have to cast {f} to {t}, you can set \"spark.sql.ansi.enabled\" as 'false'."
            ),
            &[("srcType", f.clone()), ("targetType", t.clone()), ("config", "\"spark.sql.ansi.enabled\"".into()), ("configVal", "'false'".into()), sql_expr],
        );
    }
    ResolveError::analysis(
        "DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION",
        "42K09",
        format!("{base}."),
        &[("srcType", f), ("targetType", t), sql_expr],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ansi_refuses_what_legacy_allows() {
        assert!(!can_cast(&DataType::Date, &DataType::Integer, true));
        assert!(can_cast(&DataType::Date, &DataType::Integer, false));
        assert!(!can_cast(&DataType::Integer, &DataType::Binary, true));
        assert!(!can_cast(&DataType::Boolean, &DataType::Date, false));
        assert!(can_cast(&DataType::Timestamp, &DataType::Long, true));
        assert!(can_cast(&DataType::array(DataType::Integer, true), &DataType::String, true));
    }
}
