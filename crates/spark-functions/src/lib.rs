//! The Spark function library: one registry from Spark function names (and
//! aliases) to implementations, shared by the DataFrame and SQL paths.
//!
//! Implementations come from DataFusion and `datafusion-spark` where they match
//! Spark, and from this crate where they do not (see `arithmetic`).

pub mod arithmetic;
pub mod registry;

pub use registry::{FunctionKind, FunctionRegistry};
