//! Function calls, operators included: the dispatcher from a call to its
//! entry in the function table (`crate::functions`), and how an entry turns
//! resolved arguments into an expression.

use datafusion::arrow::datatypes::DataType as ArrowType;
use datafusion::logical_expr::expr::{AggregateFunction, ScalarFunction};
use datafusion::logical_expr::{Cast, Expr as DfExpr, WindowFunctionDefinition};
use spark_functions::FunctionKind;
use spark_plan::{Expr, SortOrder};

use super::ResolvedExpr;
use super::float_normalize::normalized_floats;
use crate::functions::{self, Call, Display, Function, Kind, Nullable};
use crate::resolver::Resolver;
use crate::{ResolveError, ResolveResult, ResolvedRelation};

/// A call as written: name, unresolved arguments and the aggregate clauses.
pub(crate) struct FunctionCall<'a> {
    pub name: &'a str,
    pub args: &'a [Expr],
    pub distinct: bool,
    pub filter: Option<&'a Expr>,
    pub within_group: &'a [SortOrder],
}

impl Resolver<'_> {
    /// Resolves a call outside a window (`OVER`).
    pub(crate) fn resolve_function(&mut self, call: &FunctionCall<'_>, scope: &ResolvedRelation) -> ResolveResult<ResolvedExpr> {
        let lower = call.name.to_ascii_lowercase();
        // Functions of `spark.udf.register` shadow built-in ones, as in Spark.
        if let Some(python) = self.registered_python_function(&lower) {
            return self.resolve_python_udf(&python, call.args, scope);
        }
        let Some(entry) = functions::lookup(&lower) else {
            // Built-in functions come first on Spark's search path, then the session's.
            return match self.sql_function(&lower)? {
                Some((f, shown)) => self.resolve_sql_function(&f, &shown, call.args, scope),
                None => Err(functions::unknown(call.name)),
            };
        };
        if entry.frame.is_window_only() {
            return Err(ResolveError::analysis(
                "WINDOW_FUNCTION_WITHOUT_OVER_CLAUSE",
                "42601",
                format!("Window function \"{lower}\" requires an OVER clause."),
                &[("funcName", format!("\"{lower}\""))],
            ));
        }
        if let Some(args) = super::named_arguments::builtin_arguments(&lower, call.args)? {
            return self.resolve_call(entry, &lower, &FunctionCall { args: &args, ..*call }, scope);
        }
        self.resolve_call(entry, &lower, call, scope)
    }

    /// Resolves a call by its entry: the WITHIN GROUP form, or the call,
    /// then `DISTINCT` and `FILTER (WHERE ...)`.
    pub(crate) fn resolve_call(&mut self, entry: &Function, lower: &str, call: &FunctionCall<'_>, scope: &ResolvedRelation) -> ResolveResult<ResolvedExpr> {
        if !call.within_group.is_empty() {
            let Some(within_group) = entry.within_group else {
                return Err(functions::ordered_set::not_within_group(lower));
            };
            return within_group(self, lower, call.args, call.distinct, call.within_group, scope);
        }
        let resolved = match entry.kind {
            Kind::Unresolved(build) => {
                entry.arity.check(lower, call.args.len())?;
                build(self, &functions::CallSite { name: lower, args: call.args, distinct: call.distinct }, scope)?
            }
            Kind::Generator => {
                let args = self.resolve_arguments(call.args, scope)?;
                let names: Vec<String> = args.into_iter().map(|a| a.name).collect();
                return Err(functions::generators::nested_generator(lower, &names));
            }
            Kind::Kernel(_) | Kind::Build(_) => {
                let args = self.expand_star_arguments(call.args, scope)?;
                let args = self.resolve_arguments(&args, scope)?;
                self.apply_function(entry, lower, args, call.distinct, scope)?
            }
        };
        let resolved = if call.distinct { with_distinct(resolved, scope.plan.schema())? } else { resolved };
        match call.filter {
            Some(condition) => self.with_filter(resolved, condition, scope),
            None => Ok(resolved),
        }
    }

    pub(crate) fn resolve_arguments(&mut self, args: &[Expr], scope: &ResolvedRelation) -> ResolveResult<Vec<ResolvedExpr>> {
        args.iter().map(|a| self.resolve_expr(a, scope)).collect()
    }

    /// `struct(*)`, `concat(t.*)`: a star argument stands for the columns.
    pub(crate) fn expand_star_arguments(&mut self, args: &[Expr], scope: &ResolvedRelation) -> ResolveResult<Vec<Expr>> {
        let mut expanded = Vec::with_capacity(args.len());
        for a in args {
            match a {
                Expr::Star { target, plan_id, except } if except.is_empty() => {
                    for item in self.expand_star(target.as_deref(), *plan_id, scope, &[])? {
                        let mut name = item.passthrough.map(|c| c.qualifier).unwrap_or_default();
                        name.push(item.name);
                        expanded.push(Expr::Column { name, plan_id: None });
                    }
                }
                other => expanded.push(other.clone()),
            }
        }
        Ok(expanded)
    }

    /// Applies an entry to resolved arguments: the argument count, the
    /// implicit casts, the expression, then its name and nullability.
    pub(crate) fn apply_function(
        &self,
        entry: &Function,
        lower: &str,
        args: Vec<ResolvedExpr>,
        distinct: bool,
        scope: &ResolvedRelation,
    ) -> ResolveResult<ResolvedExpr> {
        entry.arity.check(lower, args.len())?;
        let mut call = Call { name: lower, args: vec![], types: vec![], names: vec![], nullable: vec![], distinct, scope };
        // The call as Spark writes it, for the errors of arguments that cannot be cast.
        let arg_names: Vec<String> = args.iter().map(|a| a.name.clone()).collect();
        let sql = display_name(entry.display, lower, &arg_names, distinct);
        for (i, a) in args.into_iter().enumerate() {
            let want = entry.inputs.get(i).or(entry.inputs.last()).copied().unwrap_or(functions::In::Any);
            let t = self.arrow_type(&a.expr, scope)?;
            let nullable = self.is_nullable(&a, scope);
            let (e, cast_to) = self.implicit_cast(&sql, i, a.expr, &t, want, &a.name)?;
            // An implicit cast that can fail (a string read as a date or a
            // number, a decimal narrowed to an integer) makes the argument
            // nullable, as Spark's Cast reports.
            let cast_can_fail = t != cast_to
                && match (crate::types::from_arrow(&t), crate::types::from_arrow(&cast_to)) {
                    (Ok(from), Ok(to)) => super::force_nullable(&from, &to),
                    _ => functions::is_string(&t),
                };
            let (nullable, t) = (nullable || cast_can_fail, cast_to);
            call.args.push(e);
            call.types.push(t);
            call.names.push(a.name);
            call.nullable.push(nullable);
        }
        let built = match entry.kind {
            Kind::Build(build) => build(self, &call)?,
            Kind::Kernel(k) => functions::Built::new(self.call_kernel(k, &call)?),
            Kind::Unresolved(_) | Kind::Generator => return Err(ResolveError::invalid(format!("{lower} takes its arguments unresolved"))),
        };
        let name = built.name.unwrap_or_else(|| display_name(entry.display, lower, &call.names, distinct));
        let nullable = built.nullable.or(match entry.nullable {
            Nullable::AnyArgument => Some(call.any_nullable()),
            Nullable::Always => Some(true),
            Nullable::Never => Some(false),
            Nullable::Engine => None,
            Nullable::Rule(rule) => Some(rule(&call.nullable)),
        });
        Ok(ResolvedExpr { expr: built.expr, name, nullable })
    }

    /// A kernel called with the arguments as they are. Spark has no unsigned
    /// integers: counts and positions are BIGINT (sizes INT).
    fn call_kernel(&self, k: functions::Kernel, call: &Call<'_>) -> ResolveResult<DfExpr> {
        let expr = match functions::kernel_impl(k)? {
            FunctionKind::Scalar(f) => DfExpr::ScalarFunction(ScalarFunction::new_udf(f, call.args.clone())),
            FunctionKind::Aggregate(f) => DfExpr::AggregateFunction(AggregateFunction::new_udf(f, call.args.clone(), call.distinct, None, vec![], None)),
            FunctionKind::Window(f) => DfExpr::WindowFunction(Box::new(datafusion::logical_expr::expr::WindowFunction::new(
                WindowFunctionDefinition::WindowUDF(f),
                call.args.clone(),
            ))),
        };
        let signed = match self.arrow_type(&expr, call.scope)? {
            ArrowType::UInt64 | ArrowType::UInt32 if matches!(call.name, "cardinality" | "size" | "array_size") => Some(ArrowType::Int32),
            ArrowType::UInt64 | ArrowType::UInt32 => Some(ArrowType::Int64),
            ArrowType::UInt8 | ArrowType::UInt16 => Some(ArrowType::Int32),
            _ => None,
        };
        Ok(match signed {
            Some(t) => DfExpr::Cast(Cast::new(Box::new(expr), t)),
            None => expr,
        })
    }

    /// `agg(...) FILTER (WHERE condition)`.
    fn with_filter(&mut self, agg: ResolvedExpr, condition: &Expr, scope: &ResolvedRelation) -> ResolveResult<ResolvedExpr> {
        let c = self.resolve_expr(condition, scope)?;
        match agg.expr {
            DfExpr::AggregateFunction(mut f) => {
                f.params.filter = Some(Box::new(c.expr));
                Ok(ResolvedExpr { expr: DfExpr::AggregateFunction(f), name: format!("{} FILTER (WHERE {})", agg.name, c.name), nullable: agg.nullable })
            }
            _ => Err(ResolveError::analysis(
                "INVALID_SQL_SYNTAX.FUNCTION_WITH_UNSUPPORTED_SYNTAX",
                "42000",
                "FILTER is only allowed on aggregate functions.",
                &[],
            )),
        }
    }
}

