//! The lenient JSON Spark's Jackson parser accepts, rewritten as strict
//! JSON: single-quoted strings (`allowSingleQuotes`, on by default),
//! numbers with leading zeros (`allowNumericLeadingZeros`), comments
//! (`allowComments`), unquoted field names (`allowUnquotedFieldNames`),
//! and `NaN` / `Infinity` (`allowNonNumericNumbers`, on by default; read as
//! a double, which is all schema inference needs).

/// Which leniencies are on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leniency {
    pub single_quotes: bool,
    pub leading_zeros: bool,
    pub comments: bool,
    pub unquoted_field_names: bool,
    pub non_numeric_numbers: bool,
}

impl Default for Leniency {
    fn default() -> Self {
        Self { single_quotes: true, leading_zeros: false, comments: false, unquoted_field_names: false, non_numeric_numbers: true }
    }
}

impl Leniency {
    /// From a (lower-cased) option map.
    pub fn from_options(options: &std::collections::BTreeMap<String, String>) -> Self {
        let flag = |key: &str, default: bool| options.get(key).map_or(default, |v| v.trim().eq_ignore_ascii_case("true"));
        let d = Self::default();
        Self {
            single_quotes: flag("allowsinglequotes", d.single_quotes),
            leading_zeros: flag("allownumericleadingzeros", d.leading_zeros),
            comments: flag("allowcomments", d.comments),
            unquoted_field_names: flag("allowunquotedfieldnames", d.unquoted_field_names),
            non_numeric_numbers: flag("allownonnumericnumbers", d.non_numeric_numbers),
        }
    }
}

/// The text as strict JSON; `None` when it cannot be (serde then reports the error).
pub fn strict_json(text: &str, l: Leniency) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '"' | '\'' if c == '"' || l.single_quotes => {
                // A string: copied with double quotes.
                out.push('"');
                i += 1;
                while i < chars.len() && chars[i] != c {
                    if chars[i] == '\\' && i + 1 < chars.len() {
                        if chars[i + 1] == '\'' {
                            out.push('\'');
                        } else {
                            out.push('\\');
                            out.push(chars[i + 1]);
                        }
                        i += 2;
                        continue;
                    }
                    if chars[i] == '"' {
                        out.push('\\');
                    }
                    out.push(chars[i]);
                    i += 1;
                }
                out.push('"');
                i += 1;
            }
            '/' if l.comments && chars.get(i + 1) == Some(&'*') => {
                i += 2;
                while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                    i += 1;
                }
                i += 2;
            }
            '/' if l.comments && chars.get(i + 1) == Some(&'/') => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '-' | '0'..='9' => {
                let start = i;
                if c == '-' {
                    out.push('-');
                    i += 1;
                }
                let digits_start = i;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                let digits: String = chars[digits_start..i].iter().collect();
                if l.leading_zeros && digits.len() > 1 {
                    let trimmed = digits.trim_start_matches('0');
                    out.push_str(if trimmed.is_empty() { "0" } else { trimmed });
                } else {
                    out.push_str(&digits);
                }
                if i == start + usize::from(c == '-') && l.non_numeric_numbers && chars[i..].starts_with(&['I', 'n', 'f']) {
                    out.push_str("0.0");
                    i += "Infinity".len();
                }
            }
            _ if c.is_alphabetic() || c == '_' || c == '$' => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$') {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                let mut j = i;
                while j < chars.len() && chars[j].is_whitespace() {
                    j += 1;
                }
                match word.as_str() {
                    "true" | "false" | "null" => out.push_str(&word),
                    "NaN" | "Infinity" if l.non_numeric_numbers => out.push_str("0.0"),
                    _ if l.unquoted_field_names && chars.get(j) == Some(&':') => {
                        out.push('"');
                        out.push_str(&word);
                        out.push('"');
                    }
                    _ => return None,
                }
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_what_spark_allows() {
        let on = Leniency { leading_zeros: true, comments: true, unquoted_field_names: true, ..Leniency::default() };
        assert_eq!(strict_json(r#"[{"col":01}]"#, on).as_deref(), Some(r#"[{"col":1}]"#));
        assert_eq!(strict_json("{'a': 'x\"y'}", Leniency::default()).as_deref(), Some(r#"{"a": "x\"y"}"#));
        assert_eq!(strict_json("{a: 1 /* c */}", on).as_deref(), Some(r#"{"a": 1 }"#));
        assert_eq!(strict_json(r#"{"a": NaN, "b": -Infinity}"#, Leniency::default()).as_deref(), Some(r#"{"a": 0.0, "b": -0.0}"#));
        assert_eq!(strict_json("{a: 1}", Leniency::default()), None);
    }
}
