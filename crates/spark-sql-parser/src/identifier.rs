//! Multi-part names such as `a.b`, `` `x.y`.z ``.

use crate::{ParseError, ParseResult};

/// Splits a column or table name on dots, honouring backtick quoting, as
/// Spark's `UnresolvedAttribute.parseAttributeName` does.
pub fn parse_identifier_parts(name: &str) -> ParseResult<Vec<String>> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut in_quotes = false;
    let mut chars = name.chars().peekable();
    let invalid = || {
        ParseError::other(
            "INVALID_ATTRIBUTE_NAME_SYNTAX",
            "42601",
            format!("Syntax error in the attribute name: `{name}`."),
        )
    };
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '`' {
                if chars.peek() == Some(&'`') {
                    chars.next();
                    current.push('`');
                } else {
                    in_quotes = false;
                    if !matches!(chars.peek(), None | Some('.')) {
                        return Err(invalid());
                    }
                }
            } else {
                current.push(c);
            }
        } else if c == '`' {
            if !current.is_empty() {
                return Err(invalid());
            }
            in_quotes = true;
        } else if c == '.' {
            parts.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    if in_quotes {
        return Err(invalid());
    }
    parts.push(current);
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits() {
        assert_eq!(parse_identifier_parts("a.b").ok(), Some(vec!["a".into(), "b".into()]));
        assert_eq!(parse_identifier_parts("`a.b`.c").ok(), Some(vec!["a.b".into(), "c".into()]));
        assert_eq!(parse_identifier_parts("`a``b`").ok(), Some(vec!["a`b".into()]));
        assert!(parse_identifier_parts("`a").is_err());
    }
}
