//! The engine behind a Spark session, independent of the protocol: Spark
//! configuration, sessions with their DataFusion context and temp views,
//! query execution that streams Arrow batches with Spark's names and types,
//! `show()` text, and the eager commands (SET, SHOW TABLES, ...).

pub mod conf;
pub mod error;
pub mod output;
pub mod plan_metrics;
pub mod progress;
pub mod session;
pub mod show;
mod broadcast_joins;
mod catalog;
mod command;
mod distinct_aggregates;
mod late_string_casts;
mod not_in_anti_join;
mod partition_order;
mod row_order;
mod sliced_aggregates;
mod tables;
mod scalar_subquery_domain;
mod script;
mod shuffle_order;
mod sql_functions;
mod variables;
mod view_casts;
mod write;

pub use conf::SparkConf;
pub use error::{EngineError, EngineResult, SparkException};
pub use output::QueryStream;
pub use session::{CommandOutput, EngineSettings, SparkSession, SessionShared};
