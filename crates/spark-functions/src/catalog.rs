//! Apache Spark 4.3's own list of built-in functions and their
//! `DESCRIBE FUNCTION EXTENDED` text, recorded from the JVM server by
//! `tests/functions/record.py describe` into `data/functions.json`.
//! It answers `SHOW FUNCTIONS` and `DESCRIBE FUNCTION`, and tells a Spark
//! function this server lacks from a name no Spark has.

use std::collections::HashMap;
use std::sync::OnceLock;

struct Catalog {
    names: Vec<String>,
    described: HashMap<String, Vec<String>>,
}

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let parsed: serde_json::Value = serde_json::from_str(include_str!("../data/functions.json")).unwrap_or_default();
        let names = parsed["show_functions"]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        let described = parsed["describe_extended"]
            .as_object()
            .map(|o| {
                o.iter()
                    .map(|(k, v)| {
                        let rows = v.as_array().map(|a| a.iter().filter_map(|r| r.as_str().map(str::to_string)).collect()).unwrap_or_default();
                        (k.to_ascii_lowercase(), rows)
                    })
                    .collect()
            })
            .unwrap_or_default();
        Catalog { names, described }
    })
}

/// Every function name `SHOW FUNCTIONS` lists in Spark, in its order.
pub fn spark_function_names() -> &'static [String] {
    &catalog().names
}

/// Whether Spark has a built-in function of this name.
pub fn is_spark_function(name: &str) -> bool {
    catalog().described.contains_key(&name.to_ascii_lowercase())
}

/// The rows of `DESCRIBE FUNCTION [EXTENDED] name`: function, class and
/// usage, then the extended usage.
pub fn describe(name: &str, extended: bool) -> Option<Vec<String>> {
    let rows = catalog().described.get(&name.to_ascii_lowercase())?;
    Some(if extended { rows.clone() } else { rows.iter().take(3).cloned().collect() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_spark_functions() {
        assert!(spark_function_names().len() > 500);
        assert!(is_spark_function("ABS"));
        assert!(!is_spark_function("no_such_function"));
        let abs = describe("abs", false).unwrap_or_default();
        assert_eq!(abs.first().map(String::as_str), Some("Function: abs"));
        assert_eq!(abs.len(), 3);
        assert_eq!(describe("abs", true).map(|r| r.len()), Some(4));
    }
}
