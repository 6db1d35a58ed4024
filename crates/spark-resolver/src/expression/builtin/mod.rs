//! Spark built-in functions that are compositions of DataFusion expressions
//! or need Spark's implicit input casts, keyed by Spark name.
//!
//! Each entry declares the input types Spark's `ImplicitCastInputTypes`
//! would cast its arguments to, and a builder that turns the cast arguments
//! into a DataFusion expression. The generated column name is Spark's
//! default `name(arg, ...)` unless the builder gives another.

mod aggregate;
mod collection;
mod datetime;
mod external_formats;
mod json;
mod math;
mod misc;
mod string;
mod sketch;
mod time_type;
mod vector;

pub(crate) use time_type::unsupported_time_type;

use std::collections::HashMap;
use std::sync::LazyLock;

use datafusion::arrow::datatypes::{DataType as ArrowType, TimeUnit};
use datafusion::logical_expr::expr::ScalarFunction;
use datafusion::logical_expr::{Cast, Expr as DfExpr, ScalarUDF};
use spark_plan::Expr;

use crate::resolver::Resolver;
use crate::{ResolveError, ResolveResult};

/// The type an argument is implicitly cast to before the function sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum In {
    /// Taken as it is.
    Any,
    Date,
    /// `TIMESTAMP` in the session time zone (dates and strings are cast).
    Timestamp,
    /// Any timestamp as it is (`TIMESTAMP_NTZ` stays); strings and dates
    /// become session-zone timestamps.
    AnyTimestamp,
    String,
    Int,
    Long,
    Double,
    Boolean,
}

/// One resolved call, its arguments already cast to the declared types.
pub(crate) struct Call<'a> {
    pub name: &'a str,
    pub args: Vec<DfExpr>,
    pub types: Vec<ArrowType>,
    pub names: Vec<String>,
    pub nullable: Vec<bool>,
    pub scope: &'a crate::ResolvedRelation,
}

impl Call<'_> {
    pub fn arg(&self, i: usize) -> ResolveResult<DfExpr> {
        self.args
            .get(i)
            .cloned()
            .ok_or_else(|| super::function::wrong_args(self.name, self.args.len(), &(i + 1).to_string()))
    }

    /// The value of argument `i` when it is a string literal.
    pub fn str_literal(&self, i: usize) -> Option<&str> {
        match self.args.get(i) {
            Some(DfExpr::Literal(datafusion::common::ScalarValue::Utf8(Some(s)), _)) => Some(s.as_str()),
            _ => None,
        }
    }

    /// The value of argument `i` when it is constant (folded without any
    /// input row), as Spark's "foldable" arguments.
    pub fn constant(&self, i: usize) -> Option<datafusion::common::ScalarValue> {
        constant_value(self.args.get(i)?)
    }

    /// The default column name, `name(a, b)`.
    pub fn default_name(&self) -> String {
        format!("{}({})", self.name, self.names.join(", "))
    }
}

/// The value of an expression that needs no input row (Spark's "foldable"
/// arguments), folded as the optimizer would.
pub(crate) fn constant_value(e: &DfExpr) -> Option<datafusion::common::ScalarValue> {
    if let DfExpr::Literal(v, _) = e {
        return Some(v.clone());
    }
    let schema = std::sync::Arc::new(datafusion::common::DFSchema::empty());
    let context = datafusion::logical_expr::simplify::SimplifyContext::builder().with_schema(schema).build();
    match datafusion::optimizer::simplify_expressions::ExprSimplifier::new(context).simplify(e.clone()) {
        Ok(DfExpr::Literal(v, _)) => Some(v),
        _ => None,
    }
}

/// What a builder produces.
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

pub(crate) type Builder = fn(&Resolver<'_>, &Call<'_>) -> ResolveResult<Built>;

