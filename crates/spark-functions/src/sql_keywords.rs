//! `sql_keywords()`: Spark's SQL keywords, as recorded from Apache Spark
//! 4.3 into `data/sql_keywords.txt`, each with whether it is reserved
//! (only when `spark.sql.ansi.enforceReservedKeywords` is true).

/// The keywords in Spark's order, with their reserved-when-enforced flag.
pub fn keywords() -> impl Iterator<Item = (&'static str, bool)> {
    include_str!("../data/sql_keywords.txt").lines().filter(|l| !l.starts_with('#') && !l.is_empty()).map(|l| match l.split_once('\t') {
        Some((k, _)) => (k, true),
        None => (l, false),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn list_is_complete() {
        assert_eq!(super::keywords().count(), 444);
        assert_eq!(super::keywords().filter(|k| k.1).count(), 81);
        assert_eq!(super::keywords().next(), Some(("ADD", false)));
    }
}