/// `f(DISTINCT ...)` of an aggregate: every aggregate the entry built
/// (`avg` of a decimal is a `sum` over a `count`) over the distinct rows of
/// its arguments, and `DISTINCT` in the name when the entry did not print it.
fn with_distinct(r: ResolvedExpr, schema: &datafusion::common::DFSchema) -> ResolveResult<ResolvedExpr> {
    use datafusion::common::tree_node::{Transformed, TreeNode};
    let transformed = r.expr.transform_up(|e| match e {
        DfExpr::AggregateFunction(mut f) => {
            f.params.args = f.params.args.into_iter().map(|a| normalized_floats(a, schema)).collect();
            Ok(Transformed::yes(distinct_aggregate(f)))
        }
        e => Ok(Transformed::no(e)),
    })?;
    if !transformed.transformed {
        return Ok(ResolvedExpr { expr: transformed.data, ..r });
    }
    let name = match r.name.split_once('(') {
        Some((head, rest)) if !rest.starts_with("DISTINCT ") => format!("{head}(DISTINCT {rest}"),
        _ => r.name,
    };
    Ok(ResolvedExpr { expr: transformed.data, name, nullable: r.nullable })
}

/// Whether `func` is one of DataFusion's aggregates that implement
/// `DISTINCT` themselves (or that duplicates cannot change). Any other
/// aggregate, ours included whatever its name, is wrapped to see each
/// distinct row of its arguments once.
fn natively_distinct(func: &datafusion::logical_expr::AggregateUDF) -> bool {
    use datafusion::functions_aggregate::{
        approx_distinct, array_agg, average, bit_and_or_xor, bool_and_or, count, first_last, median, min_max, sum, variance,
    };
    [
        count::count_udaf(),
        sum::sum_udaf(),
        average::avg_udaf(),
        min_max::min_udaf(),
        min_max::max_udaf(),
        array_agg::array_agg_udaf(),
        median::median_udaf(),
        variance::var_samp_udaf(),
        variance::var_pop_udaf(),
        bit_and_or_xor::bit_and_udaf(),
        bit_and_or_xor::bit_or_udaf(),
        bit_and_or_xor::bit_xor_udaf(),
        bool_and_or::bool_and_udaf(),
        bool_and_or::bool_or_udaf(),
        approx_distinct::approx_distinct_udaf(),
        first_last::first_value_udaf(),
        first_last::last_value_udaf(),
    ]
    .iter()
    .any(|native| **native == *func)
}

fn distinct_aggregate(mut f: AggregateFunction) -> DfExpr {
    if f.func.name() == "string_agg" {
        f.params.distinct = true;
        return functions::ordered_set::distinct_string_agg(f.clone()).unwrap_or(DfExpr::AggregateFunction(f));
    }
    if natively_distinct(&f.func) {
        f.params.distinct = true;
    } else {
        f.func = spark_functions::distinct::DistinctOf::udaf(f.func);
        f.params.distinct = false;
    }
    DfExpr::AggregateFunction(f)
}

/// A call's name as Spark writes it.
fn display_name(display: Display, function: &str, args: &[String], distinct: bool) -> String {
    match (display, distinct) {
        (Display::Call, true) => format!("{function}(DISTINCT {})", args.join(", ")),
        (display, _) => display.render(function, args),
    }
}
