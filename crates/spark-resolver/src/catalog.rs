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

    /// Removes every view whose (lower-case) name starts with `prefix`.
    pub fn remove_prefixed(&self, prefix: &str) {
        if let Ok(mut views) = self.views.write() {
            let prefix = Self::key(prefix);
            views.retain(|k, _| !k.starts_with(&prefix));
        }
    }

    /// A separate catalog holding the same views (for a cloned session).
    pub fn snapshot(&self) -> ViewCatalog {
        let views = self.views.read().map(|v| v.clone()).unwrap_or_default();
        ViewCatalog { views: RwLock::new(views) }
    }

    /// View names as created, sorted.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .views
            .read()
            .map(|v| v.values().map(|t| t.name.clone()).filter(|n| !n.starts_with(spark_plan::relation::CACHED_RELATION_PREFIX)).collect())
            .unwrap_or_default();
        names.sort();
        names
    }
}

/// A relation over batches already computed from `r` (same columns and
/// ids), for checkpoints: later reads scan the kept batches.
pub fn materialized(r: &ResolvedRelation, batches: Vec<datafusion::arrow::array::RecordBatch>) -> crate::ResolveResult<ResolvedRelation> {
    use datafusion::arrow::datatypes::{Field, Schema};
    use datafusion::logical_expr::{Expr, LogicalPlanBuilder};
    let fields = r.plan.schema().fields();
    let scan_names: Vec<String> = (0..fields.len()).map(|i| format!("c{i}")).collect();
    let schema = Arc::new(Schema::new(
        fields.iter().zip(&scan_names).map(|(f, n)| Field::new(n, f.data_type().clone(), true)).collect::<Vec<_>>(),
    ));
    let batches = batches
        .into_iter()
        .map(|b| datafusion::arrow::array::RecordBatch::try_new(schema.clone(), b.columns().to_vec()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(datafusion::error::DataFusionError::from)?;
    let table = datafusion::datasource::MemTable::try_new(schema, vec![batches])?;
    let plan = LogicalPlanBuilder::scan("cached", datafusion::datasource::provider_as_source(Arc::new(table)), None)?
        .project(
            scan_names
                .iter()
                .zip(fields.iter())
                .map(|(n, f)| Expr::Column(datafusion::common::Column::new(Some("cached"), n)).alias(f.name().clone())),
        )?
        .build()?;
    // The scan's fields are all nullable; the columns keep what they were.
    let columns = r
        .columns
        .iter()
        .zip(fields.iter())
        .map(|(c, f)| crate::ResolvedColumn { nullable: Some(c.nullable.unwrap_or(f.is_nullable())), ..c.clone() })
        .collect();
    Ok(ResolvedRelation { plan, columns })
}
