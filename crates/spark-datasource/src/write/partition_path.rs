//! Partition directory names as Spark (Hive) writes them: `col=value`,
//! with the characters a path cannot hold escaped as `%XX`, and NULL (or an
//! empty string) as `__HIVE_DEFAULT_PARTITION__`.

pub const DEFAULT_PARTITION: &str = "__HIVE_DEFAULT_PARTITION__";

fn needs_escape(c: char) -> bool {
    matches!(c, '"' | '#' | '%' | '\'' | '*' | '/' | ':' | '=' | '?' | '\\' | '\u{7f}' | '{' | '[' | ']' | '^') || ('\u{01}'..='\u{1f}').contains(&c)
}

/// Escapes a column name or value for a path segment.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if needs_escape(c) {
            out.push_str(&format!("%{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// One `col=value` directory name.
pub fn segment(column: &str, value: Option<&str>) -> String {
    let value = match value {
        None | Some("") => DEFAULT_PARTITION.to_string(),
        Some(v) => escape(v),
    };
    format!("{}={value}", escape(column))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_hive() {
        assert_eq!(segment("p", Some("a b/c=d")), "p=a b%2Fc%3Dd");
        assert_eq!(segment("p", None), "p=__HIVE_DEFAULT_PARTITION__");
        assert_eq!(segment("p", Some("")), "p=__HIVE_DEFAULT_PARTITION__");
        assert_eq!(segment("t", Some("2024-01-01 10:00:00")), "t=2024-01-01 10%3A00%3A00");
    }
}
