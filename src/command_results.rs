//! The results of commands sent as the root `Sql` relation of a plan.
//!
//! `spark.sql()` runs a command eagerly, and Spark Connect caches the plan it
//! built for a relation (`spark.connect.session.planCache`, 16 entries), so a
//! client asking for the schema of `DataFrame(SQL("DROP VIEW v"))` and then
//! collecting it runs the command once. A command's result is kept here under
//! the relation's bytes, which include the client's plan id.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use spark_engine::CommandOutput;

/// How many command results a session keeps (Spark's planCache.maxSize).
const CAPACITY: usize = 16;

#[derive(Default)]
pub struct CommandResults {
    entries: Mutex<VecDeque<(Vec<u8>, Arc<CommandOutput>)>>,
}

impl CommandResults {
    pub fn get(&self, key: &[u8]) -> Option<Arc<CommandOutput>> {
        let entries = self.entries.lock().ok()?;
        entries.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    pub fn insert(&self, key: Vec<u8>, output: Arc<CommandOutput>) {
        if let Ok(mut entries) = self.entries.lock() {
            entries.retain(|(k, _)| *k != key);
            if entries.len() >= CAPACITY {
                entries.pop_front();
            }
            entries.push_back((key, output));
        }
    }
}

/// The cache key of a root relation: only relations with a plan id are kept,
/// as only those name one DataFrame of one client.
pub fn key_of(rel: &crate::proto::sc::Relation) -> Option<Vec<u8>> {
    rel.common.as_ref().and_then(|c| c.plan_id)?;
    Some(prost::Message::encode_to_vec(rel))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output() -> Arc<CommandOutput> {
        Arc::new(CommandOutput { schema: Arc::new(datafusion::arrow::datatypes::Schema::empty()), batches: vec![] })
    }

    #[test]
    fn keeps_the_newest_sixteen() {
        let cache = CommandResults::default();
        for i in 0..20u8 {
            cache.insert(vec![i], output());
        }
        assert!(cache.get(&[3]).is_none());
        assert!(cache.get(&[4]).is_some());
        assert!(cache.get(&[19]).is_some());
    }
}
