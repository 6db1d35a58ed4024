//! Time travel (`FROM t VERSION AS OF 1`, `FROM t TIMESTAMP AS OF ts`).
//! Spark's built-in catalog keeps no table history, so Spark refuses it for
//! its tables, views and CTEs with UNSUPPORTED_FEATURE.TIME_TRAVEL; this
//! server does the same, after the same checks in the same order: the
//! timestamp expression first (castable to TIMESTAMP, deterministic, not
//! NULL, readable when it is text), then the table name.

use datafusion::logical_expr::Expr as DfExpr;
use datafusion::common::ScalarValue;
use spark_plan::{DataType, Expr, Relation, TimeTravel};

use crate::error::quote_parts;
use crate::resolver::Resolver;
use crate::{ResolveError, ResolveResult, ResolvedRelation};

fn invalid_timestamp(kind: &str, shown: &str, reason: &str) -> ResolveError {
    ResolveError::analysis(
        &format!("INVALID_TIME_TRAVEL_TIMESTAMP_EXPR.{kind}"),
        "42K0E",
        format!("The time travel timestamp expression {shown} is invalid. {reason}"),
        &[("expr", shown.to_string())],
    )
}

/// Whether Spark's ANSI cast takes a value of type `t` to TIMESTAMP.
fn casts_to_timestamp(t: &DataType) -> bool {
    t.is_numeric() || t.is_string() || matches!(t, DataType::Null | DataType::Date | DataType::Timestamp | DataType::TimestampNtz)
}

impl Resolver<'_> {
    pub(crate) fn resolve_time_travel(&mut self, input: &Relation, spec: &TimeTravel) -> ResolveResult<ResolvedRelation> {
        if let TimeTravel::Timestamp(e) = spec {
            self.check_time_travel_timestamp(e)?;
        }
        let table = self.resolve(input)?;
        // Tables are named in full (`spark_catalog`.`default`.`t`), views
        // and CTEs as written: the qualifier their columns carry.
        let name = match table.columns.first() {
            Some(c) if !c.qualifier.is_empty() => quote_parts(&c.qualifier),
            _ => match &input.kind {
                spark_plan::RelationKind::Read(spark_plan::ReadSource::Table { name }) => quote_parts(name),
                _ => "the relation".into(),
            },
        };
        Err(ResolveError::analysis(
            "UNSUPPORTED_FEATURE.TIME_TRAVEL",
            "0A000",
            format!("The feature is not supported: Time travel on the relation: {name}."),
            &[("relationId", name)],
        ))
    }

    fn check_time_travel_timestamp(&mut self, e: &Expr) -> ResolveResult<()> {
        let scope = self.resolve_one_row()?;
        let r = self.resolve_expr(e, &scope)?;
        let shown = format!("\"{}\"", r.name);
        let t = self.spark_type(&r.expr, &scope)?;
        if !casts_to_timestamp(&t) {
            return Err(invalid_timestamp("INPUT", &shown, "Cannot be casted to the \"TIMESTAMP\" type."));
        }
        if super::deterministic_aggregates::any_non_deterministic(&[e]) {
            return Err(invalid_timestamp("NON_DETERMINISTIC", &shown, "Must be deterministic."));
        }
        // A NULL, or text that is no timestamp, has no time to travel to.
        let unreadable = match r.expr.unalias() {
            DfExpr::Literal(v, _) if v.is_null() => true,
            DfExpr::Literal(ScalarValue::Utf8(Some(text)) | ScalarValue::Utf8View(Some(text)), _) => {
                spark_functions::datetime_text::read_timestamp(text.as_str(), 0).is_none()
            }
            _ => false,
        };
        if unreadable {
            return Err(invalid_timestamp("INPUT", &shown, "Cannot be casted to the \"TIMESTAMP\" type."));
        }
        Ok(())
    }
}
