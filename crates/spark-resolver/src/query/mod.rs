//! Relation resolution, one file per family of relations.

mod aggregate;
pub(crate) mod as_of_join;
mod columns;
mod deterministic_aggregates;
mod generate;
mod join;
mod missing_columns;
mod na;
mod partition_id;
mod pivot;
mod reshape;
mod stat;
mod subquery_values;
mod project;
mod python_map;
mod read;
mod recursive_cte;
mod set_op;
mod sort;
mod source;
mod spark_slices;
mod table;
mod time_travel;
mod time_window;
