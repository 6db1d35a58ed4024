//! What a builder sees ([`Call`]) and returns ([`Built`]), and the small
//! helpers builders share.

use std::sync::Arc;

use datafusion::arrow::datatypes::DataType as ArrowType;
use datafusion::common::ScalarValue;
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::{Cast, Expr as DfExpr, ScalarUDF};

use crate::{ResolveError, ResolveResult, ResolvedRelation};

/// One call, its arguments resolved and cast to the entry's input types.
pub(crate) struct Call<'a> {
    /// The name as called, in lower case.
    pub name: &'a str,
    pub args: Vec<DfExpr>,
    pub types: Vec<ArrowType>,
    /// Each argument as Spark prints it.
    pub names: Vec<String>,
    /// Whether each argument can be NULL (after its cast).
    pub nullable: Vec<bool>,
    /// `f(DISTINCT ...)`.
    pub distinct: bool,
    pub scope: &'a ResolvedRelation,
}

impl Call<'_> {
    pub fn arg(&self, i: usize) -> ResolveResult<DfExpr> {
        self.args
            .get(i)
            .cloned()
            .ok_or_else(|| super::wrong_args(self.name, self.args.len(), &(i + 1).to_string()))
    }

    /// The value of argument `i` when it is a string literal.
    pub fn str_literal(&self, i: usize) -> Option<&str> {
        match self.args.get(i) {
            Some(DfExpr::Literal(ScalarValue::Utf8(Some(s)), _)) => Some(s.as_str()),
            _ => None,
        }
    }

    /// The value of argument `i` when it is constant (folded without any
    /// input row), as Spark's "foldable" arguments.
    pub fn constant(&self, i: usize) -> Option<ScalarValue> {
        constant_value(self.args.get(i)?)
    }

    /// The default column name, `name(a, b)`.
    pub fn default_name(&self) -> String {
        format!("{}({})", self.name, self.names.join(", "))
    }

    /// Whether any argument can be NULL.
    pub fn any_nullable(&self) -> bool {
        self.nullable.iter().any(|n| *n)
    }
}

/// The value of an expression that needs no input row (Spark's "foldable"
/// arguments), folded as the optimizer would.
pub(crate) fn constant_value(e: &DfExpr) -> Option<ScalarValue> {
    if let DfExpr::Literal(v, _) = e {
        return Some(v.clone());
    }
    let schema = Arc::new(datafusion::common::DFSchema::empty());
    let context = datafusion::logical_expr::simplify::SimplifyContext::builder().with_schema(schema).build();
    match datafusion::optimizer::simplify_expressions::ExprSimplifier::new(context).simplify(e.clone()) {
        Ok(DfExpr::Literal(v, _)) => Some(v),
        _ => None,
    }
}

/// What a builder produces: the expression, and where this call differs
/// from the entry, its name and nullability.
pub(crate) struct Built {
    pub expr: DfExpr,
    pub name: Option<String>,
    pub nullable: Option<bool>,
}

impl Built {
    pub fn new(expr: DfExpr) -> Self {
        Self { expr, name: None, nullable: None }
    }

    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    pub fn nullable(mut self, nullable: bool) -> Self {
        self.nullable = Some(nullable);
        self
    }
}

/// The arguments with Spark's defaults appended, and the name they give.
pub(crate) fn with_defaults(c: &Call<'_>, defaults: &[(DfExpr, &str)]) -> (Vec<DfExpr>, String) {
    let mut args = c.args.clone();
    let mut names = c.names.clone();
    let first = super::lookup(c.name)
        .map(|f| f.arity.minimum())
        .unwrap_or(c.args.len().saturating_sub(defaults.len()));
    for (i, (e, shown)) in defaults.iter().enumerate() {
        if first + i >= c.args.len() {
            args.push(e.clone());
            names.push((*shown).to_string());
        }
    }
    (args, format!("{}({})", c.name, names.join(", ")))
}

/// A call of the registry function `target` with Spark's defaults appended.
pub(crate) fn delegate_defaults(c: &Call<'_>, target: &str, defaults: &[(DfExpr, &str)]) -> ResolveResult<Built> {
    let (args, name) = with_defaults(c, defaults);
    Ok(Built::new(call_udf(registry_udf(target)?, args)).named(name))
}

pub(crate) fn cast(e: DfExpr, t: ArrowType) -> DfExpr {
    DfExpr::Cast(Cast::new(Box::new(e), t))
}

pub(crate) fn try_cast(e: DfExpr, t: ArrowType) -> DfExpr {
    DfExpr::TryCast(datafusion::logical_expr::TryCast::new(Box::new(e), t))
}

pub(crate) fn call_udf(f: Arc<ScalarUDF>, args: Vec<DfExpr>) -> DfExpr {
    DfExpr::ScalarFunction(ScalarFunction::new_udf(f, args))
}

/// A scalar implementation of the kernel registry (DataFusion's,
/// `datafusion-spark`'s or ours) by its own name.
pub(crate) fn registry_udf(name: &str) -> ResolveResult<Arc<ScalarUDF>> {
    match spark_functions::FunctionRegistry::global().get(name) {
        Some(spark_functions::FunctionKind::Scalar(f)) => Ok(f.clone()),
        _ => Err(ResolveError::unresolved_routine(name)),
    }
}
