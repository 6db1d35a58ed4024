//! `col[i]`, `col["key"]`, `col.getField("f")`: Spark's `UnresolvedExtractValue`.

use datafusion::arrow::datatypes::DataType as ArrowType;

use datafusion::logical_expr::Expr as DfExpr;
use spark_functions::{FunctionKind, FunctionRegistry};
use datafusion::logical_expr::expr::ScalarFunction;
use spark_plan::{Expr, Literal};

use super::ResolvedExpr;
use crate::resolver::Resolver;
use crate::{ResolveError, ResolveResult, ResolvedRelation};

impl Resolver<'_> {
    /// Spark's nullability of `field` of a struct of type `t` whose own
    /// nullability is `parent`: nullable if either is; `None` if unknown.
    /// Of an array of structs, the array's field array is as nullable as
    /// the array.
    pub(crate) fn struct_field_nullable(&self, parent: Option<bool>, t: &ArrowType, field: &str) -> Option<bool> {
        if let ArrowType::List(item) = t {
            return matches!(item.data_type(), ArrowType::Struct(_)).then_some(parent).flatten();
        }
        let ArrowType::Struct(fields) = t else { return None };
        let field = fields.iter().find(|f| self.config.name_eq(f.name(), field))?;
        Some(parent? || field.is_nullable())
    }

    pub(crate) fn resolve_extract_value(
        &mut self,
        child: &Expr,
        extraction: &Expr,
        scope: &ResolvedRelation,
    ) -> ResolveResult<ResolvedExpr> {
        let c = self.resolve_expr(child, scope)?;
        let t = self.arrow_type(&c.expr, scope)?;
        match (&t, extraction) {
            (ArrowType::Struct(_), Expr::Literal(Literal::String(field))) | (ArrowType::List(_), Expr::Literal(Literal::String(field)))
                if is_struct_or_struct_array(&t) =>
            {
                let nullable = self.struct_field_nullable(c.nullable, &t, field);
                let (e, n, _) = self.extract_field(c.expr, &t, field)?;
                let mut r = ResolvedExpr::new(e, format!("{}.{}", c.name, n));
                r.nullable = nullable;
                Ok(r)
            }
            (ArrowType::List(_) | ArrowType::LargeList(_), _) => {
                let idx = self.resolve_expr(extraction, scope)?;
                // Spark's `arr[i]`: 0-based; out of bounds is an error in ANSI mode.
                let f = spark_functions::array_index::SparkArrayElement::udf(spark_functions::array_index::IndexStyle::Subscript, self.config.ansi);
                let e = DfExpr::ScalarFunction(ScalarFunction::new_udf(f, vec![c.expr, idx.expr]));
                Ok(ResolvedExpr::new(e, format!("{}[{}]", c.name, idx.name)))
            }
            (ArrowType::Map(..), _) => {
                let key = self.resolve_expr(extraction, scope)?;
                let f = scalar("get_field")?;
                let e = DfExpr::ScalarFunction(ScalarFunction::new_udf(f, vec![c.expr, key.expr]));
                Ok(ResolvedExpr::new(e, format!("{}[{}]", c.name, key.name)))
            }
            _ => Err(ResolveError::analysis(
                "INVALID_EXTRACT_BASE_FIELD_TYPE",
                "42000",
                format!(
                    "Can't extract a value from \"{}\". Need a complex type [STRUCT, ARRAY, MAP] but got \"{}\".",
                    c.name,
                    crate::types::from_arrow(&t).map(|t| t.sql()).unwrap_or_default()
                ),
                &[],
            )),
        }
    }
}

fn is_struct_or_struct_array(t: &ArrowType) -> bool {
    match t {
        ArrowType::Struct(_) => true,
        ArrowType::List(item) => matches!(item.data_type(), ArrowType::Struct(_)),
        _ => false,
    }
}

fn scalar(name: &str) -> ResolveResult<std::sync::Arc<datafusion::logical_expr::ScalarUDF>> {
    match FunctionRegistry::global().get(name) {
        Some(FunctionKind::Scalar(f)) => Ok(f.clone()),
        _ => Err(ResolveError::unresolved_routine(name)),
    }
}


impl Resolver<'_> {
    /// `v:a.b[0]`: `variant_get(v, '$.a.b[0]')`, named after the last key.
    pub(crate) fn resolve_variant_extract(&mut self, child: &Expr, path: &str, name: &str, scope: &ResolvedRelation) -> ResolveResult<ResolvedExpr> {
        let inner = self.resolve_expr(child, scope)?;
        let t = self.arrow_type(&inner.expr, scope)?;
        if !spark_functions::variant::is_variant_type(&t) && !t.is_null() {
            let sql = crate::types::from_arrow(&t).map(|d| d.sql()).unwrap_or_default();
            return Err(ResolveError::analysis(
                "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                "42K09",
                format!("Cannot resolve \"{}:{}\" due to data type mismatch: The first parameter requires the \"VARIANT\" type, however \"{}\" has the type \"{sql}\".", inner.name, path.trim_start_matches('$'), inner.name),
                &[],
            ));
        }
        let f = spark_functions::variant::functions::VariantGet::udf("variant_get", spark_functions::variant::variant_type(), true, &self.config.time_zone);
        let e = crate::functions::call_udf(f, vec![inner.expr, datafusion::logical_expr::lit(path)]);
        Ok(ResolvedExpr::new(e, name.to_string()).with_nullable(true))
    }
}
