//! Relation resolution, one file per family of relations.

mod aggregate;
mod columns;
mod generate;
mod join;
mod project;
mod read;
mod set_op;
mod sort;
mod source;
