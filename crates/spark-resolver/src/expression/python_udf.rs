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

impl Resolver<'_> {
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
        let Some(python) = &self.config.python else {
            return Err(ResolveError::unsupported(format!("Python UDFs (`{}`): this server runs without Python workers", f.name)));
        };
        let tz = self.config.time_zone.clone();
        let mut resolved = Vec::with_capacity(args.len());
        let mut call_args = Vec::with_capacity(args.len());
        let mut input_fields = Vec::with_capacity(args.len());
        let mut names = Vec::with_capacity(args.len());
        for (i, arg) in args.iter().enumerate() {
            let (keyword, value) = match arg {
                Expr::NamedArgument { name, value } => (Some(name.clone()), value.as_ref()),
                other => (None, other),
            };
            let r = self.resolve_expr(value, scope)?;
            let spark = self.spark_type(&r.expr, scope)?;
            let wire = canonical_arrow(&self.arrow_type(&r.expr, scope)?, &tz)?;
            let shown = self.python_argument_name(value, &r.name, scope)?;
            names.push(match &keyword {
                Some(k) => format!("{k} => {shown}"),
                None => shown,
            });
            input_fields.push(StructField::new(format!("_{i}"), spark, true));
            call_args.push((wire, keyword));
            // A grouped aggregate gets each group's values, gathered by
            // `array_agg` (NULLs kept, as pandas sees them).
            resolved.push(if grouped { array_agg(r.expr) } else { r.expr });
        }
        let input_type = spark_plan::schema_json::to_json_value(&DataType::Struct(input_fields)).to_string();
        let mut context = python.context.clone();
        if let Some(flag) = crate::cancel::current_flag() {
            context.cancel = flag;
        }
        let call = ScalarUdfCall {
            name: f.name.clone(),
            eval_type,
            python_ver: f.python_ver.clone(),
            command: f.command.clone(),
            args: call_args,
            input_type_json: input_type,
            return_type: to_arrow(&f.output_type, &tz)?,
            grouped,
        };
        let udf = Arc::new(ScalarUDF::new_from_impl(PythonScalarUdf::new(context, call)));
        let name = format!("{}({})", f.name, names.join(", "));
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
