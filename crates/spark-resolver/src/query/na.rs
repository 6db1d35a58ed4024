//! `DataFrameNaFunctions`: `fill`, `drop` and `replace`, as Spark's
//! `DataFrameNaFunctions` rewrites them into projections and filters over
//! the input's columns.

use spark_plan::{CastMode, DataType, Expr, Literal, Relation};

use crate::resolver::Resolver;
use crate::types::from_arrow;
use crate::{ResolveError, ResolveResult, ResolvedColumn, ResolvedRelation};

/// The family of column types a fill or replace value applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Numeric,
    String,
    Boolean,
}

impl Family {
    fn of_value(l: &Literal) -> Option<Family> {
        Some(match l {
            Literal::Byte(_) | Literal::Short(_) | Literal::Integer(_) | Literal::Long(_) | Literal::Float(_) | Literal::Double(_) | Literal::Decimal { .. } => {
                Family::Numeric
            }
            Literal::String(_) => Family::String,
            Literal::Boolean(_) => Family::Boolean,
            _ => return None,
        })
    }

    fn matches(self, t: &DataType) -> bool {
        match self {
            Family::Numeric => t.is_numeric(),
            Family::String => t.is_string(),
            Family::Boolean => matches!(t, DataType::Boolean),
        }
    }
}

fn unsupported_value(l: &Literal) -> ResolveError {
    ResolveError::IllegalArgument(format!(
        "Unsupported value type {} ({}).",
        l.data_type().sql(),
        l.data_type().simple_string()
    ))
}

/// A reference to one visible column by its name.
fn column_ref(c: &ResolvedColumn) -> Expr {
    Expr::column(&c.name)
}

