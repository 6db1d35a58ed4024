//! Temporary views: named, already-resolved relations.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use crate::ResolvedRelation;

/// A temp view as Spark keeps it: the analyzed plan, resolved when created.
#[derive(Debug, Clone)]
pub struct TempView {
    pub name: String,
    pub relation: ResolvedRelation,
}

/// The temp views of one session (or the global ones, under `global_temp`).
#[derive(Debug, Default)]
pub struct ViewCatalog {
    views: RwLock<HashMap<String, Arc<TempView>>>,
}

impl ViewCatalog {
    fn key(name: &str) -> String {
        name.to_ascii_lowercase()
    }

    pub fn get(&self, name: &str) -> Option<Arc<TempView>> {
        self.views.read().ok()?.get(&Self::key(name)).cloned()
    }

    /// Registers a view; returns false if it exists and `replace` is false.
    pub fn put(&self, view: TempView, replace: bool) -> bool {
        let Ok(mut views) = self.views.write() else { return false };
        let key = Self::key(&view.name);
        if !replace && views.contains_key(&key) {
            return false;
        }
        views.insert(key, Arc::new(view));
        true
    }

    pub fn remove(&self, name: &str) -> bool {
        self.views.write().map(|mut v| v.remove(&Self::key(name)).is_some()).unwrap_or(false)
    }

    /// View names as created, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .views
            .read()
            .map(|v| v.values().map(|t| t.name.clone()).collect())
            .unwrap_or_default();
        names.sort();
        names
    }
}
