//! Named arguments (`f(a, name => value)`): positional arguments first,
//! then by parameter name (case-insensitively), with Spark's errors. SQL
//! functions take them, and the built-ins Spark gives a signature
//! (`mask`, `count_min_sketch`); other built-ins refuse them with
//! NAMED_PARAMETERS_NOT_SUPPORTED.

use spark_plan::{Expr, Literal};

use crate::{ResolveError, ResolveResult};

/// The parameters of a built-in that takes named arguments, with the value
/// an optional one takes when not given (`None`: required).
pub(crate) fn builtin_parameters(name: &str) -> Option<Vec<(&'static str, Option<Expr>)>> {
    let text = |s: &str| Some(Expr::Literal(Literal::String(s.into())));
    Some(match name {
        "mask" => vec![("str", None), ("upperChar", text("X")), ("lowerChar", text("x")), ("digitChar", text("n")), ("otherChar", Some(Expr::Literal(Literal::Null(spark_plan::DataType::String))))],
        "count_min_sketch" => vec![("column", None), ("epsilon", None), ("confidence", None), ("seed", None)],
        _ => return None,
    })
}

/// A built-in call's arguments in parameter order, named ones placed and
/// optional ones filled in; as they are without named arguments.
pub(crate) fn builtin_arguments(name: &str, args: &[Expr]) -> ResolveResult<Option<Vec<Expr>>> {
    if !args.iter().any(|a| matches!(a, Expr::NamedArgument { .. })) {
        return Ok(None);
    }
    let Some(params) = builtin_parameters(name) else {
        return Err(ResolveError::analysis(
            "NAMED_PARAMETERS_NOT_SUPPORTED",
            "4274K",
            format!("Named parameters are not supported for function `{name}`; please retry the query with positional arguments to the function call instead."),
            &[("functionName", format!("`{name}`"))],
        ));
    };
    let shape: Vec<(&str, bool)> = params.iter().map(|(n, d)| (*n, d.is_some())).collect();
    let bound = bind(name, &shape, args)?;
    Ok(Some(bound.into_iter().zip(params).filter_map(|(given, (_, default))| given.or(default)).collect()))
}

/// The argument given for each parameter (`None`: not supplied).
/// `params`: each parameter's name and whether it is optional.
pub(crate) fn bind(routine_name: &str, params: &[(&str, bool)], args: &[Expr]) -> ResolveResult<Vec<Option<Expr>>> {
    let routine = format!("`{routine_name}`");
    if args.len() > params.len() {
        return Err(crate::functions::wrong_args(routine_name, args.len(), &params.len().to_string()));
    }
    let mut bound: Vec<Option<Expr>> = vec![None; params.len()];
    let mut first_named: Option<&str> = None;
    for (i, arg) in args.iter().enumerate() {
        match arg {
            Expr::NamedArgument { name, value } => {
                let Some(pos) = params.iter().position(|(p, _)| p.eq_ignore_ascii_case(name)) else {
                    return Err(ResolveError::analysis(
                        "UNRECOGNIZED_PARAMETER_NAME",
                        "4274K",
                        format!("Cannot invoke routine {routine} because the routine call included a named argument reference for the argument named `{name}`, but this routine does not include any signature containing an argument with this name."),
                        &[("routineName", routine.clone()), ("argumentName", format!("`{name}`"))],
                    ));
                };
                if bound[pos].is_some() {
                    let positional = pos < i && !matches!(args[pos], Expr::NamedArgument { .. });
                    let (class, why) = if positional {
                        ("BOTH_POSITIONAL_AND_NAMED", "A positional argument and named argument both referred to the same parameter. Please remove the named argument referring to this parameter.")
                    } else {
                        ("DOUBLE_NAMED_ARGUMENT_REFERENCE", "More than one named argument referred to the same parameter. Please assign a value only once.")
                    };
                    return Err(ResolveError::analysis(
                        &format!("DUPLICATE_ROUTINE_PARAMETER_ASSIGNMENT.{class}"),
                        "4274K",
                        format!("Call to routine {routine} is invalid because it includes multiple argument assignments to the same parameter name `{name}`. {why}"),
                        &[("routineName", routine.clone()), ("parameterName", format!("`{name}`"))],
                    ));
                }
                first_named.get_or_insert(name.as_str());
                bound[pos] = Some(value.as_ref().clone());
            }
            positional => {
                if let Some(named) = first_named {
                    return Err(ResolveError::analysis(
                        "UNEXPECTED_POSITIONAL_ARGUMENT",
                        "4274K",
                        format!("Cannot invoke routine {routine} because it contains positional argument(s) following the named argument assigned to `{named}`; please rearrange them so the positional arguments come first and then retry the query again."),
                        &[("routineName", routine.clone()), ("parameterName", format!("`{named}`"))],
                    ));
                }
                bound[i] = Some(positional.clone());
            }
        }
    }
    for (i, ((name, optional), arg)) in params.iter().zip(&bound).enumerate() {
        if arg.is_none() && !optional {
            if first_named.is_none() {
                return Err(crate::functions::wrong_args(routine_name, args.len(), &params.iter().filter(|(_, o)| !o).count().to_string()));
            }
            return Err(ResolveError::analysis(
                "REQUIRED_PARAMETER_NOT_FOUND",
                "4274K",
                format!("Cannot invoke routine {routine} because the parameter named `{name}` is required, but the routine call did not supply a value. Please update the routine call to supply an argument value (either positionally at index {i} or by name) and retry the query again."),
                &[("routineName", routine.clone()), ("parameterName", format!("`{name}`")), ("index", i.to_string())],
            ));
        }
    }
    Ok(bound)
}
