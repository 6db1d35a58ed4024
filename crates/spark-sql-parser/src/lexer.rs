//! Splits SQL text into tokens. Keywords are not reserved here: they are plain
//! words that the parser compares case-insensitively, as Spark's default
//! (non-ANSI-reserved) grammar allows most of them as identifiers.

use crate::{ParseError, ParseResult};

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// An unquoted word (identifier or keyword).
    Word(String),
    /// A backtick-quoted identifier.
    Quoted(String),
    /// A string literal (single or double quotes), escapes processed.
    Str(String),
    /// A numeric literal with its suffix as written (`1`, `1.5`, `10L`, `1e3`).
    Number(String),
    /// A hex binary literal `X'..'`.
    Hex(String),
    /// Punctuation or operator text.
    Sym(&'static str),
    /// `:name` or `?` parameter markers.
    NamedParam(String),
    PositionalParam,
    Eof,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub tok: Tok,
    pub pos: usize,
    /// The token's original text, for error messages.
    pub text: String,
}

/// Words after which `:name` is still a parameter marker (an operand may
/// follow them); after any other word, a quoted name, `)` or `]`, the
/// colon starts a VARIANT path (`v:a.b`).
const BEFORE_OPERAND: [&str; 33] = [
    "SELECT", "WHERE", "AND", "OR", "NOT", "THEN", "ELSE", "WHEN", "CASE", "LIMIT", "OFFSET", "BY", "HAVING", "ON", "IS", "LIKE", "ILIKE",
    "RLIKE", "BETWEEN", "RETURN", "AS", "DISTINCT", "INTERVAL", "VALUES", "SET", "IN", "ALL", "ANY", "SOME", "EXISTS", "ESCAPE", "IDENTIFIER", "DEFAULT",
];

fn ends_operand(last: Option<&Token>) -> bool {
    match last.map(|t| &t.tok) {
        Some(Tok::Quoted(_)) | Some(Tok::Sym(")")) | Some(Tok::Sym("]")) => true,
        Some(Tok::Word(w)) => !BEFORE_OPERAND.iter().any(|k| k.eq_ignore_ascii_case(w)),
        _ => false,
    }
}

const SYMBOLS: [&str; 32] = [
    "<=>", "==", "!=", "<>", "<=", ">=", "||", "|>", "::", "->", "=>", "&&", "<<", ">>", "(", ")", ",",
    ".", "*", "+", "-", "/", "%", "=", "<", ">", "&", "|", "^", "~", ";", "[",
];
const MORE_SYMBOLS: [&str; 4] = ["]", "!", ":", "?"];

/// Tokenizes; with `escaped_literals` (Spark's
/// `spark.sql.parser.escapedStringLiterals`), string literals keep their
/// backslashes as written.
pub fn tokenize_with(sql: &str, escaped_literals: bool) -> ParseResult<Vec<Token>> {
    let chars: Vec<char> = sql.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let err = |pos: usize, text: &str| ParseError::Syntax { token: format!("'{text}'"), position: pos };
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '-' && chars.get(i + 1) == Some(&'-') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if c == '/' && chars.get(i + 1) == Some(&'*') {
            let start = i;
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            if depth != 0 {
                return Err(ParseError::other(
                    "UNCLOSED_BRACKETED_COMMENT",
                    "42601",
                    format!("Found an unclosed bracketed comment at position {start}."),
                ));
            }
            continue;
        }
        let start = i;
        if (c == 'x' || c == 'X') && chars.get(i + 1) == Some(&'\'') {
            i += 2;
            let s = i;
            while i < chars.len() && chars[i] != '\'' {
                i += 1;
            }
            let text: String = chars[s..i.min(chars.len())].iter().collect();
            if i >= chars.len() {
                return Err(err(start, &text));
            }
            i += 1;
            out.push(Token { tok: Tok::Hex(text), pos: start, text: chars[start..i].iter().collect() });
            continue;
        }
        // Raw strings, r'...' and R"...": no escapes.
        if (c == 'r' || c == 'R') && matches!(chars.get(i + 1), Some('\'') | Some('"')) {
            let quote = chars[i + 1];
            let mut j = i + 2;
            while j < chars.len() && chars[j] != quote {
                j += 1;
            }
            if j >= chars.len() {
                return Err(err(start, "r'"));
            }
            let raw: String = chars[i + 2..j].iter().collect();
            i = j + 1;
            out.push(Token { tok: Tok::Str(raw), pos: start, text: chars[start..i].iter().collect() });
            continue;
        }
        if c == '\'' || c == '"' {
            let (s, next) = if escaped_literals { read_string_as_written(&chars, i)? } else { read_string(&chars, i)? };
            i = next;
            out.push(Token { tok: Tok::Str(s), pos: start, text: chars[start..i].iter().collect() });
            continue;
        }
        if c == '`' {
            i += 1;
            let mut s = String::new();
            loop {
                match chars.get(i) {
                    None => return Err(err(start, "`")),
                    Some('`') if chars.get(i + 1) == Some(&'`') => {
                        s.push('`');
                        i += 2;
                    }
                    Some('`') => {
                        i += 1;
                        break;
                    }
                    Some(ch) => {
                        s.push(*ch);
                        i += 1;
                    }
                }
            }
            out.push(Token { tok: Tok::Quoted(s), pos: start, text: chars[start..i].iter().collect() });
            continue;
        }
        if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit())) {
            i = read_number(&chars, i);
            // A number directly followed by letters is an identifier (`1a`), unless it was a suffix.
            let text: String = chars[start..i].iter().collect();
            if i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                out.push(Token { tok: Tok::Word(word.clone()), pos: start, text: word });
                continue;
            }
            out.push(Token { tok: Tok::Number(text.clone()), pos: start, text });
            continue;
        }
        if c.is_alphabetic() || c == '_' {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            out.push(Token { tok: Tok::Word(word.clone()), pos: start, text: word });
            continue;
        }
        if c == ':' && chars.get(i + 1).is_some_and(|d| d.is_alphabetic() || *d == '_')
            && !matches!(out.last(), Some(Token { tok: Tok::Sym(":"), .. }))
            && !ends_operand(out.last())
            && chars.get(i.wrapping_sub(1)) != Some(&':')
        {
            i += 1;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let name: String = chars[start + 1..i].iter().collect();
            out.push(Token { tok: Tok::NamedParam(name), pos: start, text: chars[start..i].iter().collect() });
            continue;
        }
        if c == '?' {
            i += 1;
            out.push(Token { tok: Tok::PositionalParam, pos: start, text: "?".into() });
            continue;
        }
        let rest: String = chars[i..(i + 3).min(chars.len())].iter().collect();
        let sym = SYMBOLS.iter().chain(MORE_SYMBOLS.iter()).find(|s| rest.starts_with(**s));
        match sym {
            Some(s) => {
                i += s.chars().count();
                out.push(Token { tok: Tok::Sym(s), pos: start, text: s.to_string() });
            }
            None => return Err(err(start, &c.to_string())),
        }
    }
    out.push(Token { tok: Tok::Eof, pos: chars.len(), text: "end of input".into() });
    Ok(out)
}

