//! `parse_url(url, part[, key])` and `try_parse_url`: the parts Java's
//! `java.net.URI` gives (RFC 2396), as Spark reads them. A string that is
//! no URI is INVALID_URL under ANSI mode (NULL for `try_parse_url` and
//! without ANSI); an unknown part is NULL.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray, StringBuilder};
use datafusion::arrow::datatypes::DataType;
use datafusion::common::{Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, TypeSignature, Volatility};

use crate::error::{RuntimeKind, SparkRuntimeError};

/// The components of a URI, raw (escapes kept), as `java.net.URI` has them.
#[derive(Debug, Default, PartialEq)]
pub struct Uri<'a> {
    pub scheme: Option<&'a str>,
    pub authority: Option<&'a str>,
    pub user_info: Option<&'a str>,
    pub host: Option<&'a str>,
    pub path: Option<&'a str>,
    pub query: Option<&'a str>,
    pub fragment: Option<&'a str>,
}

/// Characters `java.net.URI` refuses anywhere (outside escapes).
fn is_illegal(c: char) -> bool {
    c.is_control() || c.is_whitespace() || matches!(c, '"' | '<' | '>' | '\\' | '^' | '`' | '{' | '|' | '}')
}

/// Every `%` starts two hex digits.
fn escapes_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'%' {
            i += 1;
            continue;
        }
        match (b.get(i + 1), b.get(i + 2)) {
            (Some(x), Some(y)) if x.is_ascii_hexdigit() && y.is_ascii_hexdigit() => i += 3,
            _ => return false,
        }
    }
    true
}

fn is_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic()) && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// A host name: dot-separated labels of letters, digits and inner
/// hyphens, the last starting with a letter.
fn is_hostname(h: &str) -> bool {
    let h = h.strip_suffix('.').unwrap_or(h);
    let labels: Vec<&str> = h.split('.').collect();
    let label_ok = |l: &str| {
        !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') && !l.starts_with('-') && !l.ends_with('-')
    };
    labels.iter().all(|l| label_ok(l)) && labels.last().is_some_and(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()))
}

fn is_ipv4(h: &str) -> bool {
    let parts: Vec<&str> = h.split('.').collect();
    parts.len() == 4 && parts.iter().all(|p| !p.is_empty() && p.len() <= 3 && p.chars().all(|c| c.is_ascii_digit()) && p.parse::<u16>().is_ok_and(|n| n <= 255))
}

/// `[userinfo@]host[:port]` of a server-based authority, or `None` where
/// Java reads the authority as registry-based (no host).
fn server_authority(a: &str) -> Option<(Option<&str>, &str)> {
    let (user_info, host_port) = match a.rfind('@') {
        Some(i) => (Some(&a[..i]), &a[i + 1..]),
        None => (None, a),
    };
    let (host, port) = if host_port.starts_with('[') {
        let end = host_port.find(']')?;
        let (h, rest) = host_port.split_at(end + 1);
        let inner = &h[1..h.len() - 1];
        if inner.is_empty() || !inner.chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.') {
            return None;
        }
        (h, rest.strip_prefix(':').or(if rest.is_empty() { Some("") } else { None })?)
    } else {
        match host_port.rfind(':') {
            Some(i) => (&host_port[..i], &host_port[i + 1..]),
            None => (host_port, ""),
        }
    };
    if !port.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if !(host.starts_with('[') || is_ipv4(host) || is_hostname(host)) {
        return None;
    }
    Some((user_info, host))
}

/// Parses `s` as `java.net.URI` does; `None` where Java raises
/// `URISyntaxException`.
pub fn parse_uri(s: &str) -> Option<Uri<'_>> {
    if s.is_empty() {
        return Some(Uri { path: Some(""), ..Default::default() });
    }
    if s.chars().any(is_illegal) || !escapes_ok(s) {
        return None;
    }
    let mut uri = Uri::default();
    let (rest, fragment) = match s.find('#') {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    if fragment.is_some_and(|f| f.contains('#')) {
        return None;
    }
    uri.fragment = fragment;
    let mut rest = rest;
    if let Some(i) = rest.find(':') {
        let scheme = &rest[..i];
        if !scheme.contains(['/', '?']) {
            if !is_scheme(scheme) {
                return None;
            }
            uri.scheme = Some(scheme);
            rest = &rest[i + 1..];
            if rest.is_empty() {
                return None;
            }
            if !rest.starts_with('/') {
                // An opaque URI (`mailto:x@y`): no path, query or host.
                return Some(uri);
            }
        }
    }
    let (before_query, query) = match rest.find('?') {
        Some(i) => (&rest[..i], Some(&rest[i + 1..])),
        None => (rest, None),
    };
    uri.query = query;
    let path = if let Some(after) = before_query.strip_prefix("//") {
        let end = after.find('/').unwrap_or(after.len());
        let authority = &after[..end];
        if !authority.is_empty() {
            uri.authority = Some(authority);
            if let Some((user_info, host)) = server_authority(authority) {
                uri.user_info = user_info;
                uri.host = Some(host);
            } else if authority.contains(['[', ']']) {
                return None;
            }
        } else if uri.scheme.is_some() && after[end..].is_empty() && query.is_none() {
            return None;
        }
        &after[end..]
    } else {
        before_query
    };
    if path.contains(['[', ']']) || query.is_some_and(|q| q.contains(['[', ']'])) {
        return None;
    }
    uri.path = Some(path);
    Some(uri)
}

