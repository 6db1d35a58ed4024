//! `spark.connect.Expression` → unresolved expressions.

use spark_plan::{CastMode, Expr, FrameType, SortOrder, WindowFrame, WindowFrameBound};
use spark_sql_parser::{parse_data_type, parse_expression_with, parse_identifier_parts};

use super::Required;
use super::data_type::proto_to_type;
use super::literal::convert_literal;
use super::relation::RelationContext;
use crate::error::{ServerError, ServerResult};
use crate::proto::sc;
use crate::proto::sc::expression::ExprType;

fn parse_err(e: spark_sql_parser::ParseError) -> ServerError {
    ServerError::Engine(e.into())
}

pub fn convert_expression(e: &sc::Expression, ctx: &mut RelationContext) -> ServerResult<Expr> {
    ctx.enter_expression()?;
    let r = convert_inner(e, ctx);
    ctx.leave_expression();
    r
}

fn convert_inner(e: &sc::Expression, ctx: &mut RelationContext) -> ServerResult<Expr> {
    let t = e.expr_type.as_ref().required("Expression.expr_type")?;
    Ok(match t {
        ExprType::Literal(l) => {
            use sc::expression::literal::LiteralType;
            match &l.literal_type {
                Some(LiteralType::String(s)) => ctx.check_literal(s.len())?,
                Some(LiteralType::Binary(b)) => ctx.check_literal(b.len())?,
                _ => {}
            }
            Expr::Literal(convert_literal(l)?)
        }
        ExprType::UnresolvedAttribute(a) => Expr::Column {
            name: parse_identifier_parts(&a.unparsed_identifier).map_err(parse_err)?,
            plan_id: a.plan_id,
        },
        ExprType::UnresolvedFunction(f) => {
            // `call_udf(name, ...)` of a registered function resolves by name too.
            let args = f.arguments.iter().map(|a| convert_expression(a, ctx)).collect::<ServerResult<Vec<_>>>()?;
            Expr::Function { name: f.function_name.clone(), args, distinct: f.is_distinct, filter: None, within_group: vec![] }
        }
        ExprType::ExpressionString(s) => parse_expression_with(&s.expression, &ctx.parse_options).map_err(parse_err)?,
        ExprType::UnresolvedStar(s) => Expr::Star {
            target: match &s.unparsed_target {
                Some(t) => {
                    let t = t.strip_suffix(".*").unwrap_or(t);
                    Some(parse_identifier_parts(t).map_err(parse_err)?)
                }
                None => None,
            },
            plan_id: s.plan_id,
            except: vec![],
        },
        ExprType::Alias(a) => Expr::Alias {
            expr: Box::new(convert_expression(a.expr.as_deref().required("Alias.expr")?, ctx)?),
            names: a.name.clone(),
            metadata: a.metadata.clone(),
        },
        ExprType::Cast(c) => {
            use sc::expression::cast::{CastToType, EvalMode};
            let to = match c.cast_to_type.as_ref().required("Cast.cast_to_type")? {
                CastToType::Type(t) => proto_to_type(t)?,
                CastToType::TypeStr(s) => parse_data_type(s).map_err(parse_err)?,
            };
            let mode = match EvalMode::try_from(c.eval_mode).unwrap_or(EvalMode::Unspecified) {
                EvalMode::Unspecified => CastMode::Default,
                EvalMode::Legacy => CastMode::Legacy,
                EvalMode::Ansi => CastMode::Ansi,
                EvalMode::Try => CastMode::Try,
            };
            Expr::Cast { expr: Box::new(convert_expression(c.expr.as_deref().required("Cast.expr")?, ctx)?), to, mode, explicit: true }
        }
        ExprType::UnresolvedRegex(r) => Expr::Regex { pattern: r.col_name.clone(), plan_id: r.plan_id },
        ExprType::SortOrder(s) => Expr::SortOrder(Box::new(convert_sort_order(s, ctx)?)),
        ExprType::LambdaFunction(l) => Expr::Lambda {
            params: l.arguments.iter().map(|a| a.name_parts.join(".")).collect(),
            body: Box::new(convert_expression(l.function.as_deref().required("LambdaFunction.function")?, ctx)?),
        },
        ExprType::Window(w) => {
            let function = convert_expression(w.window_function.as_deref().required("Window.window_function")?, ctx)?;
            let partition_by = w.partition_spec.iter().map(|p| convert_expression(p, ctx)).collect::<ServerResult<Vec<_>>>()?;
            let order_by = w.order_spec.iter().map(|o| convert_sort_order(o, ctx)).collect::<ServerResult<Vec<_>>>()?;
            let frame = match &w.frame_spec {
                Some(f) => Some(convert_frame(f, ctx)?),
                None => None,
            };
            Expr::Window { function: Box::new(function), partition_by, order_by, frame }
        }
        ExprType::UnresolvedExtractValue(x) => Expr::ExtractValue {
            child: Box::new(convert_expression(x.child.as_deref().required("UnresolvedExtractValue.child")?, ctx)?),
            extraction: Box::new(convert_expression(x.extraction.as_deref().required("UnresolvedExtractValue.extraction")?, ctx)?),
        },
        ExprType::UpdateFields(u) => Expr::UpdateField {
            struct_expr: Box::new(convert_expression(u.struct_expression.as_deref().required("UpdateFields.struct_expression")?, ctx)?),
            field: u.field_name.clone(),
            value: match &u.value_expression {
                Some(v) => Some(Box::new(convert_expression(v, ctx)?)),
                None => None,
            },
        },
        ExprType::UnresolvedNamedLambdaVariable(v) => Expr::LambdaVariable(v.name_parts.join(".")),
        ExprType::CommonInlineUserDefinedFunction(f) => {
            let function = python_function(f)?;
            let args = f.arguments.iter().map(|a| convert_expression(a, ctx)).collect::<ServerResult<Vec<_>>>()?;
            Expr::PythonUdf { function, args }
        }
        ExprType::CallFunction(f) => {
            let args = f.arguments.iter().map(|a| convert_expression(a, ctx)).collect::<ServerResult<Vec<_>>>()?;
            Expr::func(&f.function_name, args)
        }
        ExprType::NamedArgumentExpression(n) => Expr::NamedArgument {
            name: n.key.clone(),
            value: Box::new(convert_expression(n.value.as_deref().required("NamedArgumentExpression.value")?, ctx)?),
        },
        ExprType::SubqueryExpression(s) => ctx.subquery(s)?,
        ExprType::MergeAction(_) => return Err(ServerError::unsupported("MERGE actions")),
        ExprType::TypedAggregateExpression(_) => return Err(ServerError::unsupported("typed aggregate expressions")),
        ExprType::DirectShufflePartitionId(_) => return Err(ServerError::unsupported("direct shuffle partition ids")),
        ExprType::Extension(_) => return Err(ServerError::unsupported("expression extensions")),
    })
}