impl Resolver<'_> {
    /// The visible columns of `r` with their Spark types.
    pub(crate) fn typed_columns(&self, r: &ResolvedRelation) -> ResolveResult<Vec<(ResolvedColumn, DataType)>> {
        r.visible()
            .map(|c| Ok((c.clone(), from_arrow(&self.arrow_type(&crate::resolver::id_col(&c.id), r)?)?)))
            .collect()
    }

    /// The columns named in `names` (Spark resolves each, failing on unknown
    /// names), or every visible column when `names` is empty.
    fn named_columns(&self, r: &ResolvedRelation, names: &[String]) -> ResolveResult<Vec<String>> {
        if names.is_empty() {
            return Ok(r.visible().map(|c| c.id.clone()).collect());
        }
        names
            .iter()
            .map(|n| self.find_column(std::slice::from_ref(n), None, r).map(|m| m.column.id))
            .collect()
    }

    pub(crate) fn resolve_fill_na(&mut self, input: &Relation, columns: &[String], values: &[Literal]) -> ResolveResult<ResolvedRelation> {
        let r = self.resolve(input)?;
        let typed = self.typed_columns(&r)?;
        // Column id -> the value it is filled with.
        let mut fills: Vec<(String, Literal)> = Vec::new();
        match values {
            [] => return Err(ResolveError::invalid("NAFill needs at least one value")),
            [v] => {
                let family = Family::of_value(v).ok_or_else(|| unsupported_value(v))?;
                let targets = self.named_columns(&r, columns)?;
                for (c, t) in &typed {
                    if targets.contains(&c.id) && family.matches(t) {
                        fills.push((c.id.clone(), v.clone()));
                    }
                }
            }
            many => {
                if many.len() != columns.len() {
                    return Err(ResolveError::invalid("NAFill needs one value per column"));
                }
                for (name, v) in columns.iter().zip(many) {
                    Family::of_value(v).ok_or_else(|| unsupported_value(v))?;
                    let id = self.find_column(std::slice::from_ref(name), None, &r)?.column.id;
                    fills.push((id, v.clone()));
                }
            }
        }
        let exprs = typed
            .iter()
            .map(|(c, t)| match fills.iter().find(|(id, _)| *id == c.id) {
                None => column_ref(c),
                Some((_, v)) => {
                    // NaN counts as missing in floating-point columns.
                    let value = if matches!(t, DataType::Float | DataType::Double) {
                        Expr::func("nanvl", vec![column_ref(c), Expr::Literal(Literal::Null(t.clone()))])
                    } else {
                        column_ref(c)
                    };
                    let fill = Expr::Cast { expr: Box::new(Expr::Literal(v.clone())), to: t.clone(), mode: CastMode::Default, explicit: false };
                    Expr::func("coalesce", vec![value, fill]).alias(&c.name)
                }
            })
            .collect::<Vec<_>>();
        self.project_exprs(r, &exprs)
    }

    pub(crate) fn resolve_drop_na(&mut self, input: &Relation, columns: &[String], min_non_nulls: Option<i32>) -> ResolveResult<ResolvedRelation> {
        let r = self.resolve(input)?;
        let typed = self.typed_columns(&r)?;
        let targets = self.named_columns(&r, columns)?;
        let checked: Vec<&(ResolvedColumn, DataType)> = typed.iter().filter(|(c, _)| targets.contains(&c.id)).collect();
        let needed = min_non_nulls.map(|n| n.max(0) as usize).unwrap_or(checked.len());
        if needed == 0 {
            return Ok(r);
        }
        // Count the present (non-null, non-NaN) values of each row.
        let present = |c: &ResolvedColumn, t: &DataType| {
            let not_null = Expr::func("isnotnull", vec![column_ref(c)]);
            let ok = if matches!(t, DataType::Float | DataType::Double) {
                Expr::func("and", vec![not_null, Expr::func("not", vec![Expr::func("isnan", vec![column_ref(c)])])])
            } else {
                not_null
            };
            Expr::func("if", vec![ok, Expr::Literal(Literal::Integer(1)), Expr::Literal(Literal::Integer(0))])
        };
        let count = checked
            .iter()
            .map(|(c, t)| present(c, t))
            .reduce(|a, b| Expr::func("+", vec![a, b]))
            .unwrap_or(Expr::Literal(Literal::Integer(0)));
        let condition = Expr::func(">=", vec![count, Expr::Literal(Literal::Integer(needed as i32))]);
        let c = self.resolve_expr(&condition, &r)?;
        let plan = datafusion::logical_expr::LogicalPlanBuilder::from(r.plan).filter(c.expr)?.build()?;
        Ok(ResolvedRelation { plan, columns: r.columns })
    }

    pub(crate) fn resolve_replace_na(
        &mut self,
        input: &Relation,
        columns: &[String],
        replacements: &[(Literal, Literal)],
    ) -> ResolveResult<ResolvedRelation> {
        let r = self.resolve(input)?;
        let Some((first, _)) = replacements.first() else { return Ok(r) };
        let typed = self.typed_columns(&r)?;
        let targets = self.named_columns(&r, columns)?;
        let family = Family::of_value(first).ok_or_else(|| unsupported_value(first))?;
        // Spark compares numbers as doubles.
        let as_double = |l: &Literal| match (family, l) {
            (Family::Numeric, Literal::Null(_)) => Literal::Null(DataType::Double),
            (Family::Numeric, v) => match v.as_f64() {
                Some(d) => Literal::Double(d),
                None => v.clone(),
            },
            (_, v) => v.clone(),
        };
        let exprs = typed
            .iter()
            .map(|(c, t)| {
                if !targets.contains(&c.id) || !family.matches(t) {
                    return column_ref(c);
                }
                let mut args = vec![];
                for (old, new) in replacements {
                    args.push(Expr::func("==", vec![column_ref(c), Expr::Literal(as_double(old))]));
                    args.push(Expr::Cast { expr: Box::new(Expr::Literal(as_double(new))), to: t.clone(), mode: CastMode::Default, explicit: false });
                }
                args.push(column_ref(c));
                Expr::func("when", args).alias(&c.name)
            })
            .collect::<Vec<_>>();
        self.project_exprs(r, &exprs)
    }
}