/// A Spark function: accepted argument counts, input types, builder.
pub(crate) struct Builtin {
    pub arity: Arity,
    /// Input types by position; the last one repeats for variadic calls.
    pub inputs: &'static [In],
    pub build: Builder,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Arity {
    Exactly(usize),
    Range(usize, usize),
    AtLeast(usize),
}

impl Arity {
    fn accepts(self, n: usize) -> bool {
        match self {
            Arity::Exactly(k) => n == k,
            Arity::Range(a, b) => (a..=b).contains(&n),
            Arity::AtLeast(a) => n >= a,
        }
    }

    fn describe(self) -> String {
        match self {
            Arity::Exactly(k) => k.to_string(),
            Arity::Range(a, b) if b == a + 1 => format!("[{a}, {b}]"),
            Arity::Range(a, b) => format!("[{}]", (a..=b).map(|n| n.to_string()).collect::<Vec<_>>().join(", ")),
            Arity::AtLeast(a) => format!("> {}", a.saturating_sub(1)),
        }
    }
}

pub(crate) type Table = Vec<(&'static str, Builtin)>;

/// The arguments with Spark's defaults appended, and the name they give.
pub(crate) fn with_defaults(c: &Call<'_>, defaults: &[(DfExpr, &str)]) -> (Vec<DfExpr>, String) {
    let mut args = c.args.clone();
    let mut names = c.names.clone();
    let first = required(c, defaults);
    for (i, (e, shown)) in defaults.iter().enumerate() {
        if first + i >= c.args.len() {
            args.push(e.clone());
            names.push((*shown).to_string());
        }
    }
    (args, format!("{}({})", c.name, names.join(", ")))
}

/// How many leading arguments have no default (the minimum arity).
pub(crate) fn required(c: &Call<'_>, defaults: &[(DfExpr, &str)]) -> usize {
    lookup(c.name)
        .map(|b| match b.arity {
            Arity::Exactly(n) | Arity::AtLeast(n) => n,
            Arity::Range(a, _) => a,
        })
        .unwrap_or(c.args.len().saturating_sub(defaults.len()))
}

pub(crate) fn delegate_defaults(c: &Call<'_>, target: &str, defaults: &[(DfExpr, &str)]) -> ResolveResult<Built> {
    let (args, name) = with_defaults(c, defaults);
    Ok(Built::new(call_udf(registry_udf(target)?, args)).named(name))
}

/// One table entry.
pub(crate) fn f(arity: Arity, inputs: &'static [In], build: Builder) -> Builtin {
    Builtin { arity, inputs, build }
}

static BUILTINS: LazyLock<HashMap<&'static str, Builtin>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for table in [json::functions(), collection::functions(), datetime::functions(), math::functions(), string::functions(), misc::functions(), aggregate::functions(), time_type::functions(), external_formats::functions(), vector::functions(), sketch::functions()] {
        for (name, b) in table {
            m.insert(name, b);
        }
    }
    m
});

pub(crate) fn lookup(name: &str) -> Option<&'static Builtin> {
    BUILTINS.get(name)
}

pub(crate) fn check_arity(b: &Builtin, name: &str, n: usize) -> ResolveResult<()> {
    if b.arity.accepts(n) { Ok(()) } else { Err(super::function::wrong_args(name, n, &b.arity.describe())) }
}

pub(crate) fn cast(e: DfExpr, t: ArrowType) -> DfExpr {
    DfExpr::Cast(Cast::new(Box::new(e), t))
}

pub(crate) fn try_cast(e: DfExpr, t: ArrowType) -> DfExpr {
    DfExpr::TryCast(datafusion::logical_expr::TryCast::new(Box::new(e), t))
}

pub(crate) fn call_udf(f: std::sync::Arc<ScalarUDF>, args: Vec<DfExpr>) -> DfExpr {
    DfExpr::ScalarFunction(ScalarFunction::new_udf(f, args))
}