/// The part of a parsed URI `part` names (`None` for an unknown part).
pub fn url_part(uri: &Uri<'_>, part: &str) -> Option<String> {
    match part {
        "HOST" => uri.host.map(str::to_string),
        "PATH" => uri.path.map(str::to_string),
        "QUERY" => uri.query.map(str::to_string),
        "REF" => uri.fragment.map(str::to_string),
        "PROTOCOL" => uri.scheme.map(str::to_string),
        "FILE" => match (uri.path, uri.query) {
            (Some(p), Some(q)) => Some(format!("{p}?{q}")),
            (p, _) => p.map(str::to_string),
        },
        "AUTHORITY" => uri.authority.map(str::to_string),
        "USERINFO" => uri.user_info.map(str::to_string),
        _ => None,
    }
}

/// The value of `key` in a query string: what follows the first `key=`
/// at the start or after `&`, up to the next `&`.
pub fn query_value(query: &str, key: &str) -> Option<String> {
    query.split('&').find_map(|pair| pair.strip_prefix(key).and_then(|v| v.strip_prefix('=')).map(str::to_string))
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkParseUrl {
    signature: Signature,
    /// Malformed URLs are errors (ANSI `parse_url`), not NULL.
    fail_on_error: bool,
}

impl SparkParseUrl {
    pub fn udf(fail_on_error: bool) -> Arc<ScalarUDF> {
        let signature = Signature::one_of(
            vec![TypeSignature::Exact(vec![DataType::Utf8, DataType::Utf8]), TypeSignature::Exact(vec![DataType::Utf8, DataType::Utf8, DataType::Utf8])],
            Volatility::Immutable,
        );
        Arc::new(ScalarUDF::new_from_impl(Self { signature, fail_on_error }))
    }
}

impl ScalarUDFImpl for SparkParseUrl {
    fn name(&self) -> &str {
        if self.fail_on_error { "spark_parse_url" } else { "spark_try_parse_url" }
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = crate::arg_arrays(&args)?;
        let strings: Vec<_> = arrays.iter().filter_map(|a| a.as_string_opt::<i32>()).collect();
        if strings.len() != arrays.len() || strings.len() < 2 {
            return exec_err!("parse_url expects string arguments");
        }
        let (urls, parts, keys) = (strings[0], strings[1], strings.get(2));
        let mut out = StringBuilder::with_capacity(urls.len(), urls.value_data().len());
        for i in 0..urls.len() {
            if urls.is_null(i) || parts.is_null(i) || keys.is_some_and(|k| k.is_null(i)) {
                out.append_null();
                continue;
            }
            let url = urls.value(i);
            let Some(uri) = parse_uri(url) else {
                if self.fail_on_error {
                    return Err(SparkRuntimeError::new(
                        RuntimeKind::IllegalArgument,
                        "INVALID_URL",
                        "22P02",
                        format!("The url is invalid: {url}. Use `try_parse_url` to tolerate invalid URL and return NULL instead."),
                    )
                    .param("url", url)
                    .into_df());
                }
                out.append_null();
                continue;
            };
            let value = match keys {
                Some(k) if parts.value(i) == "QUERY" => uri.query.and_then(|q| query_value(q, k.value(i))),
                Some(_) => None,
                None => url_part(&uri, parts.value(i)),
            };
            out.append_option(value);
        }
        crate::columnar(Arc::new(out.finish()) as ArrayRef, scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(url: &str, p: &str) -> Option<String> {
        parse_uri(url).and_then(|u| url_part(&u, p))
    }

    #[test]
    fn parts_as_java_uri() {
        let u = "http://user:pw@a.com:80/p/q.html?x=1&y=2#frag";
        assert_eq!(part(u, "HOST").as_deref(), Some("a.com"));
        assert_eq!(part(u, "AUTHORITY").as_deref(), Some("user:pw@a.com:80"));
        assert_eq!(part(u, "USERINFO").as_deref(), Some("user:pw"));
        assert_eq!(part(u, "FILE").as_deref(), Some("/p/q.html?x=1&y=2"));
        assert_eq!(part(u, "REF").as_deref(), Some("frag"));
        assert_eq!(part("https://b.org", "PATH").as_deref(), Some(""));
        assert_eq!(part("mailto:x@y.com", "PROTOCOL").as_deref(), Some("mailto"));
        assert_eq!(part("mailto:x@y.com", "PATH"), None);
        assert_eq!(part("/relative/path?z=1", "PATH").as_deref(), Some("/relative/path"));
        assert_eq!(part("http://[::1]:443/x", "HOST").as_deref(), Some("[::1]"));
        assert_eq!(part("http://a_b.com/x", "HOST"), None);
        assert_eq!(part("http://a_b.com/x", "AUTHORITY").as_deref(), Some("a_b.com"));
        assert!(parse_uri("not a url").is_none());
        assert!(parse_uri("http://a.com/%zz").is_none());
    }

    #[test]
    fn query_keys() {
        assert_eq!(query_value("x=1&y=2", "y").as_deref(), Some("2"));
        assert_eq!(query_value("x=1&x=2", "x").as_deref(), Some("1"));
        assert_eq!(query_value("xx=1", "x"), None);
    }
}