pub fn convert_sort_order(s: &sc::expression::SortOrder, ctx: &mut RelationContext) -> ServerResult<SortOrder> {
    use sc::expression::sort_order::{NullOrdering, SortDirection};
    let expr = convert_expression(s.child.as_deref().required("SortOrder.child")?, ctx)?;
    let ascending = !matches!(SortDirection::try_from(s.direction), Ok(SortDirection::Descending));
    let nulls_first = match NullOrdering::try_from(s.null_ordering) {
        Ok(NullOrdering::SortNullsFirst) => Some(true),
        Ok(NullOrdering::SortNullsLast) => Some(false),
        _ => None,
    };
    Ok(SortOrder { expr, ascending, nulls_first })
}

fn convert_frame(f: &sc::expression::window::WindowFrame, ctx: &mut RelationContext) -> ServerResult<WindowFrame> {
    use sc::expression::window::window_frame::{FrameType as PFrameType, frame_boundary::Boundary};
    let frame_type = match PFrameType::try_from(f.frame_type) {
        Ok(PFrameType::Range) => FrameType::Range,
        _ => FrameType::Rows,
    };
    let mut bound = |b: Option<&sc::expression::window::window_frame::FrameBoundary>, lower: bool| -> ServerResult<WindowFrameBound> {
        let b = b.and_then(|b| b.boundary.as_ref()).required("FrameBoundary.boundary")?;
        Ok(match b {
            Boundary::CurrentRow(_) => WindowFrameBound::CurrentRow,
            Boundary::Unbounded(_) if lower => WindowFrameBound::UnboundedPreceding,
            Boundary::Unbounded(_) => WindowFrameBound::UnboundedFollowing,
            Boundary::Value(v) => WindowFrameBound::Value(Box::new(convert_expression(v, ctx)?)),
        })
    };
    let lower = bound(f.lower.as_deref(), true)?;
    let upper = bound(f.upper.as_deref(), false)?;
    Ok(WindowFrame { frame_type, lower, upper })
}

/// The Python function of a `CommonInlineUserDefinedFunction`; Scala and
/// Java UDFs need a JVM.
pub(crate) fn python_function(f: &sc::CommonInlineUserDefinedFunction) -> ServerResult<spark_plan::PythonFunction> {
    use sc::common_inline_user_defined_function::Function;
    match f.function.as_ref().required("CommonInlineUserDefinedFunction.function")? {
        Function::PythonUdf(p) => Ok(spark_plan::PythonFunction {
            name: f.function_name.clone(),
            eval_type: p.eval_type,
            command: std::sync::Arc::new(p.command.clone()),
            output_type: proto_to_type(p.output_type.as_ref().required("PythonUDF.output_type")?)?,
            python_ver: p.python_ver.clone(),
            deterministic: f.deterministic,
        }),
        Function::ScalarScalaUdf(_) => Err(ServerError::unsupported(format!("the Scala UDF `{}` (this server has no JVM)", f.function_name))),
        Function::JavaUdf(_) => Err(ServerError::unsupported(format!("the Java UDF `{}` (this server has no JVM; registerJavaFunction is not available)", f.function_name))),
    }
}

/// The Python UDTF of a `CommonInlineUserDefinedTableFunction`.
pub(crate) fn python_table_function(f: &sc::CommonInlineUserDefinedTableFunction) -> ServerResult<spark_plan::PythonTableFunction> {
    use sc::common_inline_user_defined_table_function::Function;
    match f.function.as_ref().required("CommonInlineUserDefinedTableFunction.function")? {
        Function::PythonUdtf(p) => Ok(spark_plan::PythonTableFunction {
            name: f.function_name.clone(),
            eval_type: p.eval_type,
            command: std::sync::Arc::new(p.command.clone()),
            return_type: p.return_type.as_ref().map(proto_to_type).transpose()?,
            python_ver: p.python_ver.clone(),
            deterministic: f.deterministic,
        }),
    }
}
