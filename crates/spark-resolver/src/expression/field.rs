//! The type and nullability of a resolved DataFusion expression, computed
//! in one walk of it. DataFusion's own `get_type` / `nullable` build every
//! sub-expression's display name on the way (quadratic in the nesting
//! depth), and the resolver asks for types at every level of an expression,
//! which made `((id + 1) + 1) ...` cubic. The common node kinds are handled
//! here without names; the rest ask DataFusion.

use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType as ArrowType, Field, FieldRef};
use datafusion::common::{DFSchema, Result};
use datafusion::logical_expr::binary::BinaryTypeCoercer;
use datafusion::logical_expr::expr::{Alias, ScalarFunction};
use datafusion::logical_expr::type_coercion::functions::fields_with_udf;
use datafusion::logical_expr::{BinaryExpr, Cast, Expr as DfExpr, ExprSchemable, Operator, ReturnFieldArgs, TryCast};

/// The output field (type and nullability; the name is not computed) of `e`.
pub(crate) fn expr_field(e: &DfExpr, schema: &DFSchema) -> Result<FieldRef> {
    let field = |t: ArrowType, nullable: bool| Arc::new(Field::new("", t, nullable));
    Ok(match e {
        DfExpr::Alias(Alias { expr, .. }) => expr_field(expr, schema)?,
        DfExpr::Column(c) => {
            let (_, f) = schema.qualified_field_from_column(c)?;
            field(f.data_type().clone(), f.is_nullable())
        }
        DfExpr::Literal(v, _) => field(v.data_type(), v.is_null()),
        DfExpr::Cast(Cast { expr, field: to }) => field(to.data_type().clone(), expr_field(expr, schema)?.is_nullable()),
        DfExpr::TryCast(TryCast { field: to, .. }) => field(to.data_type().clone(), true),
        DfExpr::Negative(x) => expr_field(x, schema)?,
        DfExpr::Not(x) => field(ArrowType::Boolean, expr_field(x, schema)?.is_nullable()),
        DfExpr::IsNull(_) | DfExpr::IsNotNull(_) | DfExpr::IsTrue(_) | DfExpr::IsFalse(_) | DfExpr::IsNotTrue(_) | DfExpr::IsNotFalse(_) => {
            field(ArrowType::Boolean, false)
        }
        DfExpr::BinaryExpr(BinaryExpr { left, op, right }) => {
            let (l, r) = (expr_field(left, schema)?, expr_field(right, schema)?);
            let t = BinaryTypeCoercer::new(l.data_type(), op, r.data_type()).get_result_type()?;
            let nullable = match op {
                Operator::IsDistinctFrom | Operator::IsNotDistinctFrom => false,
                _ => l.is_nullable() || r.is_nullable(),
            };
            field(t, nullable)
        }
        DfExpr::ScalarFunction(ScalarFunction { func, args }) => {
            let fields = args.iter().map(|a| expr_field(a, schema)).collect::<Result<Vec<_>>>()?;
            let fields = fields_with_udf(&fields, func.as_ref())?;
            let scalars: Vec<_> = args.iter().map(|a| if let DfExpr::Literal(v, _) = a { Some(v) } else { None }).collect();
            func.return_field_from_args(ReturnFieldArgs { arg_fields: &fields, scalar_arguments: &scalars })?
        }
        DfExpr::Case(case) => {
            let mut t = ArrowType::Null;
            let mut nullable = case.else_expr.is_none();
            for (_, then) in &case.when_then_expr {
                let f = expr_field(then, schema)?;
                if t.is_null() {
                    t = f.data_type().clone();
                }
                nullable |= f.is_nullable();
            }
            if let Some(e) = &case.else_expr {
                let f = expr_field(e, schema)?;
                if t.is_null() {
                    t = f.data_type().clone();
                }
                nullable |= f.is_nullable();
            }
            field(t, nullable)
        }
        other => other.to_field(schema)?.1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::logical_expr::{col, lit};

    fn schema() -> DFSchema {
        let s = datafusion::arrow::datatypes::Schema::new(vec![Field::new("a", ArrowType::Int64, false), Field::new("b", ArrowType::Utf8, true)]);
        DFSchema::try_from(s).unwrap_or_else(|_| DFSchema::empty())
    }

    /// Agrees with DataFusion's own answer.
    #[test]
    fn matches_datafusion() {
        let s = schema();
        let exprs = [
            col("a") + lit(1i64),
            (col("a") + lit(1i64)).alias("x"),
            col("b").is_null(),
            datafusion::functions::string::expr_fn::upper(col("b")),
            datafusion::logical_expr::cast(col("a"), ArrowType::Float64) * lit(2.5),
            datafusion::logical_expr::when(col("a").gt(lit(1i64)), lit("x")).otherwise(col("b")).unwrap_or(lit(0)),
        ];
        for e in exprs {
            let ours = expr_field(&e, &s).map(|f| (f.data_type().clone(), f.is_nullable())).ok();
            let theirs = e.to_field(&s).map(|(_, f)| (f.data_type().clone(), f.is_nullable())).ok();
            assert_eq!(ours, theirs, "{e}");
        }
    }

    /// A deep chain is one walk.
    #[test]
    fn deep_chain_is_linear() {
        let s = schema();
        let mut e = col("a");
        for _ in 0..300 {
            e = e + lit(1i64);
        }
        let f = expr_field(&e, &s).map(|f| f.data_type().clone()).ok();
        assert_eq!(f, Some(ArrowType::Int64));
    }
}
