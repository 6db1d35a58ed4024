//! The function table: one entry per Spark function name (aliases are
//! entries of their own), holding everything the resolver knows about it.
//!
//! An entry ([`Function`]) says
//! - which argument counts Spark accepts ([`Arity`]), checked first with
//!   Spark's `WRONG_NUM_ARGS`;
//! - the implicit cast of each argument ([`In`], Spark's
//!   `ImplicitCastInputTypes`), with Spark's `DATATYPE_MISMATCH` when an
//!   argument cannot be cast;
//! - what the call becomes ([`Kind`]): an implementation called as it is
//!   (DataFusion's, `datafusion-spark`'s or ours, see [`Kernel`]), our own
//!   composition of expressions (a [`Builder`]), a generator, or a builder
//!   that takes its arguments unresolved (lambdas, field names);
//! - its result nullability ([`Nullable`]) and how Spark prints the call in
//!   a generated column name ([`Display`]); a builder may refine both for one
//!   call (`round(x)` is printed `round(x, 0)`);
//! - for ordered-set aggregates, the `WITHIN GROUP (ORDER BY ...)` form.
//!
//! The result type is the type of the expression the entry builds.
//! Operators (`+`, `=`, `and`, `||`, ...) are entries like any other, in
//! `operators.rs`. Only names a Spark user can write are in the table; a
//! Spark function that is missing answers with UNSUPPORTED_FEATURE naming it.
//!
//! Adding a function: add one row to the family file it belongs to (and its
//! kernel to `spark-functions` when neither DataFusion nor
//! `datafusion-spark` computes it as Spark does).

pub(crate) mod aggregate;
mod call;
mod collection;
mod conditional;
mod csv;
mod datetime;
mod external_formats;
mod xml;
pub(crate) mod generators;
mod higher_order;
mod implicit_cast;
mod integral_decimal_comparison;
pub(crate) mod interval_math;
mod json;
mod math;
mod misc;
mod operators;
pub(crate) mod ordered_set;
mod approx_top_k;
mod sketch;
mod string;
mod time_type;
mod spatial;
mod variant;
mod vector;
pub(crate) mod window;

pub(crate) use call::{Built, Call, call_udf, cast, constant_value, delegate_defaults, registry_udf, try_cast, with_defaults};
pub(crate) use implicit_cast::{In, is_string, type_mismatch, type_mismatch_sql};
pub(crate) use time_type::unsupported_time_type;
pub(crate) use window::DefaultFrame;

use std::collections::HashMap;
use std::sync::LazyLock;

use spark_plan::Expr;

use crate::expression::ResolvedExpr;
use crate::resolver::Resolver;
use crate::{ResolveError, ResolveResult, ResolvedRelation};

/// Builds the expression of a call from its arguments, already resolved and
/// cast to the entry's input types.
pub(crate) type Builder = fn(&Resolver<'_>, &Call<'_>) -> ResolveResult<Built>;

/// A call whose entry takes its arguments unresolved, as written.
pub(crate) struct CallSite<'a> {
    /// The name as called, in lower case.
    pub name: &'a str,
    pub args: &'a [Expr],
    pub distinct: bool,
}

/// Builds the expression of a call from its unresolved arguments (lambdas,
/// `extract`'s field name, `count(*)`, ...).
pub(crate) type UnresolvedBuilder = fn(&mut Resolver<'_>, &CallSite<'_>, &ResolvedRelation) -> ResolveResult<ResolvedExpr>;

/// Resolves `f(args) WITHIN GROUP (ORDER BY ...)`.
pub(crate) type WithinGroup =
    fn(&mut Resolver<'_>, &str, &[Expr], bool, &[spark_plan::SortOrder], &ResolvedRelation) -> ResolveResult<ResolvedExpr>;

/// Where an implementation called as it is comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// DataFusion's built-in function of that name.
    DataFusion,
    /// `datafusion-spark`'s function of that name.
    DataFusionSpark,
}

/// An implementation whose semantics already are Spark's, called with the
/// (cast) arguments as they are.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Kernel {
    pub source: Source,
    pub name: &'static str,
}

#[derive(Clone, Copy)]
pub(crate) enum Kind {
    Kernel(Kernel),
    Build(Builder),
    Unresolved(UnresolvedBuilder),
    /// Produces rows, not a value (`explode`, `inline`, `stack`, ...): valid
    /// at the top of a select item, where `query/generate.rs` applies it.
    Generator,
}

/// Whether the result can be NULL, as Spark's `nullable` says.
#[derive(Clone, Copy)]
pub(crate) enum Nullable {
    /// Spark's default: NULL when an argument is (null-intolerant functions).
    AnyArgument,
    /// NULL even for non-NULL arguments (`sqrt(-1)`, `element_at`, ...).
    Always,
    Never,
    /// What DataFusion derives (aggregates and window functions).
    Engine,
    /// A rule over the arguments' nullability.
    Rule(fn(&[bool]) -> bool),
}

