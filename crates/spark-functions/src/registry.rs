//! Spark name → implementation.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use datafusion::logical_expr::{AggregateUDF, ScalarUDF, WindowUDF};

/// An implementation found for a Spark function name.
#[derive(Debug, Clone)]
pub enum FunctionKind {
    Scalar(Arc<ScalarUDF>),
    Aggregate(Arc<AggregateUDF>),
    Window(Arc<WindowUDF>),
}

/// Spark names whose implementation has another name in DataFusion or
/// `datafusion-spark`.
const ALIASES: &[(&str, &str)] = &[
    ("trim", "btrim"),
    ("nvl", "coalesce"),
    ("ifnull", "coalesce"),
    ("mean", "avg"),
    ("first", "first_value"),
    ("last", "last_value"),
    ("sha", "sha1"),
    ("getbit", "bit_get"),
    ("~", "bitwise_not"),
    ("array_remove", "array_remove_all"),
    ("array_agg", "array_agg"),
    ("approx_count_distinct", "approx_distinct"),
    ("every", "bool_and"),
    ("some", "bool_or"),
    ("any", "bool_or"),
    ("stddev", "stddev"),
    ("std", "stddev"),
    ("stddev_samp", "stddev"),
    ("variance", "var"),
    ("var_samp", "var"),
    ("instr", "strpos"),
    ("startswith", "starts_with"),
    ("endswith", "ends_with"),
    ("current_timestamp", "now"),
    ("now", "now"),
    ("ucase", "upper"),
    ("lcase", "lower"),
    ("char_length", "length"),
    ("character_length", "length"),
    ("substr", "substring"),
    ("power", "power"),
    ("pow", "power"),
    ("sign", "signum"),
    ("rand", "random"),
    ("datediff", "date_diff"),
    ("date_diff", "date_diff"),
    ("day", "dayofmonth"),
];

/// DataFusion functions that must not be used under their own name because
/// their Spark namesake behaves differently; `datafusion-spark` provides those.
const SPARK_OVERRIDES_SKIPPED: &[&str] = &[
    // datafusion-spark's avg always returns DOUBLE, even for decimals.
    "avg",
];

pub struct FunctionRegistry {
    functions: HashMap<String, FunctionKind>,
}

impl FunctionRegistry {
    /// The process-wide registry (functions are stateless).
    pub fn global() -> &'static FunctionRegistry {
        static REGISTRY: OnceLock<FunctionRegistry> = OnceLock::new();
        REGISTRY.get_or_init(FunctionRegistry::build)
    }

    fn build() -> Self {
        let mut functions = HashMap::new();
        let add_scalar = |f: Arc<ScalarUDF>, m: &mut HashMap<String, FunctionKind>| {
            m.insert(f.name().to_ascii_lowercase(), FunctionKind::Scalar(f.clone()));
            for a in f.aliases() {
                m.entry(a.to_ascii_lowercase()).or_insert(FunctionKind::Scalar(f.clone()));
            }
        };
        for f in datafusion::functions::all_default_functions() {
            add_scalar(f, &mut functions);
        }
        for f in datafusion::functions_nested::all_default_nested_functions() {
            add_scalar(f, &mut functions);
        }
        for f in datafusion::functions_aggregate::all_default_aggregate_functions() {
            functions.insert(f.name().to_ascii_lowercase(), FunctionKind::Aggregate(f.clone()));
            for a in f.aliases() {
                functions
                    .entry(a.to_ascii_lowercase())
                    .or_insert(FunctionKind::Aggregate(f.clone()));
            }
        }
        // Window functions that are also aggregates (first_value, ...) stay
        // aggregates: as aggregates they also work over a window.
        for f in datafusion::functions_window::all_default_window_functions() {
            functions.entry(f.name().to_ascii_lowercase()).or_insert(FunctionKind::Window(f.clone()));
        }
        // Spark-compatible implementations replace DataFusion's namesakes.
        for f in datafusion_spark::all_default_scalar_functions() {
            functions.insert(f.name().to_ascii_lowercase(), FunctionKind::Scalar(f.clone()));
        }
        for f in datafusion_spark::all_default_aggregate_functions() {
            if SPARK_OVERRIDES_SKIPPED.contains(&f.name()) {
                continue;
            }
            functions.insert(f.name().to_ascii_lowercase(), FunctionKind::Aggregate(f.clone()));
        }
        for (spark, target) in ALIASES {
            if let Some(f) = functions.get(*target).cloned() {
                functions.insert(spark.to_string(), f);
            }
        }
        Self { functions }
    }

    /// Looks a function up by Spark name, case-insensitively.
    pub fn get(&self, name: &str) -> Option<&FunctionKind> {
        self.functions.get(&name.to_ascii_lowercase())
    }

    /// All registered names, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.functions.keys().cloned().collect();
        names.sort();
        names
    }
}
