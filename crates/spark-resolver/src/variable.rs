//! Session variables as queries see them: a name that no column answers to
//! (`v`, `session.v`, `system.session.v`) reads the variable's value.
//! Spark names the reference `variablereference(system.session.v=<value>)`
//! inside expressions and `v` as a column of its own.

use datafusion::common::ScalarValue;
use datafusion::logical_expr::lit;
use spark_plan::format::java_double;
use spark_plan::literal::format_decimal;

use crate::expression::ResolvedExpr;
use crate::resolver::Resolver;

/// One `DECLARE`d variable with its current value.
#[derive(Debug, Clone)]
pub struct SessionVariable {
    /// As declared.
    pub name: String,
    pub data_type: spark_plan::DataType,
    /// Of `data_type`'s Arrow type.
    pub value: ScalarValue,
}

impl SessionVariable {
    /// The value as Spark writes it in SQL (`5`, `'abc'`, `ARRAY(1, 2)`,
    /// `DATE '2024-01-01'`).
    pub fn value_sql(&self) -> String {
        scalar_sql(&self.value)
    }
}

/// The variable name of `parts` with its optional `system.session` prefix
/// taken off; `None` for any other qualifier.
pub fn unqualified_variable(parts: &[String]) -> Option<&str> {
    match parts {
        [name] => Some(name),
        [session, name] if session.eq_ignore_ascii_case("session") => Some(name),
        [system, session, name] if system.eq_ignore_ascii_case("system") && session.eq_ignore_ascii_case("session") => Some(name),
        _ => None,
    }
}

impl Resolver<'_> {
    /// A reference to a session variable, if `parts` names one.
    pub(crate) fn resolve_variable(&self, parts: &[String]) -> Option<ResolvedExpr> {
        if let Some(v) = unqualified_variable(parts).and_then(|name| self.config.variables.get(&name.to_ascii_lowercase())) {
            let shown = format!("variablereference(system.session.{}={})", v.name, v.value_sql());
            return Some(ResolvedExpr { expr: lit(v.value.clone()), name: shown, nullable: Some(v.value.is_null()) });
        }
        // `r.id`: a field of a struct variable (a script's FOR row).
        let (first, fields) = parts.split_first()?;
        let v = self.config.variables.get(&first.to_ascii_lowercase())?;
        let mut value = v.value.clone();
        for field in fields {
            let ScalarValue::Struct(row) = &value else { return None };
            let at = row.fields().iter().position(|f| f.name().eq_ignore_ascii_case(field))?;
            value = ScalarValue::try_from_array(row.column(at), 0).ok()?;
        }
        let nullable = Some(value.is_null());
        Some(ResolvedExpr { expr: lit(value), name: parts.join("."), nullable })
    }
}

fn scalar_sql(v: &ScalarValue) -> String {
    if v.is_null() {
        return "NULL".into();
    }
    match v {
        ScalarValue::Boolean(Some(b)) => if *b { "true" } else { "false" }.into(),
        ScalarValue::Int8(Some(n)) => format!("{n}Y"),
        ScalarValue::Int16(Some(n)) => format!("{n}S"),
        ScalarValue::Int32(Some(n)) => n.to_string(),
        ScalarValue::Int64(Some(n)) => format!("{n}L"),
        ScalarValue::Float64(Some(f)) => format!("{}D", java_double(*f)),
        ScalarValue::Decimal128(Some(n), _, s) => format!("{}BD", format_decimal(*n, *s)),
        ScalarValue::Utf8(Some(s)) | ScalarValue::LargeUtf8(Some(s)) | ScalarValue::Utf8View(Some(s)) => {
            format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
        }
        ScalarValue::Date32(Some(d)) => match chrono::NaiveDate::from_num_days_from_ce_opt(*d + 719_163) {
            Some(date) => format!("DATE '{}'", date.format("%Y-%m-%d")),
            None => v.to_string(),
        },
        ScalarValue::List(list) => {
            let values = list.value(0);
            let items: Vec<String> = (0..values.len()).map(|i| ScalarValue::try_from_array(&values, i).map(|s| scalar_sql(&s)).unwrap_or_default()).collect();
            format!("ARRAY({})", items.join(", "))
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_print_as_spark_sql() {
        assert_eq!(scalar_sql(&ScalarValue::Int32(Some(5))), "5");
        assert_eq!(scalar_sql(&ScalarValue::Int64(Some(5))), "5L");
        assert_eq!(scalar_sql(&ScalarValue::Utf8(Some("it's".into()))), "'it\\'s'");
        assert_eq!(scalar_sql(&ScalarValue::Date32(Some(19723))), "DATE '2024-01-01'");
        assert_eq!(scalar_sql(&ScalarValue::Int32(None)), "NULL");
    }

    #[test]
    fn names_may_carry_the_session_qualifier() {
        let parts = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(unqualified_variable(&parts(&["v"])), Some("v"));
        assert_eq!(unqualified_variable(&parts(&["SYSTEM", "Session", "v"])), Some("v"));
        assert_eq!(unqualified_variable(&parts(&["t", "v"])), None);
    }
}
