//! A plan's semantic fingerprint: a hash of the unresolved plan with the
//! client's plan ids left out (two DataFrames built the same way get other
//! ids). `sameSemantics`, `semanticHash` and `persist()` compare plans by it.

use std::collections::hash_map::DefaultHasher;
use std::fmt::Write;
use std::hash::Hasher;

use crate::Relation;

/// What plan ids print as in the derived `Debug` form; each is replaced by
/// `plan_id: None` before hashing.
const PLAN_ID: &str = "plan_id: Some(";

/// A `fmt::Write` that hashes what it is given, with plan ids erased. It
/// streams: a plan of any size hashes without building its text.
struct ErasingHasher {
    hasher: DefaultHasher,
    /// How much of `PLAN_ID` the latest characters matched.
    matched: usize,
    /// Inside a plan id's number, up to its `)`.
    skipping: bool,
}

impl ErasingHasher {
    fn feed(&mut self, s: &str) {
        self.hasher.write(s.as_bytes());
    }
}

impl Write for ErasingHasher {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        for ch in s.chars() {
            if self.skipping {
                if ch == ')' {
                    self.skipping = false;
                    self.feed("plan_id: None");
                }
                continue;
            }
            let next = PLAN_ID[self.matched..].chars().next();
            if next == Some(ch) {
                self.matched += ch.len_utf8();
                if self.matched == PLAN_ID.len() {
                    self.matched = 0;
                    self.skipping = true;
                }
                continue;
            }
            if self.matched > 0 {
                let pending = &PLAN_ID[..self.matched];
                self.hasher.write(pending.as_bytes());
                self.matched = 0;
            }
            if PLAN_ID.starts_with(ch) {
                self.matched = ch.len_utf8();
                continue;
            }
            let mut buf = [0u8; 4];
            self.hasher.write(ch.encode_utf8(&mut buf).as_bytes());
        }
        Ok(())
    }
}

impl Relation {
    /// The plan's fingerprint, blind to plan ids.
    pub fn fingerprint(&self) -> u64 {
        let mut w = ErasingHasher { hasher: DefaultHasher::new(), matched: 0, skipping: false };
        let _ = write!(w, "{self:?}");
        w.hasher.write(PLAN_ID[..w.matched].as_bytes());
        w.hasher.finish()
    }
}

#[cfg(test)]
mod tests {
    use crate::{Expr, Relation, RelationKind};

    fn project(plan_id: Option<i64>, column_plan_id: Option<i64>) -> Relation {
        let range = Relation { plan_id, kind: RelationKind::Range { start: 0, end: 5, step: 1, num_partitions: None } };
        let column = Expr::Column { name: vec!["id".into()], plan_id: column_plan_id };
        Relation { plan_id: plan_id.map(|p| p + 1), kind: RelationKind::Project { input: Box::new(range), exprs: vec![column] } }
    }

    #[test]
    fn plan_ids_do_not_count() {
        assert_eq!(project(Some(1), Some(1)).fingerprint(), project(Some(7), Some(9)).fingerprint());
        assert_eq!(project(None, None).fingerprint(), project(Some(3), Some(3)).fingerprint());
    }

    #[test]
    fn content_counts() {
        let other = Relation::new(RelationKind::Range { start: 0, end: 6, step: 1, num_partitions: None });
        assert_ne!(project(Some(1), None).fingerprint(), other.fingerprint());
        let a = Relation::new(RelationKind::Project { input: Box::new(other.clone()), exprs: vec![Expr::column("a")] });
        let b = Relation::new(RelationKind::Project { input: Box::new(other), exprs: vec![Expr::column("b")] });
        assert_ne!(a.fingerprint(), b.fingerprint());
    }
}
