//! `CAST(x AS type)`, `try_cast`, `col.cast("type")`.

use datafusion::logical_expr::{Cast, Expr as DfExpr, TryCast};
use spark_plan::{CastMode, DataType, Expr};

use super::ResolvedExpr;
use crate::resolver::Resolver;
use crate::types::to_arrow;
use crate::{ResolveResult, ResolvedRelation};

impl Resolver<'_> {
    pub(crate) fn resolve_cast(
        &mut self,
        expr: &Expr,
        to: &DataType,
        mode: CastMode,
        explicit: bool,
        scope: &ResolvedRelation,
    ) -> ResolveResult<ResolvedExpr> {
        if matches!(to, DataType::Time(_)) {
            return Err(crate::functions::unsupported_time_type());
        }
        let inner = self.resolve_expr(expr, scope)?;
        let from = crate::types::from_arrow(&self.arrow_type(&inner.expr, scope)?)?;
        let nullable = mode == CastMode::Try || self.is_nullable(&inner, scope) || force_nullable(&from, to);
        let target = to_arrow(to, &self.config.time_zone)?;
        let ansi = match mode {
            CastMode::Default => self.config.ansi,
            CastMode::Ansi => true,
            CastMode::Legacy | CastMode::Try => false,
        };
        let source = self.arrow_type(&inner.expr, scope)?;
        let e = if let Some(e) = self.timestamp_to_string(&inner.expr, &source, &target) {
            e
        } else if ansi {
            DfExpr::Cast(Cast::new(Box::new(inner.expr), target))
        } else {
            DfExpr::TryCast(TryCast::new(Box::new(inner.expr), target))
        };
        let prefix = if mode == CastMode::Try { "TRY_CAST" } else { "CAST" };
        // Spark prints user casts, except to complex types (`array(1)`).
        let complex = matches!(to, DataType::Array { .. } | DataType::Map { .. } | DataType::Struct(_));
        let name = if (explicit || mode == CastMode::Try) && !complex {
            format!("{prefix}({} AS {})", inner.name, to.sql())
        } else {
            inner.name
        };
        Ok(ResolvedExpr::new(e, name).with_nullable(nullable))
    }
}

impl Resolver<'_> {
    /// A timestamp cast to STRING in Spark's text form (Arrow's is ISO 8601).
    pub(crate) fn timestamp_to_string(&self, e: &DfExpr, from: &datafusion::arrow::datatypes::DataType, to: &datafusion::arrow::datatypes::DataType) -> Option<DfExpr> {
        use datafusion::arrow::datatypes::DataType as A;
        let A::Timestamp(_, tz) = from else { return None };
        if !matches!(to, A::Utf8 | A::LargeUtf8 | A::Utf8View) {
            return None;
        }
        let zone = tz.as_ref().map(|_| self.config.time_zone.as_str());
        let f = spark_functions::timestamp_string::SparkTimestampString::udf(zone);
        Some(crate::functions::call_udf(f, vec![e.clone()]))
    }
}

/// Spark's `Cast.forceNullable`: casts that can fail and yield NULL.
/// Whether a cast can give NULL for a non-NULL value (Spark's `Cast.forceNullable`).
pub(crate) fn force_nullable(from: &DataType, to: &DataType) -> bool {
    use DataType as T;
    let integral = |t: &DataType| matches!(t, T::Byte | T::Short | T::Integer | T::Long);
    match (from, to) {
        (T::Null, _) => false,
        (a, b) if a == b => false,
        (a, T::Binary) if a.is_string() => false,
        (a, _) if a.is_string() => true,
        (_, b) if b.is_string() => false,
        (T::Float | T::Double, T::Timestamp) => true,
        (T::Timestamp, T::Date) => false,
        (_, T::Date) => true,
        (T::Date, T::TimestampNtz | T::Timestamp) => false,
        (T::Date, _) => true,
        (_, T::CalendarInterval) => true,
        (a, T::Decimal { precision, scale }) => !decimal_can_hold(a, *precision, *scale),
        (T::Float | T::Double | T::Decimal { .. }, b) if integral(b) => true,
        _ => false,
    }
}

fn decimal_can_hold(from: &DataType, precision: u8, scale: i8) -> bool {
    let whole = precision as i16 - scale as i16;
    match from {
        DataType::Byte => whole >= 3,
        DataType::Short => whole >= 5,
        DataType::Integer => whole >= 10,
        DataType::Long => whole >= 20,
        // Spark's canNullSafeCastToDecimal: more whole digits, whatever the
        // scale (rounding the fraction cannot overflow then).
        DataType::Decimal { precision: p, scale: s } => whole > (*p as i16 - *s as i16),
        DataType::Boolean => whole >= 1,
        _ => false,
    }
}