/// A function of the registry (DataFusion, datafusion-spark or ours) by name.
pub(crate) fn registry_udf(name: &str) -> ResolveResult<std::sync::Arc<ScalarUDF>> {
    match spark_functions::FunctionRegistry::global().get(name) {
        Some(spark_functions::FunctionKind::Scalar(f)) => Ok(f.clone()),
        _ => Err(ResolveError::unresolved_routine(name)),
    }
}

pub(crate) fn is_string(t: &ArrowType) -> bool {
    matches!(t, ArrowType::Utf8 | ArrowType::LargeUtf8 | ArrowType::Utf8View)
}

pub(crate) fn is_numeric(t: &ArrowType) -> bool {
    t.is_numeric()
}

impl Resolver<'_> {
    pub(crate) fn session_timestamp(&self) -> ArrowType {
        ArrowType::Timestamp(TimeUnit::Microsecond, Some(self.config.time_zone.clone().into()))
    }

    /// Casts `e` of type `t` to the declared input type, as Spark's implicit
    /// casts do, or reports Spark's DATATYPE_MISMATCH.
    pub(crate) fn implicit_cast(&self, function: &str, pos: usize, e: DfExpr, t: &ArrowType, want: In, shown: &str) -> ResolveResult<(DfExpr, ArrowType)> {
        let target = match want {
            In::Any => return Ok((e, t.clone())),
            In::Date => ArrowType::Date32,
            In::Timestamp => self.session_timestamp(),
            In::AnyTimestamp if matches!(t, ArrowType::Timestamp(..)) => return Ok((e, t.clone())),
            In::AnyTimestamp => self.session_timestamp(),
            In::String => ArrowType::Utf8,
            In::Int => ArrowType::Int32,
            In::Long => ArrowType::Int64,
            In::Double => ArrowType::Float64,
            In::Boolean => ArrowType::Boolean,
        };
        if t == &target {
            return Ok((e, target));
        }
        let ok = t.is_null()
            || match want {
                In::Any => true,
                In::Date => is_string(t) || matches!(t, ArrowType::Timestamp(..)),
                In::Timestamp | In::AnyTimestamp => is_string(t) || matches!(t, ArrowType::Date32 | ArrowType::Timestamp(..)),
                In::String => is_numeric(t) || matches!(t, ArrowType::Date32 | ArrowType::Timestamp(..) | ArrowType::Boolean | ArrowType::Binary),
                In::Int | In::Long | In::Double => is_numeric(t) || is_string(t),
                In::Boolean => is_string(t),
            };
        if !ok {
            return Err(type_mismatch(function, pos, shown, t, want));
        }
        Ok((self.spark_cast(e, t, &target), target))
    }

    /// A cast with Spark's meaning where Arrow's differs: between wall-clock
    /// times (`TIMESTAMP_NTZ`, `DATE`) and instants (`TIMESTAMP`), Spark moves
    /// through the session time zone; Arrow keeps the stored value.
    pub(crate) fn spark_cast(&self, e: DfExpr, from: &ArrowType, to: &ArrowType) -> DfExpr {
        use spark_functions::time_zone::{Direction, SparkZoneShift};
        let zone = self.config.time_zone.clone();
        let ntz = ArrowType::Timestamp(TimeUnit::Microsecond, None);
        match (from, to) {
            (ArrowType::Timestamp(_, None), ArrowType::Timestamp(_, Some(out))) => {
                call_udf(SparkZoneShift::udf(Direction::WallToInstant, &zone, out), vec![e])
            }
            (ArrowType::Date32, ArrowType::Timestamp(_, Some(out))) => {
                call_udf(SparkZoneShift::udf(Direction::WallToInstant, &zone, out), vec![cast(e, ntz)])
            }
            (ArrowType::Timestamp(_, Some(_)), ArrowType::Timestamp(_, None)) => {
                call_udf(SparkZoneShift::udf(Direction::InstantToWall, &zone, ""), vec![e])
            }
            (ArrowType::Timestamp(_, Some(_)), ArrowType::Date32) => {
                cast(call_udf(SparkZoneShift::udf(Direction::InstantToWall, &zone, ""), vec![e]), ArrowType::Date32)
            }
            (ArrowType::Timestamp(..), _) => self.timestamp_to_string(&e, from, to).unwrap_or_else(|| cast(e, to.clone())),
            _ => cast(e, to.clone()),
        }
    }
}

