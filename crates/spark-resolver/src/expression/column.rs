//! Column references: `a`, `t.a`, `a.b.c` (struct fields), `df["a"]` (plan ids).

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType as ArrowType, Field, Fields};
use datafusion::common::Column;
use datafusion::functions::core::expr_fn::get_field;
use datafusion::logical_expr::Expr as DfExpr;

use super::ResolvedExpr;
use crate::error::quote_name;
use crate::resolver::{Resolver, id_col};
use crate::{ResolveError, ResolveResult, ResolvedColumn, ResolvedRelation};

/// A column found for a name, and the struct fields still to extract.
#[derive(Debug, Clone)]
pub(crate) struct ColumnMatch {
    pub column: ResolvedColumn,
    pub nested: Vec<String>,
}

impl Resolver<'_> {
    /// Finds the columns that `parts` can refer to, Spark style: a qualified
    /// match (`t.a`) wins over an unqualified one (`a` then field `.b`).
    pub(crate) fn match_columns(&self, parts: &[String], columns: &[ResolvedColumn]) -> Vec<ColumnMatch> {
        let eq = |a: &str, b: &str| self.config.name_eq(a, b);
        let mut qualified = Vec::new();
        for c in columns {
            for k in (1..=c.qualifier.len()).rev() {
                if parts.len() > k
                    && c.qualifier[c.qualifier.len() - k..].iter().zip(&parts[..k]).all(|(q, p)| eq(q, p))
                    && eq(&c.name, &parts[k])
                {
                    qualified.push(ColumnMatch { column: c.clone(), nested: parts[k + 1..].to_vec() });
                    break;
                }
            }
        }
        if !qualified.is_empty() {
            return dedup(qualified);
        }
        let unqualified: Vec<ColumnMatch> = columns
            .iter()
            .filter(|c| parts.first().is_some_and(|p| eq(&c.name, p)))
            .map(|c| ColumnMatch { column: c.clone(), nested: parts[1..].to_vec() })
            .collect();
        dedup(unqualified)
    }

    /// Resolves a column name against a scope to exactly one column.
    pub(crate) fn find_column(
        &self,
        parts: &[String],
        plan_id: Option<i64>,
        scope: &ResolvedRelation,
    ) -> ResolveResult<ColumnMatch> {
        let display = parts.join(".");
        if let Some(pid) = plan_id {
            if let Some(outputs) = self.plan_outputs.get(&pid) {
                let matches = self.match_columns(parts, outputs);
                if let Some(m) = matches.first() {
                    if scope.columns.iter().any(|c| c.id == m.column.id) {
                        if let Some(other) = self.joined_twice.get(&pid) {
                            let in_scope = |id: &str| scope.columns.iter().any(|c| c.id == id);
                            if self.match_columns(parts, other).iter().any(|o| o.column.id != m.column.id && in_scope(&o.column.id)) {
                                return Err(ResolveError::ambiguous_dataframe_column(&display));
                            }
                        }
                        return Ok(m.clone());
                    }
                    // The DataFrame's column is not part of this input: Spark resolves
                    // it by name when that is unambiguous.
                    let by_name = self.match_columns(parts, &scope.columns);
                    if by_name.len() == 1 {
                        return Ok(by_name[0].clone());
                    }
                    return Err(ResolveError::analysis(
                        "CANNOT_RESOLVE_DATAFRAME_COLUMN",
                        "42704",
                        format!("Cannot resolve dataframe column {}. It's probably because of illegal references like `df1.select(df2.col(\"a\"))`.", quote_name(&display)),
                        &[("name", quote_name(&display))],
                    ));
                }
            }
        }
        let mut matches = self.match_columns(parts, &scope.columns);
        // A hidden column (kept for a sort or filter above a projection)
        // never makes a visible one ambiguous.
        if matches.len() > 1 && matches.iter().any(|m| !m.column.hidden) {
            matches.retain(|m| !m.column.hidden);
        }
        match matches.len() {
            1 => Ok(matches.into_iter().next().unwrap_or_else(|| unreachable_match())),
            0 => Err(ResolveError::unresolved_column(parts, &self.suggestions(&display, scope))),
            _ => {
                let names: Vec<String> = matches
                    .iter()
                    .map(|m| {
                        let mut p: Vec<String> = m.column.qualifier.iter().map(|q| quote_name(q)).collect();
                        p.push(quote_name(&m.column.name));
                        p.join(".")
                    })
                    .collect();
                Err(ResolveError::ambiguous(&display, &names))
            }
        }
    }

    /// Spark proposes the closest visible column names (at most five).
    pub(crate) fn suggestions(&self, name: &str, scope: &ResolvedRelation) -> Vec<Vec<String>> {
        let mut cands: Vec<(usize, Vec<String>)> = scope
            .visible()
            .map(|c| {
                let mut full = c.qualifier.clone();
                full.push(c.name.clone());
                (levenshtein(&name.to_lowercase(), &c.name.to_lowercase()), full)
            })
            .collect();
        cands.sort_by(|a, b| a.0.cmp(&b.0));
        cands.into_iter().take(5).map(|(_, n)| n).collect()
    }

    pub(crate) fn resolve_column_expr(
        &mut self,
        parts: &[String],
        plan_id: Option<i64>,
        scope: &ResolvedRelation,
    ) -> ResolveResult<ResolvedExpr> {
        let m = match self.find_column(parts, plan_id, scope) {
            Ok(m) => m,
            Err(e) => match self.resolve_outer_column(parts)?.or_else(|| self.resolve_variable(parts)) {
                // Columns come first, then outer columns, then the session's variables.
                Some(r) => return Ok(r),
                // `current_date`, `current_user`, ... without parentheses are calls.
                None if parts.len() == 1 && NILADIC.iter().any(|f| parts[0].eq_ignore_ascii_case(f)) => {
                    let name = parts[0].to_ascii_lowercase();
                    let call = super::function::FunctionCall { name: &name, args: &[], distinct: false, filter: None, within_group: &[] };
                    return self.resolve_function(&call, scope);
                }
                None => return Err(e),
            },
        };
        let mut expr = id_col(&m.column.id);
        // Spark prints a reference as written, without its qualifier
        // (`T.ID + 1` is `(ID + 1)`).
        let written = parts.len().checked_sub(m.nested.len() + 1).and_then(|i| parts.get(i));
        let mut name = match written {
            _ if self.lambda_ids.contains(&m.column.id) => "namedlambdavariable()".to_string(),
            Some(w) => w.clone(),
            None => m.column.name.clone(),
        };
        // Spark's nullability where known: a struct field is nullable if the
        // struct or the field is.
        let mut nullable = m.column.nullable;
        let mut t = self.arrow_type(&expr, scope)?;
        for field in &m.nested {
            nullable = self.struct_field_nullable(nullable, &t, field);
            let (e, _, nt) = self.extract_field(expr, &t, field)?;
            expr = e;
            name = format!("{name}.{field}");
            t = nt;
        }
        let mut r = ResolvedExpr::new(expr, name);
        r.nullable = nullable;
        Ok(r)
    }

    /// A column of an enclosing query, for correlated subqueries.
    fn resolve_outer_column(&self, parts: &[String]) -> ResolveResult<Option<ResolvedExpr>> {
        for outer in self.outer.iter().rev() {
            let matches = self.match_columns(parts, &outer.columns);
            if let [m] = matches.as_slice() {
                if !m.nested.is_empty() {
                    return Err(ResolveError::unsupported("struct fields of outer query columns"));
                }
                let field = outer.plan.schema().field_with_unqualified_name(&m.column.id)?;
                let expr = DfExpr::OuterReferenceColumn(
                    field.clone(),
                    Column::new_unqualified(&m.column.id),
                );
                return Ok(Some(ResolvedExpr::new(expr, m.column.name.clone())));
            }
        }
        Ok(None)
    }

    /// `struct.field` with Spark's case-insensitive field lookup; of an
    /// array of structs, the array of that field of each element.
    pub(crate) fn extract_field(
        &self,
        expr: DfExpr,
        t: &ArrowType,
        field: &str,
    ) -> ResolveResult<(DfExpr, String, ArrowType)> {
        match t {
            ArrowType::Struct(fields) => {
                let f = &fields[self.find_field(fields, field)?];
                // Arrow keeps a child's values under a NULL struct; Spark's field is NULL there.
                let value = get_field(expr.clone(), f.name().as_str());
                let guarded = DfExpr::Case(datafusion::logical_expr::expr::Case::new(
                    None,
                    vec![(Box::new(expr.is_not_null()), Box::new(value))],
                    None,
                ));
                Ok((guarded, f.name().clone(), f.data_type().clone()))
            }
            ArrowType::List(item) if matches!(item.data_type(), ArrowType::Struct(_)) => {
                let ArrowType::Struct(fields) = item.data_type() else { return Err(invalid_extract(field, t)) };
                let i = self.find_field(fields, field)?;
                let f = &fields[i];
                let e = DfExpr::ScalarFunction(datafusion::logical_expr::expr::ScalarFunction::new_udf(
                    spark_functions::array_fields::ArrayStructField::udf(i),
                    vec![expr],
                ));
                let element = Field::new(f.name(), f.data_type().clone(), item.is_nullable() || f.is_nullable());
                Ok((e, f.name().clone(), ArrowType::List(Arc::new(element))))
            }
            ArrowType::Map(entries, _) => {
                let vt = match entries.data_type() {
                    ArrowType::Struct(kv) if kv.len() == 2 => kv[1].data_type().clone(),
                    _ => ArrowType::Null,
                };
                Ok((get_field(expr, field), field.to_string(), vt))
            }
            other => Err(invalid_extract(field, other)),
        }
    }

    /// The position of `field` among `fields`, matched as names are.
    fn find_field(&self, fields: &Fields, field: &str) -> ResolveResult<usize> {
        let found: Vec<usize> = (0..fields.len()).filter(|&i| self.config.name_eq(fields[i].name(), field)).collect();
        match found.as_slice() {
            [i] => Ok(*i),
            [] => Err(ResolveError::analysis(
                "FIELD_NOT_FOUND",
                "42704",
                format!(
                    "No such struct field {} in {}.",
                    quote_name(field),
                    fields.iter().map(|f| quote_name(f.name())).collect::<Vec<_>>().join(", ")
                ),
                &[("fieldName", quote_name(field))],
            )),
            _ => Err(ResolveError::ambiguous(field, &found.iter().map(|i| fields[*i].name().clone()).collect::<Vec<_>>())),
        }
    }
}

fn invalid_extract(field: &str, t: &ArrowType) -> ResolveError {
    ResolveError::analysis(
        "INVALID_EXTRACT_BASE_FIELD_TYPE",
        "42000",
        format!(
            "Can't extract a value from {}. Need a complex type [STRUCT, ARRAY, MAP] but got \"{}\".",
            quote_name(field),
            crate::types::from_arrow(t).map(|t| t.sql()).unwrap_or_default()
        ),
        &[],
    )
}

fn unreachable_match() -> ColumnMatch {
    ColumnMatch { column: ResolvedColumn::new(String::new(), String::new()), nested: vec![] }
}

fn dedup(mut v: Vec<ColumnMatch>) -> Vec<ColumnMatch> {
    let mut seen = Vec::new();
    v.retain(|m| {
        if seen.contains(&m.column.id) {
            false
        } else {
            seen.push(m.column.id.clone());
            true
        }
    });
    v
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Functions Spark also accepts written without parentheses.
const NILADIC: &[&str] = &["current_date", "current_time", "localtime", "current_timestamp", "current_user", "user", "session_user", "current_catalog", "current_database", "current_schema", "localtimestamp", "current_timezone"];
