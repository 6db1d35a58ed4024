//! What the resolver knows about the columns of a resolved relation.

use datafusion::logical_expr::LogicalPlan;

/// One output column: its opaque DataFusion name (`id`), the name Spark shows,
/// the qualifiers it can be addressed with (`t` in `t.a`), and the DataFrame
/// plan ids whose output it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedColumn {
    pub id: String,
    pub name: String,
    pub qualifier: Vec<String>,
    /// Hidden columns are carried for later operators (e.g. a sort key) but
    /// not part of `*` or the final output.
    pub hidden: bool,
    /// Spark's nullability where it differs from what DataFusion infers.
    pub nullable: Option<bool>,
}

impl ResolvedColumn {
    pub fn new(id: String, name: String) -> Self {
        Self { id, name, qualifier: vec![], hidden: false, nullable: None }
    }
}

/// A resolved relation: a DataFusion plan whose i-th output field is named
/// `columns[i].id`.
#[derive(Debug, Clone)]
pub struct ResolvedRelation {
    pub plan: LogicalPlan,
    pub columns: Vec<ResolvedColumn>,
}

impl ResolvedRelation {
    pub fn visible(&self) -> impl Iterator<Item = &ResolvedColumn> {
        self.columns.iter().filter(|c| !c.hidden)
    }

    pub fn names(&self) -> Vec<String> {
        self.visible().map(|c| c.name.clone()).collect()
    }
}
