//! Proto → unresolved plan. Every relation, expression, literal and type the
//! client sends is converted here; anything missing or not yet supported gets
//! a clear error naming it.

mod catalog;
#[allow(deprecated)]
mod command;
mod data_type;
mod expression;
#[allow(deprecated)]
mod literal;
#[allow(deprecated)]
mod relation;

pub use catalog::convert_catalog;
pub use command::{ConnectCommand, MlCacheCommand, convert_command};
// Deprecated proto fields are still read so that older clients keep working.

pub use data_type::{proto_to_type, type_to_proto};
pub use expression::convert_expression;
pub use literal::{array_value_to_literal, literal_to_proto};
pub use relation::{RelationContext, Root, SizeLimits, convert_relation, convert_root};

use crate::error::{ServerError, ServerResult};

/// `Option<T>` → value or the "missing field" error.
pub(crate) trait Required<T> {
    fn required(self, field: &str) -> ServerResult<T>;
}

impl<T> Required<T> for Option<T> {
    fn required(self, field: &str) -> ServerResult<T> {
        self.ok_or_else(|| ServerError::missing(field))
    }
}
