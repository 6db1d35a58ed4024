//! Calls of Python scalar UDFs (`udf`, `pandas_udf`, `arrow_udf`, and the
//! functions of `spark.udf.register`): the arguments are resolved here and
//! the call becomes a DataFusion function that runs on the session's Python
//! workers (`spark_python::scalar`).

use std::sync::Arc;

use datafusion::logical_expr::ScalarUDF;
use spark_plan::{DataType, Expr, PythonFunction, StructField};
use spark_python::EvalType;
use spark_python::scalar::{PythonScalarUdf, ScalarUdfCall};

use super::{ResolvedExpr, call_scalar};
use crate::resolver::Resolver;
use crate::types::{canonical_arrow, to_arrow};
use crate::{ResolveError, ResolveResult, ResolvedRelation};

/// The arguments of a Python function call, as its worker receives them.
pub(crate) struct PythonArguments {
    /// The resolved expressions, in order.
    pub exprs: Vec<datafusion::logical_expr::Expr>,
    /// Each one's Arrow type as Spark sends it, and its keyword name.
    pub wire: Vec<(datafusion::arrow::datatypes::DataType, Option<String>)>,
    /// Their Spark types as the fields `_0`, `_1`, ... (`EvalConf.input_type`).
    pub fields: Vec<StructField>,
    /// How Spark prints each (`k => cast(x as double)`).
    pub names: Vec<String>,
}

impl PythonArguments {
    pub fn input_type_json(&self) -> String {
        spark_plan::schema_json::to_json_value(&DataType::Struct(self.fields.clone())).to_string()
    }
}

impl Resolver<'_> {
    /// The session's Python workers for `what`, with this operation's
    /// cancel flag (an interrupt kills the worker).
    pub(crate) fn python_context(&self, what: &str) -> ResolveResult<spark_python::PythonContext> {
        let Some(python) = &self.config.python else {
            return Err(ResolveError::unsupported(format!("{what}: this server runs without Python workers")));
        };
        let mut context = python.context.clone();
        if let Some(flag) = crate::cancel::current_flag() {
            context.cancel = flag;
        }
        Ok(context)
    }

    /// Resolves a Python call's arguments (`name => value` keeps its name).
    pub(crate) fn resolve_python_arguments(&mut self, args: &[Expr], scope: &ResolvedRelation) -> ResolveResult<PythonArguments> {
        let tz = self.config.time_zone.clone();
        let mut out = PythonArguments { exprs: vec![], wire: vec![], fields: vec![], names: vec![] };
        for (i, arg) in args.iter().enumerate() {
            let (keyword, value) = match arg {
                Expr::NamedArgument { name, value } => (Some(name.clone()), value.as_ref()),
                other => (None, other),
            };
            let r = self.resolve_expr(value, scope)?;
            let shown = self.python_argument_name(value, &r.name, scope)?;
            out.names.push(match &keyword {
                Some(k) => format!("{k} => {shown}"),
                None => shown,
            });
            out.fields.push(StructField::new(format!("_{i}"), self.spark_type(&r.expr, scope)?, true));
            out.wire.push((canonical_arrow(&self.arrow_type(&r.expr, scope)?, &tz)?, keyword));
            out.exprs.push(r.expr);
        }
        Ok(out)
    }

    /// How Spark prints a Python UDF's argument: the argument's own
    /// description, where a cast reads `cast(x as double)`.
    fn python_argument_name(&mut self, arg: &Expr, resolved_name: &str, scope: &ResolvedRelation) -> ResolveResult<String> {
        match arg {
            Expr::Cast { expr, to, .. } => {
                let inner = self.resolve_expr(expr, scope)?;
                let inner_name = self.python_argument_name(expr, &inner.name, scope)?;
                Ok(format!("cast({inner_name} as {})", to.simple_string()))
            }
            _ => Ok(resolved_name.to_string()),
        }
    }

    /// A registered Python function called by name, if `name` is one.
    pub(crate) fn registered_python_function(&self, name: &str) -> Option<PythonFunction> {
        self.config.python.as_ref().and_then(|p| p.functions.get(&name.to_ascii_lowercase()).cloned())
    }

    pub(crate) fn resolve_python_udf(&mut self, f: &PythonFunction, args: &[Expr], scope: &ResolvedRelation) -> ResolveResult<ResolvedExpr> {
        let eval_type = EvalType::from_code(f.eval_type);
        let grouped = eval_type.is_grouped_aggregate();
        if !eval_type.is_scalar() && !grouped {
            return Err(ResolveError::unsupported(format!(
                "the Python function `{}` of eval type {} in an expression (only scalar UDFs — udf, pandas_udf, arrow_udf — and grouped-aggregate pandas_udf)",
                f.name, f.eval_type
            )));
        }
        let context = self.python_context(&format!("the Python UDF `{}`", f.name))?;
        let arguments = self.resolve_python_arguments(args, scope)?;
        let input_type = arguments.input_type_json();
        // A grouped aggregate gets each group's values, gathered by
        // `array_agg` (NULLs kept, as pandas sees them).
        let resolved: Vec<_> = arguments.exprs.into_iter().map(|e| if grouped { array_agg(e) } else { e }).collect();
        let tz = self.config.time_zone.clone();
        let call = ScalarUdfCall {
            name: f.name.clone(),
            eval_type,
            python_ver: f.python_ver.clone(),
            command: f.command.clone(),
            args: arguments.wire,
            input_type_json: input_type,
            return_type: to_arrow(&f.output_type, &tz)?,
            grouped,
        };
        let udf = Arc::new(ScalarUDF::new_from_impl(PythonScalarUdf::new(context, call)));
        let name = format!("{}({})", f.name, arguments.names.join(", "));
        Ok(ResolvedExpr::new(call_scalar(udf, resolved), name).with_nullable(true))
    }
}

fn array_agg(arg: datafusion::logical_expr::Expr) -> datafusion::logical_expr::Expr {
    datafusion::logical_expr::Expr::AggregateFunction(datafusion::logical_expr::expr::AggregateFunction::new_udf(
        datafusion::functions_aggregate::array_agg::array_agg_udaf(),
        vec![arg],
        false,
        None,
        vec![],
        None,
    ))
}
