//! What `df.persist()` keeps for a session: the storage level of each
//! persisted plan, found by the plan's fingerprint (the unresolved plan
//! without plan ids, so a DataFrame rebuilt the same way is the same
//! persisted data, as Spark's cache manager matches equal plans). The rows
//! themselves live in the engine under [`cache_id`], computed on the first
//! action that reads them.

use std::collections::{HashMap, HashSet};

use spark_plan::Relation;

use crate::proto::sc::StorageLevel;

#[derive(Debug, Clone, Default)]
pub struct PersistedPlans {
    levels: HashMap<u64, StorageLevel>,
    /// The plan ids of persisted DataFrames: while converting a plan, only
    /// relations with one of these are fingerprinted (fingerprinting every
    /// node of a deep plan would be quadratic).
    plan_ids: HashSet<i64>,
}

/// The id under which a persisted plan's rows are kept.
pub fn cache_id(plan: &Relation) -> String {
    format!("persist-{:016x}", plan.fingerprint())
}

impl PersistedPlans {
    pub fn persist(&mut self, plan: &Relation, level: StorageLevel) {
        self.levels.insert(plan.fingerprint(), level);
        if let Some(id) = plan.plan_id {
            self.plan_ids.insert(id);
        }
    }

    /// Forgets a plan; the id of the rows to release.
    pub fn unpersist(&mut self, plan: &Relation) -> String {
        self.levels.remove(&plan.fingerprint());
        cache_id(plan)
    }

    /// The storage level of a plan: StorageLevel.NONE (one replica) when it
    /// is not persisted, as Spark answers.
    pub fn storage_level(&self, plan: &Relation) -> StorageLevel {
        let none = StorageLevel { replication: 1, ..Default::default() };
        self.levels.get(&plan.fingerprint()).cloned().unwrap_or(none)
    }

    /// The cache id of a just-converted relation, if it is persisted.
    pub fn cache_id_of(&self, plan: &Relation) -> Option<String> {
        let id = plan.plan_id?;
        if !self.plan_ids.contains(&id) {
            return None;
        }
        self.levels.contains_key(&plan.fingerprint()).then(|| cache_id(plan))
    }
}
