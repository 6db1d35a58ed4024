//! Persistent tables of `spark_catalog`: a name that is not a CTE or a
//! temporary view is looked up in the catalog (`t` in the current
//! database, `db.t`, `spark_catalog.db.t`) and read as its data source,
//! with the table's own schema: its column order (partition columns last),
//! its types and the names it was created with.

use datafusion::logical_expr::{Expr as DfExpr, cast};
use spark_catalog::{TableKind, TableMeta};

use crate::resolver::{Resolver, fresh_id, id_col};
use crate::types::to_arrow;
use crate::{ResolveError, ResolveResult, ResolvedColumn, ResolvedRelation};

pub const SPARK_CATALOG: &str = "spark_catalog";

impl Resolver<'_> {
    /// The (database, table) a name means in the catalog, if it can name one.
    pub fn catalog_name(&self, name: &[String]) -> Option<(String, String)> {
        match name {
            [n] => Some((self.config.current_database.clone(), n.clone())),
            [db, n] => Some((db.clone(), n.clone())),
            [c, db, n] if c.eq_ignore_ascii_case(SPARK_CATALOG) => Some((db.clone(), n.clone())),
            _ => None,
        }
    }

    /// The catalog's entry for a name, if there is one.
    pub(crate) fn lookup_table(&self, name: &[String]) -> ResolveResult<Option<TableMeta>> {
        let (Some(catalog), Some((db, table))) = (self.tables, self.catalog_name(name)) else { return Ok(None) };
        catalog.get_table(&db, &table).map_err(|e| ResolveError::invalid(e.to_string()))
    }

    pub(crate) fn resolve_persistent_table(&mut self, name: &[String]) -> ResolveResult<ResolvedRelation> {
        let table = self.lookup_table(name)?.ok_or_else(|| ResolveError::table_not_found(name))?;
        let qualifier = vec![SPARK_CATALOG.to_string(), table.database.clone(), table.name.clone()];
        // A table this session cached (`CACHE TABLE`) reads its kept rows.
        let cached = self.views.get(&spark_plan::relation::cached_table_view(&table.database, &table.name));
        let mut r = match cached {
            Some(view) => self.with_fresh_ids(view.relation.clone())?,
            None => self.read_table(&table)?,
        };
        for c in &mut r.columns {
            c.qualifier = qualifier.clone();
        }
        Ok(r)
    }

    /// A persistent view: its SQL text, parsed and resolved now, with the
    /// column names it was created with.
    fn read_view(&mut self, view: &TableMeta) -> ResolveResult<ResolvedRelation> {
        const MAX_VIEW_NESTING: u32 = 32;
        if self.view_depth >= MAX_VIEW_NESTING {
            return Err(ResolveError::analysis(
                "VIEW_EXCEED_MAX_NESTED_DEPTH",
                "54K00",
                format!("The depth of view {} exceeds the maximum view resolution depth ({MAX_VIEW_NESTING}).", view.name),
                &[("viewName", view.name.clone()), ("maxNestedDepth", MAX_VIEW_NESTING.to_string())],
            ));
        }
        let text = view.view_text.clone().unwrap_or_default();
        let query = match spark_sql_parser::parse_statement(&text) {
            Ok(spark_plan::Plan::Query(q)) => q,
            Ok(_) => return Err(ResolveError::invalid(format!("view {} does not hold a query", view.name))),
            Err(e) => return Err(ResolveError::invalid(format!("view {} cannot be parsed: {e}", view.name))),
        };
        let names = view.fields().iter().map(|f| f.name.clone()).collect();
        let rel = spark_plan::Relation::new(spark_plan::RelationKind::ToDf { input: Box::new(query), names });
        let outer_ctes = std::mem::take(&mut self.ctes);
        self.view_depth += 1;
        let r = self.resolve_query(&rel);
        self.view_depth -= 1;
        self.ctes = outer_ctes;
        r
    }

    /// A table's rows: its data source read with its schema, columns in the
    /// table's order and types.
    pub fn read_table(&mut self, table: &TableMeta) -> ResolveResult<ResolvedRelation> {
        if table.kind == TableKind::View {
            return self.read_view(table);
        }
        let location = table.location.clone().ok_or_else(|| ResolveError::invalid(format!("table {} has no location", table.name)))?;
        let provider = table.provider.clone().unwrap_or_else(|| "parquet".into());
        let source = self.resolve_data_source(Some(&provider), Some(&table.schema), &table.options, &[location])?;
        let visible: Vec<&ResolvedColumn> = source.columns.iter().filter(|c| !c.hidden).collect();
        let tz = self.config.time_zone.clone();
        let mut items: Vec<(DfExpr, ResolvedColumn)> = Vec::with_capacity(table.fields().len());
        for field in table.fields() {
            let found = visible.iter().find(|c| c.name.eq_ignore_ascii_case(&field.name));
            let target = to_arrow(&field.data_type, &tz)?;
            let expr = match found {
                Some(c) => {
                    let current = self.arrow_type(&id_col(&c.id), &source)?;
                    if current == target { id_col(&c.id) } else { cast(id_col(&c.id), target) }
                }
                None => cast(DfExpr::Literal(datafusion::common::ScalarValue::Null, None), target),
            };
            // The table's column metadata (comments, defaults) on the result.
            let expr = match &field.metadata {
                Some(json) => {
                    let m = std::collections::BTreeMap::from([(crate::types::COLUMN_METADATA_KEY.to_string(), json.clone())]);
                    expr.alias_with_metadata(field.name.clone(), Some(datafusion::common::metadata::FieldMetadata::new(m)))
                }
                None => expr,
            };
            // File-source tables read every column as nullable, as Spark does.
            let column = ResolvedColumn { nullable: Some(true), ..ResolvedColumn::new(fresh_id(), field.name.clone()) };
            items.push((expr, column));
        }
        // Hidden columns (`_metadata`) stay addressable, as on a file source.
        for c in source.columns.iter().filter(|c| c.hidden) {
            items.push((id_col(&c.id), c.clone()));
        }
        self.project(source.plan, items)
    }
}