fn in_sql(want: In) -> &'static str {
    match want {
        In::Any => "ANY",
        In::Date => "\"DATE\"",
        In::Timestamp | In::AnyTimestamp => "\"TIMESTAMP\"",
        In::String => "\"STRING\"",
        In::Int => "\"INT\"",
        In::Long => "\"BIGINT\"",
        In::Double => "\"DOUBLE\"",
        In::Boolean => "\"BOOLEAN\"",
    }
}

pub(crate) fn type_mismatch(function: &str, pos: usize, shown: &str, t: &ArrowType, want: In) -> ResolveError {
    type_mismatch_sql(function, pos, shown, t, in_sql(want))
}

/// Spark's `DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE` for argument `pos`
/// (from 0), which requires the type written `required` (`"ARRAY<FLOAT>"`).
pub(crate) fn type_mismatch_sql(function: &str, pos: usize, shown: &str, t: &ArrowType, required: &str) -> ResolveError {
    let actual = crate::types::from_arrow(t).map(|d| d.sql()).unwrap_or_else(|_| format!("{t}"));
    let ordinal = ordinal(pos + 1);
    ResolveError::analysis(
        "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
        "42K09",
        format!(
            "Cannot resolve \"{function}\" due to data type mismatch: The {ordinal} parameter requires the {required} type, however \"{shown}\" has the type \"{actual}\".",
        ),
        &[
            ("sqlExpr", format!("\"{function}\"")),
            ("paramIndex", ordinal.clone()),
            ("inputSql", format!("\"{shown}\"")),
            ("inputType", format!("\"{actual}\"")),
            ("requiredType", required.to_string()),
        ],
    )
}

fn ordinal(n: usize) -> String {
    match n {
        1 => "first".into(),
        2 => "second".into(),
        3 => "third".into(),
        4 => "fourth".into(),
        5 => "fifth".into(),
        n => format!("{n}th"),
    }
}

impl Resolver<'_> {
    /// Resolves a call of a builtin: checks the argument count, applies the
    /// implicit casts, builds the expression.
    pub(crate) fn resolve_builtin(
        &self,
        b: &Builtin,
        lower: &str,
        raw: &[Expr],
        resolved: Vec<super::ResolvedExpr>,
        nullable: Vec<bool>,
        scope: &crate::ResolvedRelation,
    ) -> ResolveResult<super::ResolvedExpr> {
        check_arity(b, lower, resolved.len())?;
        let mut args = Vec::with_capacity(resolved.len());
        let mut types = Vec::with_capacity(resolved.len());
        let mut names = Vec::with_capacity(resolved.len());
        let mut nullable = nullable;
        for (i, r) in resolved.into_iter().enumerate() {
            let want = b.inputs.get(i).or(b.inputs.last()).copied().unwrap_or(In::Any);
            let t = self.arrow_type(&r.expr, scope)?;
            // A string cast to a date, timestamp or number can fail: NULL then.
            if is_string(&t) && !matches!(want, In::Any | In::String) {
                if let Some(n) = nullable.get_mut(i) {
                    *n = true;
                }
            }
            let shown = r.name.clone();
            let (e, t) = self.implicit_cast(lower, i, r.expr, &t, want, &shown)?;
            args.push(e);
            types.push(t);
            names.push(r.name);
        }
        let _ = raw;
        let call = Call { name: lower, args, types, names, nullable, scope };
        let built = (b.build)(self, &call)?;
        let any_nullable = call.nullable.iter().any(|n| *n);
        let name = built.name.unwrap_or_else(|| call.default_name());
        Ok(super::ResolvedExpr { expr: built.expr, name, nullable: Some(built.nullable.unwrap_or(any_nullable)) })
    }
}
