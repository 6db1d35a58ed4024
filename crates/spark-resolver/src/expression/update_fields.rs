//! `col.withField(name, value)` and `col.dropFields(name)`: the struct
//! rebuilt field by field with one field replaced, appended or removed
//! (`a.b` paths reach into nested structs), NULL where the struct is NULL.
//! Spark names the result `update_fields(s, WithField(v))` /
//! `update_fields(s, dropfield())`.

use datafusion::arrow::datatypes::DataType as ArrowType;
use datafusion::functions::core::expr_fn::get_field;
use datafusion::logical_expr::expr::Case;
use datafusion::logical_expr::{Expr as DfExpr, lit};
use spark_plan::Expr;

use super::ResolvedExpr;
use crate::resolver::Resolver;
use crate::{ResolveError, ResolveResult, ResolvedRelation};

impl Resolver<'_> {
    pub(crate) fn resolve_update_field(
        &mut self,
        struct_expr: &Expr,
        field: &str,
        value: Option<&Expr>,
        scope: &ResolvedRelation,
    ) -> ResolveResult<ResolvedExpr> {
        let s = self.resolve_expr(struct_expr, scope)?;
        let t = self.arrow_type(&s.expr, scope)?;
        let (v, shown) = match value {
            Some(v) => {
                let r = self.resolve_expr(v, scope)?;
                let name = format!("WithField({})", r.name);
                (Some(r.expr), name)
            }
            None => (None, "dropfield()".to_string()),
        };
        let path: Vec<&str> = field.split('.').collect();
        let e = self.rebuild(s.expr, &t, &path, v)?;
        Ok(ResolvedExpr::new(e, update_name(&s.name, &path, &shown)))
    }

    /// `base` (of struct type `t`) with the field at `path` set or dropped.
    fn rebuild(&self, base: DfExpr, t: &ArrowType, path: &[&str], value: Option<DfExpr>) -> ResolveResult<DfExpr> {
        let ArrowType::Struct(fields) = t else {
            return Err(ResolveError::analysis(
                "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                "42K09",
                format!("Cannot resolve update_fields: the input must be a struct, not {t}."),
                &[],
            ));
        };
        let Some((head, rest)) = path.split_first() else { return Err(ResolveError::invalid("an empty field name")) };
        let mut args = Vec::new();
        let mut found = false;
        let mut value = value;
        for f in fields.iter() {
            let current = get_field(base.clone(), f.name().as_str());
            if self.config.name_eq(f.name(), head) {
                found = true;
                if rest.is_empty() {
                    if let Some(v) = value.take() {
                        args.push(lit(f.name().clone()));
                        args.push(v);
                    }
                } else {
                    args.push(lit(f.name().clone()));
                    args.push(self.rebuild(current, f.data_type(), rest, value.take())?);
                }
                continue;
            }
            args.push(lit(f.name().clone()));
            args.push(current);
        }
        if !found {
            match (rest.is_empty(), value) {
                (true, Some(v)) => {
                    args.push(lit(head.to_string()));
                    args.push(v);
                }
                (true, None) => {}
                (false, _) => {
                    return Err(ResolveError::analysis(
                        "FIELD_NOT_FOUND",
                        "42704",
                        format!("No such struct field `{head}` in {}.", fields.iter().map(|f| format!("`{}`", f.name())).collect::<Vec<_>>().join(", ")),
                        &[],
                    ));
                }
            }
        }
        if args.is_empty() {
            return Err(ResolveError::analysis(
                "DATATYPE_MISMATCH.CANNOT_DROP_ALL_FIELDS",
                "42K09",
                "Cannot drop all fields in struct.",
                &[],
            ));
        }
        let rebuilt = super::registry_scalar("named_struct", args)?;
        Ok(DfExpr::Case(Case::new(None, vec![(Box::new(base.is_not_null()), Box::new(rebuilt))], None)))
    }
}

/// Spark rewrites `withField("a.b", v)` into nested updates and names them so:
/// `update_fields(s, WithField(update_fields(s.a, WithField(v))))`.
fn update_name(base: &str, path: &[&str], shown: &str) -> String {
    match path {
        [_, rest @ ..] if !rest.is_empty() => {
            format!("update_fields({base}, WithField({}))", update_name(&format!("{base}.{}", path[0]), rest, shown))
        }
        _ => format!("update_fields({base}, {shown})"),
    }
}
