//! Implementations by their own names: DataFusion's and `datafusion-spark`'s
//! functions. Spark names are the resolver's function table's business;
//! this registry only finds the kernels an entry names.

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

/// `datafusion-spark` functions that [`FunctionRegistry::get`] passes over
/// for DataFusion's namesake.
const SPARK_OVERRIDES_SKIPPED: &[&str] = &[
    // datafusion-spark's avg always returns DOUBLE, even for decimals.
    "avg",
];

pub struct FunctionRegistry {
    /// DataFusion's functions, by their names and aliases.
    datafusion: HashMap<String, FunctionKind>,
    /// `datafusion-spark`'s functions, by name.
    datafusion_spark: HashMap<String, FunctionKind>,
}

fn insert(m: &mut HashMap<String, FunctionKind>, name: &str, aliases: &[String], f: FunctionKind) {
    for a in aliases {
        m.entry(a.to_ascii_lowercase()).or_insert_with(|| f.clone());
    }
    m.insert(name.to_ascii_lowercase(), f);
}

impl FunctionRegistry {
    /// The process-wide registry (functions are stateless).
    pub fn global() -> &'static FunctionRegistry {
        static REGISTRY: OnceLock<FunctionRegistry> = OnceLock::new();
        REGISTRY.get_or_init(FunctionRegistry::build)
    }

    fn build() -> Self {
        let mut datafusion = HashMap::new();
        for f in datafusion::functions::all_default_functions().into_iter().chain(datafusion::functions_nested::all_default_nested_functions()) {
            insert(&mut datafusion, f.name(), f.aliases(), FunctionKind::Scalar(f.clone()));
        }
        for f in datafusion::functions_aggregate::all_default_aggregate_functions() {
            insert(&mut datafusion, f.name(), f.aliases(), FunctionKind::Aggregate(f.clone()));
        }
        // Window functions that are also aggregates (first_value, ...) stay
        // aggregates: as aggregates they also work over a window.
        for f in datafusion::functions_window::all_default_window_functions() {
            datafusion.entry(f.name().to_ascii_lowercase()).or_insert(FunctionKind::Window(f.clone()));
        }
        let mut datafusion_spark = HashMap::new();
        for f in datafusion_spark::all_default_scalar_functions() {
            insert(&mut datafusion_spark, f.name(), &[], FunctionKind::Scalar(f.clone()));
        }
        for f in datafusion_spark::all_default_aggregate_functions() {
            insert(&mut datafusion_spark, f.name(), &[], FunctionKind::Aggregate(f.clone()));
        }
        Self { datafusion, datafusion_spark }
    }

    /// DataFusion's implementation `name`.
    pub fn datafusion(&self, name: &str) -> Option<&FunctionKind> {
        self.datafusion.get(&name.to_ascii_lowercase())
    }

    /// `datafusion-spark`'s implementation `name`.
    pub fn datafusion_spark(&self, name: &str) -> Option<&FunctionKind> {
        self.datafusion_spark.get(&name.to_ascii_lowercase())
    }

    /// An implementation by its own name: `datafusion-spark`'s where it has
    /// one (it follows Spark), else DataFusion's.
    pub fn get(&self, name: &str) -> Option<&FunctionKind> {
        let lower = name.to_ascii_lowercase();
        match self.datafusion_spark.get(&lower) {
            Some(f) if !SPARK_OVERRIDES_SKIPPED.contains(&lower.as_str()) => Some(f),
            _ => self.datafusion.get(&lower),
        }
    }
}
