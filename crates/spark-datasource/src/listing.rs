//! Which files a `load(paths)` means, as Spark's `InMemoryFileIndex` decides:
//! a file is itself; a directory is every file below it except hidden ones
//! (names starting with `_` or `.`); a path may hold glob patterns. Files
//! under `key=value` directories carry partition values, typed as Spark's
//! `PartitioningUtils` infers them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::ScalarValue;

use crate::{SourceError, SourceResult};

/// Spark writes NULL partition values as this directory name.
const NULL_PARTITION: &str = "__HIVE_DEFAULT_PARTITION__";

pub struct PartitionDir {
    pub files: Vec<PathBuf>,
    pub partition_values: Vec<ScalarValue>,
}

pub struct Listing {
    pub dirs: Vec<PartitionDir>,
    keys: Vec<(String, DataType)>,
}

impl Listing {
    pub fn partition_fields(&self) -> Vec<Field> {
        self.keys.iter().map(|(k, t)| Field::new(k, t.clone(), true)).collect()
    }

    pub fn all_files(&self) -> Vec<PathBuf> {
        self.dirs.iter().flat_map(|d| d.files.iter().cloned()).collect()
    }
}

fn is_hidden(name: &str) -> bool {
    (name.starts_with('_') && !name.contains('=')) || name.starts_with('.') || name.ends_with("._COPYING_")
}

fn local_path(p: &str) -> PathBuf {
    PathBuf::from(p.strip_prefix("file://").or_else(|| p.strip_prefix("file:")).unwrap_or(p))
}

fn has_glob(s: &str) -> bool {
    s.contains(['*', '?', '[', '{'])
}

