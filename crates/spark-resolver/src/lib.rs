//! The resolver: turns the unresolved plan (`spark-plan`) into a DataFusion
//! `LogicalPlan` with Spark's semantics, the analogue of Spark's analyzer.
//!
//! Every column the resolver produces gets an opaque unique id (`#12`) as its
//! DataFusion name; the Spark-visible name, its qualifiers and the DataFrame
//! plan ids that can address it live beside the plan in [`ResolvedColumn`]s.
//! That keeps duplicate names (`select a, a`, self-joins) and `df["col"]`
//! references unambiguous; names are put back on the results at the end.
//!
//! Layout: `resolver.rs` dispatches over relation kinds to `query/` (one file
//! per relation family); `expression/` resolves each expression kind; every
//! function call goes through the function table in `functions/` (one entry
//! per Spark function, see that module's documentation for how to add one).
//! The tests in `tests/` resolve small plans and compare names, types,
//! nullability and error classes with Spark's.

pub mod cancel;
pub mod catalog;
pub mod config;
pub mod error;
pub mod ipc;
pub mod local_sources;
mod expression;
mod functions;
pub mod nested_nullability;

mod query;
mod resolver;
pub mod scope;
pub mod types;
pub mod variable;

pub use catalog::{TempView, ViewCatalog, materialized};
pub use config::{PythonSupport, ResolverConfig};
pub use error::{ResolveError, ResolveResult};
pub use resolver::{QueryRunner, Resolver};
pub use scope::{ResolvedColumn, ResolvedRelation};
pub use variable::SessionVariable;