/// How Spark prints a call in a generated column name.
#[derive(Clone, Copy)]
pub(crate) enum Display {
    /// `name(a, b)`, with the name as the caller wrote it (lower case).
    Call,
    /// `NAME(a, b)`: Spark's `UnaryMathExpression` and friends print their
    /// name in capitals.
    Upper,
    /// `(a op b)`.
    Infix(&'static str),
    /// Any other form, from the argument names.
    Rule(fn(&str, &[String]) -> String),
}

impl Display {
    pub(crate) fn render(self, name: &str, args: &[String]) -> String {
        match self {
            Display::Call => format!("{name}({})", args.join(", ")),
            Display::Upper => format!("{}({})", name.to_uppercase(), args.join(", ")),
            Display::Infix(op) => match args {
                [l, r] => format!("({l} {op} {r})"),
                _ => format!("{name}({})", args.join(", ")),
            },
            Display::Rule(f) => f(name, args),
        }
    }
}

/// Everything about one Spark function.
#[derive(Clone, Copy)]
pub(crate) struct Function {
    pub arity: Arity,
    /// The implicit cast of each argument by position; the last one repeats
    /// for variadic calls. Empty means every argument is taken as it is.
    pub inputs: &'static [In],
    pub kind: Kind,
    pub nullable: Nullable,
    pub display: Display,
    /// `f(...) WITHIN GROUP (ORDER BY ...)`, for ordered-set aggregates.
    pub within_group: Option<WithinGroup>,
    /// Over a window without an explicit frame (ranking and offset
    /// functions have their own).
    pub frame: DefaultFrame,
}

impl Function {
    pub fn nullable(mut self, rule: Nullable) -> Self {
        self.nullable = rule;
        self
    }

    pub fn display(mut self, display: Display) -> Self {
        self.display = display;
        self
    }

    pub fn within_group(mut self, f: WithinGroup) -> Self {
        self.within_group = Some(f);
        self
    }

    pub fn frame(mut self, frame: DefaultFrame) -> Self {
        self.frame = frame;
        self
    }

    pub fn is_generator(&self) -> bool {
        matches!(self.kind, Kind::Generator)
    }
}

fn entry(arity: Arity, inputs: &'static [In], kind: Kind) -> Function {
    Function {
        arity,
        inputs,
        kind,
        nullable: Nullable::AnyArgument,
        display: Display::Call,
        within_group: None,
        frame: DefaultFrame::Aggregate,
    }
}

/// An entry built by our own composition.
pub(crate) fn f(arity: Arity, inputs: &'static [In], build: Builder) -> Function {
    entry(arity, inputs, Kind::Build(build))
}

/// An entry that is DataFusion's function `name`.
pub(crate) fn datafusion(arity: Arity, inputs: &'static [In], name: &'static str) -> Function {
    entry(arity, inputs, Kind::Kernel(Kernel { source: Source::DataFusion, name }))
}

/// An entry that is `datafusion-spark`'s function `name`.
pub(crate) fn datafusion_spark(arity: Arity, inputs: &'static [In], name: &'static str) -> Function {
    entry(arity, inputs, Kind::Kernel(Kernel { source: Source::DataFusionSpark, name }))
}

/// An aggregate that is DataFusion's `name` (its nullability is DataFusion's).
pub(crate) fn datafusion_aggregate(arity: Arity, inputs: &'static [In], name: &'static str) -> Function {
    datafusion(arity, inputs, name).nullable(Nullable::Engine)
}

/// An aggregate that is `datafusion-spark`'s `name`.
pub(crate) fn datafusion_spark_aggregate(arity: Arity, inputs: &'static [In], name: &'static str) -> Function {
    datafusion_spark(arity, inputs, name).nullable(Nullable::Engine)
}

/// An entry that takes its arguments unresolved.
pub(crate) fn unresolved(arity: Arity, build: UnresolvedBuilder) -> Function {
    entry(arity, &[], Kind::Unresolved(build))
}

/// A generator (see [`Kind::Generator`]).
pub(crate) fn generator(arity: Arity) -> Function {
    entry(arity, &[], Kind::Generator)
}

/// Accepted argument counts.
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

    /// The fewest arguments a call may have.
    pub fn minimum(self) -> usize {
        match self {
            Arity::Exactly(n) | Arity::AtLeast(n) | Arity::Range(n, _) => n,
        }
    }

    /// Spark's text for the expected count in WRONG_NUM_ARGS.
    fn describe(self) -> String {
        match self {
            Arity::Exactly(k) => k.to_string(),
            Arity::Range(a, b) if b == a + 1 => format!("[{a}, {b}]"),
            Arity::Range(a, b) => format!("[{}]", (a..=b).map(|n| n.to_string()).collect::<Vec<_>>().join(", ")),
            Arity::AtLeast(a) => format!("> {}", a.saturating_sub(1)),
        }
    }

    pub fn check(self, name: &str, n: usize) -> ResolveResult<()> {
        if self.accepts(n) { Ok(()) } else { Err(wrong_args(name, n, &self.describe())) }
    }
}

