//! Relations that reshape their input: `unpivot`/`melt`, `to(schema)` and
//! `transpose`.

use std::sync::Arc;

use datafusion::arrow::array::{Array, RecordBatch, new_null_array};
use datafusion::arrow::datatypes::{DataType as ArrowType, Field, Schema};
use datafusion::common::ScalarValue;
use datafusion::logical_expr::LogicalPlanBuilder;
use datafusion::logical_expr::expr::Sort;
use spark_plan::{CastMode, DataType, Expr, Literal, Relation};

use crate::expression::wider_type;
use crate::resolver::{Resolver, id_col};
use crate::types::{from_arrow, to_arrow};
use crate::{ResolveError, ResolveResult, ResolvedRelation};

fn is_string(t: &ArrowType) -> bool {
    matches!(t, ArrowType::Utf8 | ArrowType::LargeUtf8 | ArrowType::Utf8View)
}

/// The least common type of values that may not mix strings with others.
fn least_common_type(types: &[ArrowType], ansi: bool) -> Option<ArrowType> {
    let mut out: Option<ArrowType> = None;
    for t in types {
        out = Some(match out {
            None => t.clone(),
            Some(cur) if cur.is_null() => t.clone(),
            Some(cur) if t.is_null() => cur,
            Some(cur) if is_string(&cur) != is_string(t) => return None,
            Some(cur) => wider_type(&cur, t, ansi)?,
        });
    }
    out
}

fn sql_type(t: &ArrowType) -> String {
    from_arrow(t).map(|d| d.sql()).unwrap_or_else(|_| t.to_string())
}

