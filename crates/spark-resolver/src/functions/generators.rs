//! Generators: functions that produce rows (`explode`, `posexplode`,
//! `inline` and their `_outer` forms, `stack`, `json_tuple`). They are
//! valid at the top of a select item, in LATERAL VIEW and as table-valued
//! functions; `query/generate.rs` applies them.

use super::{Arity, Table, generator};
use crate::ResolveError;

/// A generator inside another expression (`upper(explode(a))`), which
/// Spark refuses. `args` are the arguments as Spark prints them.
pub(crate) fn nested_generator(name: &str, args: &[String]) -> ResolveError {
    let shown = format!("\"{name}({})\"", args.join(", "));
    ResolveError::analysis(
        "UNSUPPORTED_GENERATOR.NESTED_IN_EXPRESSIONS",
        "42K0E",
        format!("The generator is not supported: nested in expressions {shown}."),
        &[("expression", shown.clone())],
    )
}

pub(super) fn functions() -> Table {
    use Arity::*;
    vec![
        ("explode", generator(Exactly(1))),
        ("explode_outer", generator(Exactly(1))),
        ("posexplode", generator(Exactly(1))),
        ("posexplode_outer", generator(Exactly(1))),
        ("inline", generator(Exactly(1))),
        ("inline_outer", generator(Exactly(1))),
        ("stack", generator(AtLeast(2))),
        ("json_tuple", generator(AtLeast(2))),
        ("sql_keywords", generator(Exactly(0))),
        ("variant_explode", generator(Exactly(1))),
        ("variant_explode_outer", generator(Exactly(1))),
    ]
}