/// Shell-style matching of one path component: `*`, `?`, `[abc]`, `[a-z]`,
/// `[^a]`, `{x,y}`.
pub fn glob_match(pattern: &str, name: &str) -> bool {
    if let Some(open) = pattern.find('{') {
        if let Some(close) = pattern[open..].find('}').map(|c| c + open) {
            let (head, tail) = (&pattern[..open], &pattern[close + 1..]);
            return pattern[open + 1..close].split(',').any(|alt| glob_match(&format!("{head}{alt}{tail}"), name));
        }
    }
    fn go(p: &[char], n: &[char]) -> bool {
        match p.first() {
            None => n.is_empty(),
            Some('*') => (0..=n.len()).any(|i| go(&p[1..], &n[i..])),
            Some('?') => !n.is_empty() && go(&p[1..], &n[1..]),
            Some('[') => {
                let Some(end) = p.iter().position(|c| *c == ']') else { return n.first() == Some(&'[') && go(&p[1..], &n[1..]) };
                let Some(c) = n.first() else { return false };
                let mut set = &p[1..end];
                let negate = matches!(set.first(), Some('^') | Some('!'));
                if negate {
                    set = &set[1..];
                }
                let mut hit = false;
                let mut i = 0;
                while i < set.len() {
                    if i + 2 < set.len() && set[i + 1] == '-' {
                        hit |= set[i] <= *c && *c <= set[i + 2];
                        i += 3;
                    } else {
                        hit |= set[i] == *c;
                        i += 1;
                    }
                }
                hit != negate && go(&p[end + 1..], &n[1..])
            }
            Some(ch) => n.first() == Some(ch) && go(&p[1..], &n[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    go(&p, &n)
}

/// Expands a path with glob components into the existing paths it names.
fn expand_glob(path: &Path) -> Vec<PathBuf> {
    let mut current = vec![PathBuf::new()];
    for comp in path.components() {
        let s = comp.as_os_str().to_string_lossy().to_string();
        let mut next = Vec::new();
        for base in &current {
            if has_glob(&s) {
                let dir = if base.as_os_str().is_empty() { PathBuf::from(".") } else { base.clone() };
                if let Ok(entries) = std::fs::read_dir(&dir) {
                    let mut names: Vec<String> = entries.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().to_string()).collect();
                    names.sort();
                    for n in names {
                        if glob_match(&s, &n) && !is_hidden(&n) {
                            next.push(base.join(n));
                        }
                    }
                }
            } else {
                next.push(base.join(&s));
            }
        }
        current = next;
    }
    current.into_iter().filter(|p| p.exists()).collect()
}

/// Files below a directory, sorted, with the partition directory segments
/// (`key=value`) between `root` and each file.
fn walk(root: &Path, out: &mut Vec<(PathBuf, Vec<(String, String)>)>) -> SourceResult<()> {
    let mut stack = vec![(root.to_path_buf(), Vec::<(String, String)>::new())];
    while let Some((dir, parts)) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .map_err(|e| SourceError::read(&dir, e))?
            .filter_map(|e| e.ok())
            .collect();
        entries.sort_by_key(|e| e.file_name());
        let mut subdirs = Vec::new();
        for e in entries {
            let name = e.file_name().to_string_lossy().to_string();
            if is_hidden(&name) {
                continue;
            }
            let path = e.path();
            if path.is_dir() {
                let mut p = parts.clone();
                if let Some((k, v)) = name.split_once('=') {
                    p.push((k.to_string(), unescape(v)));
                }
                subdirs.push((path, p));
            } else {
                out.push((path, parts.clone()));
            }
        }
        // Depth-first in name order.
        stack.extend(subdirs.into_iter().rev());
    }
    Ok(())
}

/// Spark escapes special characters in partition values as `%XX`.
fn unescape(v: &str) -> String {
    let bytes = v.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |b: u8| (b as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub fn list(paths: &[String]) -> SourceResult<Listing> {
    let mut files: Vec<(PathBuf, Vec<(String, String)>)> = Vec::new();
    for p in paths {
        let path = local_path(p);
        let matched = if has_glob(&path.to_string_lossy()) { expand_glob(&path) } else { vec![path.clone()] };
        if matched.is_empty() || !matched.iter().all(|m| m.exists()) {
            return Err(SourceError::PathNotFound(format!("file:{}", std::path::absolute(&path).unwrap_or(path).display())));
        }
        for m in matched {
            if m.is_dir() {
                walk(&m, &mut files)?;
            } else {
                files.push((m, vec![]));
            }
        }
    }
    // Every file must sit under the same partition keys.
    let keys: Vec<String> = files.first().map(|(_, p)| p.iter().map(|(k, _)| k.clone()).collect()).unwrap_or_default();
    for (f, p) in &files {
        let these: Vec<&String> = p.iter().map(|(k, _)| k).collect();
        if these.len() != keys.len() || these.iter().zip(&keys).any(|(a, b)| !a.eq_ignore_ascii_case(b)) {
            return Err(SourceError::InvalidOption(format!(
                "Conflicting directory structures detected: {} does not have the partition columns {}.",
                f.display(),
                keys.join(", ")
            )));
        }
    }
    let types: Vec<DataType> = (0..keys.len())
        .map(|i| infer_partition_type(files.iter().map(|(_, p)| p[i].1.as_str())))
        .collect();
    let mut groups: BTreeMap<Vec<String>, Vec<PathBuf>> = BTreeMap::new();
    let mut order: Vec<Vec<String>> = Vec::new();
    for (f, p) in files {
        let values: Vec<String> = p.into_iter().map(|(_, v)| v).collect();
        if !groups.contains_key(&values) {
            order.push(values.clone());
        }
        groups.entry(values).or_default().push(f);
    }
    let mut dirs = Vec::new();
    for values in order {
        let files = groups.remove(&values).unwrap_or_default();
        let partition_values = values.iter().zip(&types).map(|(v, t)| partition_value(v, t)).collect();
        dirs.push(PartitionDir { files, partition_values });
    }
    Ok(Listing { dirs, keys: keys.into_iter().zip(types).collect() })
}

/// Spark's partition value inference: int, else bigint, else double, else
/// date, else string, widened across all values of the column.
fn infer_partition_type<'a>(values: impl Iterator<Item = &'a str>) -> DataType {
    let mut t = DataType::Null;
    for v in values {
        if v == NULL_PARTITION {
            continue;
        }
        let this = if v.parse::<i32>().is_ok() {
            DataType::Int32
        } else if v.parse::<i64>().is_ok() {
            DataType::Int64
        } else if v.parse::<f64>().is_ok() && !v.trim().is_empty() {
            DataType::Float64
        } else if is_date(v) {
            DataType::Date32
        } else {
            DataType::Utf8
        };
        t = match (&t, &this) {
            (DataType::Null, _) => this,
            (a, b) if a == b => t,
            (DataType::Int32, DataType::Int64) | (DataType::Int64, DataType::Int32) => DataType::Int64,
            (DataType::Int32 | DataType::Int64 | DataType::Float64, DataType::Int32 | DataType::Int64 | DataType::Float64) => DataType::Float64,
            _ => DataType::Utf8,
        };
    }
    if t == DataType::Null { DataType::Utf8 } else { t }
}

fn is_date(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 10 && b[4] == b'-' && b[7] == b'-' && v.chars().enumerate().all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn partition_value(v: &str, t: &DataType) -> ScalarValue {
    if v == NULL_PARTITION {
        return ScalarValue::try_from(t).unwrap_or(ScalarValue::Null);
    }
    ScalarValue::try_from_string(v.to_string(), t).unwrap_or_else(|_| ScalarValue::Utf8(Some(v.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("*.csv", "a.csv"));
        assert!(!glob_match("*.csv", "a.json"));
        assert!(glob_match("part-?", "part-1"));
        assert!(glob_match("[ab]x", "bx"));
        assert!(glob_match("[a-c]x", "cx"));
        assert!(!glob_match("[^a]x", "ax"));
        assert!(glob_match("{a,b}.txt", "b.txt"));
    }

    #[test]
    fn partition_types() {
        assert_eq!(infer_partition_type(["1", "2"].into_iter()), DataType::Int32);
        assert_eq!(infer_partition_type(["1", "9999999999"].into_iter()), DataType::Int64);
        assert_eq!(infer_partition_type(["1", "1.5"].into_iter()), DataType::Float64);
        assert_eq!(infer_partition_type(["2024-01-02"].into_iter()), DataType::Date32);
        assert_eq!(infer_partition_type(["a", "1"].into_iter()), DataType::Utf8);
        assert_eq!(infer_partition_type([NULL_PARTITION, "3"].into_iter()), DataType::Int32);
        assert_eq!(unescape("a%20b"), "a b");
    }

    #[test]
    fn hidden_files() {
        assert!(is_hidden("_SUCCESS"));
        assert!(is_hidden(".part.crc"));
        assert!(!is_hidden("part-0000.parquet"));
    }
}