fn read_number(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() && chars[i].is_ascii_digit() {
        i += 1;
    }
    if i < chars.len() && chars[i] == '.' && !(chars.get(i + 1).is_some_and(|c| c.is_alphabetic() && !matches!(c, 'e' | 'E' | 'd' | 'D' | 'f' | 'F' | 'b' | 'B'))) {
        i += 1;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
    }
    if i < chars.len() && (chars[i] == 'e' || chars[i] == 'E') {
        let mut j = i + 1;
        if j < chars.len() && (chars[j] == '+' || chars[j] == '-') {
            j += 1;
        }
        if j < chars.len() && chars[j].is_ascii_digit() {
            i = j;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
        }
    }
    // Type suffixes: L, S, Y, D, F, BD (case-insensitive), only if not followed by a word char.
    let suffix_len = if i + 1 < chars.len()
        && chars[i].eq_ignore_ascii_case(&'b')
        && chars[i + 1].eq_ignore_ascii_case(&'d')
    {
        2
    } else if i < chars.len() && "lLsSyYdDfF".contains(chars[i]) {
        1
    } else {
        0
    };
    if suffix_len > 0 {
        let after = i + suffix_len;
        if after >= chars.len() || !(chars[after].is_alphanumeric() || chars[after] == '_') {
            return after;
        }
    }
    i
}

/// Reads a quoted string with Spark's escapes (`\n`, `\t`, `\\`, `\'`, `\uXXXX`)
/// and doubled quotes.
/// A quoted string whose backslashes stay as written (a backslash still
/// keeps the next character from ending the literal).
fn read_string_as_written(chars: &[char], start: usize) -> ParseResult<(String, usize)> {
    let quote = chars[start];
    let mut i = start + 1;
    let mut s = String::new();
    while i < chars.len() {
        let c = chars[i];
        if c == quote {
            return Ok((s, i + 1));
        }
        s.push(c);
        if c == '\\' {
            if let Some(next) = chars.get(i + 1) {
                s.push(*next);
                i += 1;
            }
        }
        i += 1;
    }
    Err(ParseError::Syntax { token: format!("'{quote}'"), position: start })
}

fn read_string(chars: &[char], start: usize) -> ParseResult<(String, usize)> {
    let quote = chars[start];
    let mut i = start + 1;
    let mut s = String::new();
    loop {
        let Some(&c) = chars.get(i) else {
            let text: String = chars[start..].iter().collect();
            return Err(ParseError::Syntax { token: format!("'{text}'"), position: start });
        };
        if c == quote {
            if chars.get(i + 1) == Some(&quote) {
                s.push(quote);
                i += 2;
                continue;
            }
            return Ok((s, i + 1));
        }
        if c == '\\' {
            let Some(&n) = chars.get(i + 1) else {
                i += 1;
                continue;
            };
            i += 2;
            match n {
                'n' => s.push('\n'),
                't' => s.push('\t'),
                'r' => s.push('\r'),
                'b' => s.push('\u{8}'),
                '0' => s.push('\0'),
                'Z' => s.push('\u{1a}'),
                '%' => s.push_str("\\%"),
                '_' => s.push_str("\\_"),
                'u' => {
                    let hex: String = chars[i..(i + 4).min(chars.len())].iter().collect();
                    match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                        Some(ch) if hex.len() == 4 => {
                            s.push(ch);
                            i += 4;
                        }
                        _ => s.push('u'),
                    }
                }
                other => s.push(other),
            }
            continue;
        }
        s.push(c);
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        tokenize_with(s, false).map(|t| t.into_iter().map(|t| t.tok).collect()).unwrap_or_default()
    }

    #[test]
    fn basics() {
        assert_eq!(
            toks("select 1L, 'a''b', `x`"),
            vec![
                Tok::Word("select".into()),
                Tok::Number("1L".into()),
                Tok::Sym(","),
                Tok::Str("a'b".into()),
                Tok::Sym(","),
                Tok::Quoted("x".into()),
                Tok::Eof
            ]
        );
        assert_eq!(toks("a<=>b")[1], Tok::Sym("<=>"));
        assert_eq!(toks("1.5BD")[0], Tok::Number("1.5BD".into()));
        assert_eq!(toks("t.a")[1], Tok::Sym("."));
        assert_eq!(toks("1e10")[0], Tok::Number("1e10".into()));
    }
}
