//! Avro and Protobuf functions. In Spark they live in the separate
//! `spark-avro` and `spark-protobuf` packages; a server without them answers
//! with Spark's own "not loaded" errors, after the same argument checks Spark
//! makes first. This server does not ship either package.

use datafusion::arrow::datatypes::DataType as ArrowType;

use super::{Arity, Built, Call, Table, f};
use crate::resolver::Resolver;
use crate::{ResolveError, ResolveResult};

fn not_loaded(function: &str, source: &str, package: &str, class: &str) -> ResolveError {
    let upper = function.to_ascii_uppercase();
    ResolveError::analysis(
        class,
        "22KD3",
        format!(
            "Cannot call the {upper} SQL function because the {source} data source is not loaded.\nPlease restart your job or session with the '{package}' package loaded, such as by using the --packages argument on the command line, and then retry your query or command again."
        ),
        &[("functionName", upper.clone())],
    )
}

fn avro(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    Err(not_loaded(c.name, "Avro", "spark-avro", "AVRO_NOT_LOADED_SQL_FUNCTIONS_UNUSABLE"))
}

/// `to_protobuf(struct, message, [descriptor file], [options])` and
/// `from_protobuf(binary, ...)`: the input type, then the descriptor file.
fn protobuf(_: &Resolver<'_>, c: &Call<'_>) -> ResolveResult<Built> {
    if c.name == "to_protobuf" && !matches!(c.types.first(), Some(ArrowType::Struct(_))) {
        let actual = c.types.first().map(crate::types::from_arrow).transpose()?.map(|t| t.sql()).unwrap_or_default();
        let sql = format!("to_protobuf({})", c.names.join(", "));
        return Err(ResolveError::analysis(
            "DATATYPE_MISMATCH.NON_STRUCT_TYPE",
            "42K09",
            format!("Cannot resolve \"{sql}\" due to data type mismatch: the input data should be a struct expression; however, got \"{actual}\"."),
            &[("sqlExpr", format!("\"{sql}\"")), ("dataType", format!("\"{actual}\""))],
        ));
    }
    if let Some(path) = c.str_literal(2) {
        if !std::path::Path::new(path).is_file() {
            return Err(ResolveError::analysis(
                "PROTOBUF_DESCRIPTOR_FILE_NOT_FOUND",
                "42K0G",
                format!("Error reading Protobuf descriptor file at path: {path}."),
                &[("filePath", path.to_string())],
            ));
        }
    }
    Err(not_loaded(c.name, "Protobuf", "spark-protobuf", "PROTOBUF_NOT_LOADED_SQL_FUNCTIONS_UNUSABLE"))
}

pub(super) fn functions() -> Table {
    vec![
        ("from_avro", f(Arity::Range(2, 3), &[], avro)),
        ("to_avro", f(Arity::Range(1, 2), &[], avro)),
        ("schema_of_avro", f(Arity::Range(1, 2), &[], avro)),
        ("from_protobuf", f(Arity::Range(2, 4), &[], protobuf)),
        ("to_protobuf", f(Arity::Range(2, 4), &[], protobuf)),
    ]
}