impl Resolver<'_> {
    pub(crate) fn resolve_unpivot(
        &mut self,
        input: &Relation,
        ids: Option<&[Expr]>,
        values: Option<&[Expr]>,
        variable_name: &str,
        value_name: &str,
    ) -> ResolveResult<ResolvedRelation> {
        let r = self.resolve(input)?;
        // SQL's UNPIVOT keeps every column that is not unpivoted.
        let implicit_ids: Vec<Expr>;
        let ids = match ids {
            Some(ids) => ids,
            None => {
                let mut value_cols = Vec::new();
                for v in values.unwrap_or_default() {
                    for c in self.resolve_expr(v, &r)?.expr.column_refs() {
                        value_cols.push(c.name.clone());
                    }
                }
                implicit_ids = r
                    .visible()
                    .filter(|c| !value_cols.contains(&c.id))
                    .map(|c| Expr::column(&c.name))
                    .collect();
                &implicit_ids
            }
        };
        let mut id_cols = Vec::new();
        for e in ids {
            let resolved = self.resolve_expr(e, &r)?;
            if let datafusion::logical_expr::Expr::Column(c) = &resolved.expr {
                id_cols.push(c.name.clone());
            }
        }
        let values: Vec<Expr> = match values {
            Some(v) => v.to_vec(),
            None => r
                .visible()
                .filter(|c| !id_cols.contains(&c.id))
                .map(|c| Expr::column(&c.name))
                .collect(),
        };
        if values.is_empty() {
            return Err(ResolveError::analysis(
                "UNPIVOT_REQUIRES_VALUE_COLUMNS",
                "42K0A",
                "At least one value column needs to be specified for UNPIVOT, all columns specified as ids.",
                &[],
            ));
        }
        let mut names = Vec::new();
        let mut types = Vec::new();
        let mut any_nullable = false;
        for v in &values {
            let resolved = self.resolve_expr(v, &r)?;
            types.push(self.arrow_type(&resolved.expr, &r)?);
            any_nullable |= self.is_nullable(&resolved, &r);
            names.push(resolved.name);
        }
        let common = least_common_type(&types, self.config.ansi).ok_or_else(|| {
            let listed: Vec<String> = names.iter().zip(&types).map(|(n, t)| format!("\"{}\" (`{n}`)", sql_type(t))).collect();
            let listed = listed.join(", ");
            ResolveError::analysis(
                "UNPIVOT_VALUE_DATA_TYPE_MISMATCH",
                "42K09",
                format!("Unpivot value columns must share a least common type, some types do not: [{listed}]."),
                &[("types", listed.clone())],
            )
        })?;
        let common = from_arrow(&common)?;
        // One output row per input row and value column, in that order.
        let mut stack_args = vec![Expr::Literal(Literal::Integer(values.len() as i32))];
        for (v, name) in values.into_iter().zip(&names) {
            stack_args.push(Expr::Literal(Literal::String(name.clone())));
            stack_args.push(Expr::Cast { expr: Box::new(v), to: common.clone(), mode: CastMode::Default, explicit: false });
        }
        let mut items = ids.to_vec();
        items.push(Expr::Alias {
            expr: Box::new(Expr::func("stack", stack_args)),
            names: vec![variable_name.to_string(), value_name.to_string()],
            metadata: None,
        });
        let mut out = self.project_exprs(r, &items)?;
        let n = out.columns.len();
        if let Some(var) = out.columns.get_mut(n.wrapping_sub(2)) {
            var.nullable = Some(false);
        }
        // The value is NULL only where a value column is.
        if let Some(value) = out.columns.get_mut(n.wrapping_sub(1)) {
            value.nullable = Some(any_nullable);
        }
        Ok(out)
    }

    /// `df.to(schema)`: each field of the schema, by name, cast to its type;
    /// input columns the schema does not name are dropped.
    pub(crate) fn resolve_to_schema(&mut self, input: &Relation, schema: &DataType) -> ResolveResult<ResolvedRelation> {
        let DataType::Struct(fields) = schema else {
            return Err(ResolveError::invalid("ToSchema needs a struct schema"));
        };
        let r = self.resolve(input)?;
        let mut items = Vec::with_capacity(fields.len());
        for f in fields {
            let source = match self.find_column(std::slice::from_ref(&f.name), None, &r) {
                Ok(m) => Expr::Column { name: vec![m.column.name], plan_id: None },
                Err(ResolveError::Analysis { error_class, .. }) if error_class.starts_with("UNRESOLVED_COLUMN") && f.nullable => {
                    Expr::Literal(Literal::Null(f.data_type.clone()))
                }
                Err(e) => return Err(e),
            };
            items.push(Expr::Cast { expr: Box::new(source), to: f.data_type.clone(), mode: CastMode::Default, explicit: false }.alias(&f.name));
        }
        self.project_exprs(r, &items)
    }

    /// `df.transpose(index)`: the index column's values (first column by
    /// default, sorted, NULLs dropped) become the columns; every other
    /// column becomes a row keyed by its name.
    pub(crate) fn resolve_transpose(&mut self, input: &Relation, index: &[Expr]) -> ResolveResult<ResolvedRelation> {
        let r = self.resolve(input)?;
        let visible: Vec<_> = r.visible().cloned().collect();
        let index_id = match index {
            [] => visible.first().map(|c| c.id.clone()).ok_or_else(|| ResolveError::invalid("transpose needs at least one column"))?,
            [e] => match self.resolve_expr(e, &r)?.expr {
                datafusion::logical_expr::Expr::Column(c) => c.name,
                _ => return Err(ResolveError::unsupported("transpose by an expression that is not a column")),
            },
            _ => return Err(ResolveError::unsupported("transpose with more than one index column")),
        };
        let index_type = self.arrow_type(&id_col(&index_id), &r)?;
        if matches!(index_type, ArrowType::List(_) | ArrowType::Map(..) | ArrowType::Struct(_)) {
            return Err(ResolveError::analysis(
                "TRANSPOSE_INVALID_INDEX_COLUMN",
                "42804",
                format!("Invalid index column for TRANSPOSE because: Index column must be of atomic type, but found: {}.", sql_type(&index_type)),
                &[],
            ));
        }
        let value_cols: Vec<_> = visible.iter().filter(|c| c.id != index_id).cloned().collect();
        let value_types = value_cols.iter().map(|c| self.arrow_type(&id_col(&c.id), &r)).collect::<ResolveResult<Vec<_>>>()?;
        let common = least_common_type(&value_types, self.config.ansi).unwrap_or(ArrowType::Null);
        if !value_types.is_empty() && least_common_type(&value_types, self.config.ansi).is_none() {
            return Err(ResolveError::analysis(
                "TRANSPOSE_NO_LEAST_COMMON_TYPE",
                "42K09",
                format!("Transpose requires non-index columns to share a least common type, but {} does not.", value_types.iter().map(sql_type).collect::<Vec<_>>().join(", ")),
                &[],
            ));
        }
        // The data, ordered by the index column.
        let mut projected = vec![id_col(&index_id)];
        projected.extend(value_cols.iter().map(|c| datafusion::logical_expr::cast(id_col(&c.id), common.clone())));
        let plan = LogicalPlanBuilder::from(r.plan.clone())
            .filter(id_col(&index_id).is_not_null())?
            .sort(vec![Sort::new(id_col(&index_id), true, true)])?
            .project(projected)?
            .build()?;
        let batches = self.run(plan, "transpose")?;
        let mut index_names = Vec::new();
        let mut cells: Vec<Vec<ScalarValue>> = vec![Vec::new(); value_cols.len()];
        for b in &batches {
            for row in 0..b.num_rows() {
                let key = ScalarValue::try_from_array(b.column(0), row)?;
                index_names.push(match key.cast_to(&ArrowType::Utf8) {
                    Ok(ScalarValue::Utf8(Some(s))) => s,
                    _ => key.to_string(),
                });
                for (i, cell) in cells.iter_mut().enumerate() {
                    cell.push(ScalarValue::try_from_array(b.column(i + 1), row)?);
                }
            }
        }
        // Row i of the result: the name of value column i, then its values.
        let tz = self.config.time_zone.clone();
        let common_arrow = to_arrow(&from_arrow(&common)?, &tz)?;
        let mut fields = vec![Field::new("key", ArrowType::Utf8, false)];
        fields.extend(index_names.iter().map(|n| Field::new(n, common_arrow.clone(), true)));
        let schema = Arc::new(Schema::new(fields));
        let keys: Vec<&str> = value_cols.iter().map(|c| c.name.as_str()).collect();
        let mut arrays: Vec<Arc<dyn Array>> = vec![Arc::new(datafusion::arrow::array::StringArray::from(keys))];
        for j in 0..index_names.len() {
            let column: Vec<ScalarValue> = cells.iter().map(|c| c[j].clone()).collect();
            arrays.push(if column.is_empty() { new_null_array(&common_arrow, 0) } else { ScalarValue::iter_to_array(column)? });
        }
        let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(datafusion::error::DataFusionError::from)?;
        let mut names = vec!["key".to_string()];
        names.extend(index_names);
        let mut out = self.scan_batches(schema, vec![batch], names)?;
        if let Some(k) = out.columns.first_mut() {
            k.nullable = Some(false);
        }
        Ok(out)
    }
}
