//! Functions of Spark's `TIME` type. Spark 4.3 ships them behind
//! `spark.sql.timeType.enabled`, which is off by default: every one of them
//! then fails analysis with UNSUPPORTED_TIME_TYPE, and so do casts to TIME.
//! TIME literals themselves are accepted, as in Spark.

use super::{Arity, Built, Call, Table, f};
use crate::resolver::Resolver;
use crate::{ResolveError, ResolveResult};

/// Spark's error for a use of the (disabled) TIME type.
pub(crate) fn unsupported_time_type() -> ResolveError {
    ResolveError::analysis("UNSUPPORTED_TIME_TYPE", "0A000", "The data type TIME is not supported.", &[])
}

fn disabled(_: &Resolver<'_>, _: &Call<'_>) -> ResolveResult<Built> {
    Err(unsupported_time_type())
}

pub(super) fn functions() -> Table {
    const NAMES: [&str; 13] = [
        "current_time",
        "localtime",
        "make_time",
        "time_diff",
        "time_from_micros",
        "time_from_millis",
        "time_from_seconds",
        "time_to_micros",
        "time_to_millis",
        "time_to_seconds",
        "time_trunc",
        "to_time",
        "try_to_time",
    ];
    NAMES.into_iter().map(|n| (n, f(Arity::AtLeast(0), &[], disabled))).collect()
}
