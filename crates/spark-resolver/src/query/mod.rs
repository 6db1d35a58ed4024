//! Relation resolution, one file per family of relations.

mod aggregate;
mod columns;
mod join;
mod project;
mod set_op;
mod sort;
mod source;