/// Where Spark's messages send readers for the built-in functions.
const SPARK_DOCS: &str = "https://spark.apache.org/docs/latest";
const FUNCTIONS_DOCS: &str = "https://spark.apache.org/docs/latest/sql-ref-functions.html";

/// Spark's `WRONG_NUM_ARGS.WITHOUT_SUGGESTION`.
pub(crate) fn wrong_args(name: &str, got: usize, expected: &str) -> ResolveError {
    ResolveError::analysis(
        "WRONG_NUM_ARGS.WITHOUT_SUGGESTION",
        "42605",
        format!("The `{name}` requires {expected} parameters but the actual number is {got}. Please, refer to '{FUNCTIONS_DOCS}' for a fix."),
        &[("functionName", format!("`{name}`")), ("expectedNum", expected.to_string()), ("actualNum", got.to_string()), ("docroot", SPARK_DOCS.to_string())],
    )
}

/// One family's rows.
pub(crate) type Table = Vec<(&'static str, Function)>;

fn families() -> [Table; 21] {
    [
        operators::functions(),
        conditional::functions(),
        math::functions(),
        string::functions(),
        datetime::functions(),
        collection::functions(),
        json::functions(),
        csv::functions(),
        aggregate::functions(),
        window::functions(),
        higher_order::functions(),
        generators::functions(),
        misc::functions(),
        sketch::functions(),
        approx_top_k::functions(),
        vector::functions(),
        time_type::functions(),
        external_formats::functions(),
        xml::functions(),
        variant::functions(),
        spatial::functions(),
    ]
}

static FUNCTIONS: LazyLock<HashMap<&'static str, Function>> = LazyLock::new(|| {
    let mut table = HashMap::new();
    for family in families() {
        for (name, function) in family {
            table.insert(name, function);
        }
    }
    table
});

/// The entry of a Spark function, by its lower-case name.
pub(crate) fn lookup(lower: &str) -> Option<&'static Function> {
    FUNCTIONS.get(lower)
}

/// Every name in the table, sorted.
#[cfg(test)]
pub(crate) fn names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = FUNCTIONS.keys().copied().collect();
    names.sort_unstable();
    names
}

/// The error for a name that is not in the table: Spark's function this
/// server lacks, or a name Spark does not know either.
pub(crate) fn unknown(name: &str) -> ResolveError {
    let lower = name.to_ascii_lowercase();
    if spark_functions::catalog::is_spark_function(&lower) {
        ResolveError::unsupported(format!("the Spark function `{lower}`, which this server does not implement yet (see docs/functions.md)"))
    } else if name.contains('.') {
        // `db.f`: Spark quotes each part.
        ResolveError::unresolved_routine_parts(&name.split('.').map(str::to_string).collect::<Vec<_>>())
    } else {
        ResolveError::unresolved_routine(name)
    }
}

/// A scalar kernel by source and name, for builders that call one.
pub(crate) fn kernel_udf(source: Source, name: &'static str) -> ResolveResult<std::sync::Arc<datafusion::logical_expr::ScalarUDF>> {
    match kernel_impl(Kernel { source, name })? {
        spark_functions::FunctionKind::Scalar(f) => Ok(f),
        _ => Err(ResolveError::unresolved_routine(name)),
    }
}

/// A kernel's implementation.
pub(crate) fn kernel_impl(k: Kernel) -> ResolveResult<spark_functions::FunctionKind> {
    let registry = spark_functions::FunctionRegistry::global();
    let found = match k.source {
        Source::DataFusion => registry.datafusion(k.name),
        Source::DataFusionSpark => registry.datafusion_spark(k.name),
    };
    found.cloned().ok_or_else(|| ResolveError::unresolved_routine(k.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kernel an entry names exists in its source.
    #[test]
    fn kernels_exist() {
        let missing: Vec<String> = names()
            .into_iter()
            .filter_map(|name| match lookup(name) {
                Some(Function { kind: Kind::Kernel(k), .. }) if kernel_impl(*k).is_err() => Some(format!("{name}: {k:?}")),
                _ => None,
            })
            .collect();
        assert!(missing.is_empty(), "missing kernels: {missing:?}");
    }

    /// Only names a Spark user can write reach the table.
    #[test]
    fn every_entry_is_a_spark_name() {
        // Names the Spark Connect client sends that `SHOW FUNCTIONS` does
        // not list.
        const CLIENT_ONLY: &[&str] = &["==", "distributed_sequence_id", "negative", "positive", "isnull", "isnotnull", "timestampadd", "timestampdiff"];
        let unknown: Vec<&str> = names()
            .into_iter()
            .filter(|name| !spark_functions::catalog::is_spark_function(name) && !CLIENT_ONLY.contains(name))
            .collect();
        assert!(unknown.is_empty(), "not Spark functions: {unknown:?}");
    }

    /// No name is defined twice (a later family would silently win).
    #[test]
    fn every_name_once() {
        let mut seen = std::collections::HashSet::new();
        let twice: Vec<&str> = families().into_iter().flatten().map(|(n, _)| n).filter(|n| !seen.insert(*n)).collect();
        assert!(twice.is_empty(), "defined twice: {twice:?}");
    }
}
