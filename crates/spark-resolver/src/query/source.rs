//! Leaf relations and simple unary ones: range, local data, VALUES, one row,
//! tables and views, CTEs, filter, limit, offset, tail, alias, sample.

use std::sync::Arc;

use datafusion::arrow::array::RecordBatch;
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::{Field, Schema};
use datafusion::common::{DFSchema, ScalarValue};
use datafusion::datasource::provider_as_source;
use datafusion::logical_expr::{EmptyRelation, Expr as DfExpr, LogicalPlan, LogicalPlanBuilder, lit};
use spark_plan::{Cte, DataType, Expr, ReadSource, Relation};

use super::recursive_cte::reads_table;

use crate::local_sources::{LocalRelationTable, RangeTable};
use crate::resolver::{Resolver, fresh_id, id_col};
use crate::types::{from_arrow, to_arrow};
use crate::{ResolveError, ResolveResult, ResolvedColumn, ResolvedRelation};

/// A function call that is constant over its arguments (not `rand()`).
fn is_constant_call(e: &DfExpr) -> bool {
    matches!(e, DfExpr::ScalarFunction(f) if f.func.signature().volatility == datafusion::logical_expr::Volatility::Immutable)
}

/// The rows of a `VALUES` plan whose cells are all constant, evaluated.
fn inline_rows(plan: &LogicalPlan) -> Option<LocalRelationTable> {
    use datafusion::common::tree_node::TreeNode;
    use datafusion::logical_expr::Volatility;
    let LogicalPlan::Values(values) = plan else {
        return None;
    };
    let constant = |e: &DfExpr| {
        !e.exists(|x| {
            Ok(match x {
                DfExpr::ScalarFunction(f) => f.func.signature().volatility != Volatility::Immutable,
                DfExpr::Column(_)
                | DfExpr::OuterReferenceColumn(..)
                | DfExpr::ScalarSubquery(_)
                | DfExpr::Exists(_)
                | DfExpr::InSubquery(_)
                | DfExpr::Placeholder(_)
                | DfExpr::ScalarVariable(..)
                | DfExpr::AggregateFunction(_)
                | DfExpr::WindowFunction(_) => true,
                _ => false,
            })
        })
        .unwrap_or(true)
    };
    if !values.values.iter().flatten().all(constant) {
        return None;
    }
    let schema = Arc::new(values.schema.as_arrow().clone());
    let mut columns = Vec::with_capacity(schema.fields().len());
    for (c, field) in schema.fields().iter().enumerate() {
        let mut cells = Vec::with_capacity(values.values.len());
        for row in &values.values {
            let cell = crate::local_sources::constant_array(row.get(c)?)?;
            cells.push(if cell.data_type() == field.data_type() { cell } else { cast(&cell, field.data_type()).ok()? });
        }
        let refs: Vec<&dyn datafusion::arrow::array::Array> = cells.iter().map(|a| a.as_ref()).collect();
        columns.push(datafusion::arrow::compute::concat(&refs).ok()?);
    }
    let batch = RecordBatch::try_new(schema.clone(), columns).ok()?;
    // Spark's nullability inside arrays, maps and structs, as the cells say.
    let spark_types = (0..schema.fields().len()).map(|i| crate::nested_nullability::spark_column_type(plan, i)).collect();
    Some(LocalRelationTable::try_new(schema, vec![batch]).ok()?.with_spark_types(spark_types))
}

impl Resolver<'_> {
    pub(crate) fn resolve_range(&mut self, start: i64, end: i64, step: i64, num_partitions: Option<i32>) -> ResolveResult<ResolvedRelation> {
        if step == 0 {
            return Err(ResolveError::IllegalArgument("requirement failed: step (0) cannot be 0".into()));
        }
        let span = i128::from(end) - i128::from(start);
        let rows = if (span > 0) == (step > 0) && span != 0 { (span.abs() + i128::from(step).abs() - 1) / i128::from(step).abs() } else { 0 };
        let rows = u64::try_from(rows).unwrap_or(u64::MAX);
        let partitions = num_partitions.map_or(self.config.default_parallelism as u64, |n| n.max(1) as u64);
        let slices = super::spark_slices::slices(rows, partitions);
        let table = RangeTable::new(start, step, rows, slices.clone());
        let plan = LogicalPlanBuilder::scan("range", provider_as_source(Arc::new(table)), None)?.build()?;
        let id = fresh_id();
        let plan = LogicalPlanBuilder::from(plan)
            .project(vec![DfExpr::Column(datafusion::common::Column::new_unqualified("value")).alias(id.clone())])?
            .build()?;
        self.record_slices(&id, slices, true);
        Ok(ResolvedRelation { plan, columns: vec![ResolvedColumn::new(id, "id".into())] })
    }

    pub(crate) fn resolve_one_row(&mut self) -> ResolveResult<ResolvedRelation> {
        let plan = LogicalPlan::EmptyRelation(EmptyRelation {
            produce_one_row: true,
            schema: Arc::new(DFSchema::empty()),
        });
        Ok(ResolvedRelation { plan, columns: vec![] })
    }

    /// Registers record batches as a scan, labelling columns with fresh ids.
    pub(crate) fn scan_batches(&self, schema: Arc<Schema>, batches: Vec<RecordBatch>, names: Vec<String>) -> ResolveResult<ResolvedRelation> {
        let ids: Vec<String> = names.iter().map(|_| fresh_id()).collect();
        // The scan's own column names differ from the ids it is projected to:
        // DataFusion's optimizer rejects a schema holding both `local.x` and `x`.
        let scan_names: Vec<String> = (0..ids.len()).map(|i| format!("c{i}")).collect();
        let id_fields: Vec<Field> = schema
            .fields()
            .iter()
            .zip(&scan_names)
            .map(|(f, n)| f.as_ref().clone().with_name(n.clone()))
            .collect();
        let id_schema = Arc::new(Schema::new(id_fields));
        let batches = batches
            .into_iter()
            .map(|b| RecordBatch::try_new(id_schema.clone(), b.columns().to_vec()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(datafusion::error::DataFusionError::from)?;
        let table = LocalRelationTable::try_new(id_schema, batches)?;
        let plan = LogicalPlanBuilder::scan("local", provider_as_source(Arc::new(table)), None)?.build()?;
        // Drop the scan's table qualifier so columns are addressed by id alone.
        let plan = LogicalPlanBuilder::from(plan)
            .project(scan_names.iter().zip(&ids).map(|(n, id)| DfExpr::Column(datafusion::common::Column::new(Some("local"), n)).alias(id.clone())))?
            .build()?;
        let columns = ids.into_iter().zip(names).map(|(id, name)| ResolvedColumn::new(id, name)).collect();
        Ok(ResolvedRelation { plan, columns })
    }

    pub(crate) fn resolve_local_relation(&mut self, data: Option<&Vec<u8>>, schema: Option<&DataType>) -> ResolveResult<ResolvedRelation> {
        let tz = self.config.time_zone.clone();
        let mut batches = Vec::new();
        let mut arrow_schema: Option<Arc<Schema>> = None;
        if let Some(bytes) = data.filter(|b| !b.is_empty()) {
            let (schema, read) = crate::ipc::read_stream(bytes).map_err(|e| ResolveError::invalid(format!("invalid Arrow IPC data in local relation: {e}")))?;
            arrow_schema = Some(schema);
            batches = read;
        }
        // The Spark schema: explicit, else the one the Arrow data implies.
        let spark_fields = match (schema, &arrow_schema) {
            (Some(DataType::Struct(fields)), _) => fields.clone(),
            (Some(other), _) => vec![spark_plan::StructField::new("value", other.clone(), true)],
            (None, Some(s)) => s
                .fields()
                .iter()
                .map(|f| Ok(spark_plan::StructField::new(f.name().clone(), from_arrow(f.data_type())?, f.is_nullable())))
                .collect::<ResolveResult<Vec<_>>>()?,
            (None, None) => return Err(ResolveError::invalid("a local relation needs data or a schema")),
        };
        let fields: Vec<Field> = spark_fields
            .iter()
            .map(|f| Ok(Field::new(&f.name, to_arrow(&f.data_type, &tz)?, f.nullable || true)))
            .collect::<ResolveResult<Vec<_>>>()?;
        let target = Arc::new(Schema::new(fields));
        if let Some(s) = &arrow_schema {
            if s.fields().len() != target.fields().len() {
                return Err(ResolveError::invalid(format!(
                    "local relation schema has {} columns but its data has {}",
                    target.fields().len(),
                    s.fields().len()
                )));
            }
        }
        let batches = batches
            .into_iter()
            .map(|b| {
                let cols = b
                    .columns()
                    .iter()
                    .zip(target.fields())
                    .map(|(c, f)| if c.data_type() == f.data_type() { Ok(c.clone()) } else { cast(c, f.data_type()) })
                    .collect::<Result<Vec<_>, _>>()?;
                RecordBatch::try_new(target.clone(), cols)
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(datafusion::error::DataFusionError::from)?;
        let names = spark_fields.iter().map(|f| f.name.clone()).collect();
        let rows: usize = batches.iter().map(|b| b.num_rows()).sum();
        let mut r = self.scan_batches(target, batches, names)?;
        // Spark splits local rows into min(rows, parallelism) slices (for sampling).
        if let Some(first) = r.columns.first().map(|c| c.id.clone()) {
            let partitions = rows.clamp(1, self.config.default_parallelism.max(1)) as u64;
            self.record_slices(&first, super::spark_slices::slices(rows as u64, partitions), false);
        }
        // The data is read as nullable; the columns are as the schema says.
        for (c, f) in r.columns.iter_mut().zip(&spark_fields) {
            c.nullable = Some(f.nullable);
        }
        Ok(r)
    }

    pub(crate) fn resolve_values(&mut self, rows: &[Vec<Expr>], names: &[String]) -> ResolveResult<ResolvedRelation> {
        let empty = self.resolve_one_row()?;
        let width = rows.first().map(|r| r.len()).unwrap_or(0);
        let mut df_rows: Vec<Vec<DfExpr>> = Vec::with_capacity(rows.len());
        // Spark's nullability of each column: nullable if any row's value is.
        let mut nullable = vec![false; width];
        for row in rows {
            if row.len() != width {
                return Err(ResolveError::analysis(
                    "INVALID_INLINE_TABLE.NUM_COLUMNS_MISMATCH",
                    "42000",
                    format!("Invalid inline table. Inline table expected {width} columns but found {} columns in row 1.", row.len()),
                    &[],
                ));
            }
            let resolved = row.iter().map(|e| self.resolve_expr(e, &empty)).collect::<ResolveResult<Vec<_>>>()?;
            for (c, r) in resolved.iter().enumerate() {
                let n = self.is_nullable(r, &empty);
                nullable[c] |= n;
            }
            df_rows.push(resolved.into_iter().map(|r| r.expr).collect());
        }
        // Cast each column to the widest type among rows.
        for c in 0..width {
            let mut target: Option<datafusion::arrow::datatypes::DataType> = None;
            for r in &df_rows {
                let t = self.arrow_type(&r[c], &empty)?;
                target = Some(match target {
                    None => t,
                    Some(cur) if cur.is_null() => t,
                    Some(cur) if t.is_null() => cur,
                    Some(cur) => match crate::expression::wider_decimal(&cur, &t) {
                        Some(wider) => wider,
                        None => {
                            let (a, _) = self.coerce_pair(DfExpr::Literal(ScalarValue::try_from(&cur)?, None), DfExpr::Literal(ScalarValue::try_from(&t)?, None), &empty)?;
                            self.arrow_type(&a, &empty)?
                        }
                    },
                });
            }
            if let Some(t) = target {
                for r in df_rows.iter_mut() {
                    let e = std::mem::replace(&mut r[c], lit(0));
                    r[c] = self.cast_if_needed(e, &t, &empty)?;
                }
                unify_literal_metadata(&mut df_rows, c, &t)?;
            }
        }
        let plan = LogicalPlanBuilder::values(df_rows)?.build()?;
        // Constant rows are a local relation, as Spark makes them.
        let plan = match inline_rows(&plan) {
            Some(table) => LogicalPlanBuilder::scan("values", provider_as_source(Arc::new(table)), None)?.build()?,
            None => plan,
        };
        let names: Vec<String> = (0..width)
            .map(|i| names.get(i).cloned().unwrap_or_else(|| format!("col{}", i + 1)))
            .collect();
        let items = plan
            .schema()
            .fields()
            .iter()
            .zip(names)
            .zip(nullable)
            .map(|((f, n), nullable)| {
                let column = ResolvedColumn { nullable: Some(nullable), ..ResolvedColumn::new(fresh_id(), n) };
                (DfExpr::Column(datafusion::common::Column::new_unqualified(f.name())), column)
            })
            .collect();
        self.project(plan, items)
    }

    pub(crate) fn resolve_read(&mut self, source: &ReadSource) -> ResolveResult<ResolvedRelation> {
        match source {
            ReadSource::Table { name } => self.resolve_table(name),
            ReadSource::DataSource { format, schema, options, paths } => {
                self.resolve_data_source(format.as_deref(), schema.as_ref(), options, paths)
            }
        }
    }

    fn resolve_table(&mut self, name: &[String]) -> ResolveResult<ResolvedRelation> {
        if let [single] = name {
            for scope in self.ctes.iter().rev() {
                if let Some(r) = scope.iter().find(|(k, _)| self.config.name_eq(k, single)).map(|(_, v)| v.clone()) {
                    let mut r = self.with_fresh_ids(r)?;
                    for c in &mut r.columns {
                        c.qualifier = vec![single.clone()];
                    }
                    return Ok(r);
                }
            }
        }
        let (catalog, view_name, qualifier) = match name {
            [n] => (self.views, n.clone(), vec![n.clone()]),
            [db, n] if db.eq_ignore_ascii_case("global_temp") => (self.global_views, n.clone(), vec![db.clone(), n.clone()]),
            // Spark's SQL on files: `SELECT * FROM parquet.`/data/t``.
            [format, path] if super::read::is_file_format(format) => {
                return self.resolve_data_source(Some(format), None, &Default::default(), std::slice::from_ref(path));
            }
            _ => return self.resolve_persistent_table(name),
        };
        let Some(view) = catalog.get(&view_name) else {
            return self.resolve_persistent_table(name);
        };
        let mut r = self.with_fresh_ids(view.relation.clone())?;
        for c in &mut r.columns {
            c.qualifier = qualifier.clone();
        }
        Ok(r)
    }

    pub(crate) fn resolve_with(&mut self, input: &Relation, ctes: &[Cte], recursive: bool) -> ResolveResult<ResolvedRelation> {
        self.ctes.push(Default::default());
        let result = (|| {
            for cte in ctes {
                let r = if recursive && reads_table(&cte.query, &cte.name) { self.resolve_recursive_cte(cte)? } else { self.resolve_query(&cte.query)? };
                if let Some(scope) = self.ctes.last_mut() {
                    scope.insert(cte.name.clone(), r);
                }
            }
            self.resolve(input)
        })();
        self.ctes.pop();
        result
    }

    pub(crate) fn resolve_filter(&mut self, input: &Relation, condition: &Expr) -> ResolveResult<ResolvedRelation> {
        if let Some(r) = self.partition_numbered_input(input, &[condition])? {
            let condition = super::partition_id::reading_partition_id(std::slice::from_ref(condition)).remove(0);
            let filtered = self.apply_filter(r, &condition)?;
            return self.drop_hidden(filtered);
        }
        let r = self.resolve(input)?;
        match self.apply_filter(r, condition) {
            Ok(filtered) => Ok(filtered),
            Err(err) if matches!(input.kind, spark_plan::RelationKind::Aggregate { .. }) => self.filter_over_aggregate(input, condition, err),
            Err(err) => self.retry_with_dropped_columns(input, err, |s, r| s.apply_filter(r, condition)),
        }
    }

    /// `QUALIFY condition` over a SELECT: a filter that needs a window
    /// function in the condition or the select list. Over an aggregation
    /// the condition reads its output only (Spark resolves no aggregate in it).
    pub(crate) fn resolve_qualify(&mut self, input: &Relation, condition: &Expr) -> ResolveResult<ResolvedRelation> {
        let in_select = match &input.kind {
            spark_plan::RelationKind::Project { exprs, .. } => exprs.iter().any(Expr::contains_window),
            spark_plan::RelationKind::Aggregate { aggregates, .. } => aggregates.iter().any(Expr::contains_window),
            _ => false,
        };
        if !in_select && !condition.contains_window() {
            return Err(ResolveError::analysis(
                "QUALIFY_REQUIRES_WINDOW_FUNCTION",
                "42903",
                "The QUALIFY clause requires at least one window function in the current SELECT list or the QUALIFY condition.",
                &[],
            ));
        }
        if matches!(input.kind, spark_plan::RelationKind::Aggregate { .. }) {
            let r = self.resolve(input)?;
            return self.apply_filter(r, condition);
        }
        self.resolve_filter(input, condition)
    }

    /// The rows of `r` where `condition` holds.
    pub(crate) fn apply_filter(&mut self, r: ResolvedRelation, condition: &Expr) -> ResolveResult<ResolvedRelation> {
        let c = self.resolve_expr(condition, &r)?;
        let t = self.arrow_type(&c.expr, &r)?;
        if !matches!(t, datafusion::arrow::datatypes::DataType::Boolean | datafusion::arrow::datatypes::DataType::Null) {
            return Err(ResolveError::analysis(
                "DATATYPE_MISMATCH.FILTER_NOT_BOOLEAN",
                "42K09",
                format!("Cannot resolve \"{}\" due to data type mismatch: Filter expression \"{}\" of type \"{}\" is not a boolean.", c.name, c.name, from_arrow(&t).map(|t| t.sql()).unwrap_or_default()),
                &[],
            ));
        }
        if super::project::contains_aggregate(&c.expr) {
            return Err(self.invalid_where_condition(condition, &c.name, &r));
        }
        if super::project::contains_window(&c.expr) {
            return self.filter_on_windows(r, c.expr, c.name);
        }
        let plan = LogicalPlanBuilder::from(r.plan).filter(c.expr)?.build()?;
        Ok(ResolvedRelation { plan, columns: r.columns })
    }

    /// Spark's INVALID_WHERE_CONDITION for aggregates in a filter, listing
    /// them as Spark prints them.
    fn invalid_where_condition(&mut self, condition: &Expr, shown: &str, r: &ResolvedRelation) -> ResolveError {
        let mut found = Vec::new();
        let mut stack = vec![condition];
        while let Some(e) = stack.pop() {
            if let Expr::Function { args, .. } = e {
                match self.resolve_expr(e, r) {
                    Ok(f) if matches!(f.expr, DfExpr::AggregateFunction(_)) => found.push(f.name),
                    _ => stack.extend(args.iter().rev()),
                }
            }
        }
        ResolveError::analysis(
            "INVALID_WHERE_CONDITION",
            "42903",
            format!("The WHERE condition \"{shown}\" contains invalid expressions: {}.\nRewrite the query to avoid window functions, aggregate functions, and generator functions in the WHERE clause.", found.join(", ")),
            &[("condition", format!("\"{shown}\"")), ("expressionList", found.join(", "))],
        )
    }

    /// A filter over window functions (`QUALIFY`): the windows are computed
    /// below it and dropped above it.
    fn filter_on_windows(&mut self, r: ResolvedRelation, condition: DfExpr, name: String) -> ResolveResult<ResolvedRelation> {
        let columns = r.columns.clone();
        let item = super::project::ProjectItem { expr: condition, name, passthrough: None, nullable: None };
        let (windowed, mut items) = self.plan_windows(r, vec![item])?;
        let condition = items.remove(0).expr;
        let plan = LogicalPlanBuilder::from(windowed.plan)
            .filter(condition)?
            .project(columns.iter().map(|c| crate::resolver::id_col(&c.id)))?
            .build()?;
        Ok(ResolvedRelation { plan, columns })
    }

    /// `LIMIT expr` / `OFFSET expr`: a constant INT that is not NULL, as
    /// Spark checks it (INVALID_LIMIT_LIKE_EXPRESSION), then its rows.
    pub(crate) fn resolve_limit_expression(&mut self, input: &Relation, value: &Expr, offset: bool) -> ResolveResult<ResolvedRelation> {
        use datafusion::common::tree_node::TreeNode;
        let name = if offset { "offset" } else { "limit" };
        let r = self.resolve(input)?;
        let v = self.resolve_expr(value, &r)?;
        let shown = format!("\"{}\"", v.name);
        let invalid = |kind: &str, why: String, extra: Option<(&str, String)>| {
            let mut params = vec![("name", name.to_string()), ("expr", shown.clone())];
            params.extend(extra);
            ResolveError::analysis(
                &format!("INVALID_LIMIT_LIKE_EXPRESSION.{kind}"),
                "42K0E",
                format!("The limit like expression {shown} is invalid. {why}"),
                &params,
            )
        };
        let foldable = !v.expr.exists(|e| Ok(matches!(e, DfExpr::Column(_) | DfExpr::ScalarSubquery(_) | DfExpr::ScalarFunction(_) if !is_constant_call(e)))).unwrap_or(true);
        if !foldable {
            return Err(invalid("IS_UNFOLDABLE", format!("The {name} expression must evaluate to a constant value."), None));
        }
        let t = self.arrow_type(&v.expr, &r)?;
        if t != datafusion::arrow::datatypes::DataType::Int32 {
            let sql = crate::types::quoted_sql(&t);
            return Err(invalid("DATA_TYPE", format!("The {name} expression must be integer type, but got {sql}."), Some(("dataType", sql.clone()))));
        }
        let n = match crate::expression::constant_value(&v.expr) {
            Some(ScalarValue::Int32(Some(n))) => i64::from(n),
            Some(ScalarValue::Int32(None)) => return Err(invalid("IS_NULL", format!("The evaluated {name} expression must not be null."), None)),
            _ => return Err(invalid("IS_UNFOLDABLE", format!("The {name} expression must evaluate to a constant value."), None)),
        };
        if n < 0 {
            return Err(invalid("IS_NEGATIVE", format!("The {name} expression must be equal to or greater than 0, but got {n}."), Some(("v", n.to_string()))));
        }
        if offset { self.apply_offset(r, n) } else { self.apply_limit(r, n) }
    }

    pub(crate) fn resolve_limit(&mut self, input: &Relation, limit: i64) -> ResolveResult<ResolvedRelation> {
        if limit < 0 {
            return Err(ResolveError::analysis(
                "INVALID_LIMIT_LIKE_EXPRESSION.IS_NEGATIVE",
                "42K0E",
                format!("The limit like expression \"{limit}\" is invalid. The limit expression must be equal to or greater than 0, but got {limit}."),
                &[],
            ));
        }
        let r = self.resolve(input)?;
        self.apply_limit(r, limit)
    }

    /// The first `limit` rows of `r`.
    pub(crate) fn apply_limit(&mut self, r: ResolvedRelation, limit: i64) -> ResolveResult<ResolvedRelation> {
        let plan = LogicalPlanBuilder::from(r.plan).limit(0, Some(limit.max(0) as usize))?.build()?;
        Ok(ResolvedRelation { plan, columns: r.columns })
    }

    pub(crate) fn resolve_offset(&mut self, input: &Relation, offset: i64) -> ResolveResult<ResolvedRelation> {
        if offset < 0 {
            return Err(ResolveError::analysis(
                "INVALID_LIMIT_LIKE_EXPRESSION.IS_NEGATIVE",
                "42K0E",
                format!("The limit like expression \"{offset}\" is invalid. The offset expression must be equal to or greater than 0, but got {offset}."),
                &[],
            ));
        }
        let r = self.resolve(input)?;
        self.apply_offset(r, offset)
    }

    /// `r` without its first `offset` rows.
    pub(crate) fn apply_offset(&mut self, r: ResolvedRelation, offset: i64) -> ResolveResult<ResolvedRelation> {
        let plan = LogicalPlanBuilder::from(r.plan).limit(offset.max(0) as usize, None)?.build()?;
        Ok(ResolvedRelation { plan, columns: r.columns })
    }

    /// The last `limit` rows, in order: number the rows, keep those past `count - limit`.
    pub(crate) fn resolve_tail(&mut self, input: &Relation, limit: i64) -> ResolveResult<ResolvedRelation> {
        let r = self.resolve(input)?;
        let rn = fresh_id();
        let cnt = fresh_id();
        let count = Expr::Window {
            function: Box::new(Expr::func("count", vec![Expr::Literal(spark_plan::Literal::Integer(1))])),
            partition_by: vec![],
            order_by: vec![],
            frame: None,
        };
        let items = vec![
            // The rows in the order they come (Spark's row_number needs an
            // ORDER BY; DataFusion's numbers the input as it is).
            super::project::ProjectItem { expr: DfExpr::Cast(datafusion::logical_expr::Cast::new(Box::new(datafusion::functions_window::expr_fn::row_number()), datafusion::arrow::datatypes::DataType::Int64)), name: rn.clone(), passthrough: None, nullable: None },
            super::project::ProjectItem { expr: self.resolve_expr(&count, &r)?.expr, name: cnt.clone(), passthrough: None, nullable: None },
        ];
        let columns = r.columns.clone();
        let (windowed, items) = self.plan_windows(r, items)?;
        let mut exprs: Vec<DfExpr> = columns.iter().map(|c| id_col(&c.id)).collect();
        exprs.extend(items.into_iter().map(|i| { let n = i.name; i.expr.alias(n) }));
        let plan = LogicalPlanBuilder::from(windowed.plan)
            .project(exprs)?
            .filter(id_col(&rn).gt(DfExpr::BinaryExpr(datafusion::logical_expr::BinaryExpr::new(
                Box::new(id_col(&cnt)),
                datafusion::logical_expr::Operator::Minus,
                Box::new(lit(limit)),
            ))))?
            .project(columns.iter().map(|c| id_col(&c.id)))?
            .build()?;
        Ok(ResolvedRelation { plan, columns })
    }

    pub(crate) fn resolve_subquery_alias(&mut self, input: &Relation, alias: &str) -> ResolveResult<ResolvedRelation> {
        let mut r = self.resolve(input)?;
        for c in &mut r.columns {
            c.qualifier = vec![alias.to_string()];
        }
        Ok(r)
    }

    /// `df.sample` / `randomSplit`: rows whose seeded uniform draw falls in
    /// `[lower, upper)`, or with replacement each row a Poisson-distributed
    /// number of times. One draw per row in row order, so splits with the
    /// same seed share draws and never overlap.
    pub(crate) fn resolve_sample(
        &mut self,
        input: &Relation,
        lower: f64,
        upper: f64,
        with_replacement: bool,
        seed: Option<i64>,
    ) -> ResolveResult<ResolvedRelation> {
        use spark_functions::random::{Draw, SparkRandom};
        // Spark's checks: `df.sample` states the fraction, `randomSplit`
        // (a slice of [0, 1]) its bounds.
        let fraction = upper - lower;
        if lower == 0.0 && with_replacement && fraction < 0.0 {
            return Err(ResolveError::IllegalArgument(format!("requirement failed: Sampling fraction ({}) must be nonnegative with replacement", spark_plan::format::java_double(fraction))));
        }
        if lower == 0.0 && !with_replacement && !(0.0..=1.0).contains(&fraction) {
            return Err(ResolveError::IllegalArgument(format!("requirement failed: Sampling fraction ({}) must be on interval [0, 1] without replacement", spark_plan::format::java_double(fraction))));
        }
        if !(0.0..=1.0).contains(&lower) || !(0.0..=1.0).contains(&upper) || lower > upper {
            if !(with_replacement && lower == 0.0 && upper >= 0.0) {
                return Err(ResolveError::IllegalArgument(format!(
                    "requirement failed: Upper bound ({upper}) must be <= 1.0 and lower bound ({lower}) must be >= 0.0"
                )));
            }
        }
        let r = self.resolve(input)?;
        let seed = seed.unwrap_or_else(|| (uuid_seed() & 0x7fff_ffff_ffff) as i64);
        // Seeded per Spark partition of the input, as Spark samples.
        let slices = self.spark_slices(&r, false).unwrap_or_default();
        let columns = r.columns.clone();
        let keep: Vec<DfExpr> = columns.iter().map(|c| id_col(&c.id)).collect();
        let draw_id = fresh_id();
        let mut with_draw = keep.clone();
        let plan = if with_replacement {
            let udf = SparkRandom::partitioned(Draw::Poisson((upper - lower).to_bits()), seed, &slices);
            with_draw.push(crate::expression::call_scalar(udf, vec![]).alias(draw_id.clone()));
            let copies = fresh_id();
            let mut repeated = keep.clone();
            repeated.push(crate::expression::registry_scalar("array_repeat", vec![lit(true), id_col(&draw_id)])?.alias(copies.clone()));
            LogicalPlanBuilder::from(r.plan)
                .project(with_draw)?
                .filter(id_col(&draw_id).gt(lit(0i32)))?
                .project(repeated)?
                .unnest_column(datafusion::common::Column::from_name(copies))?
                .project(keep)?
                .build()?
        } else {
            let udf = SparkRandom::partitioned(Draw::Uniform, seed, &slices);
            with_draw.push(crate::expression::call_scalar(udf, vec![]).alias(draw_id.clone()));
            LogicalPlanBuilder::from(r.plan)
                .project(with_draw)?
                .filter(id_col(&draw_id).gt_eq(lit(lower)).and(id_col(&draw_id).lt(lit(upper))))?
                .project(keep)?
                .build()?
        };
        Ok(ResolvedRelation { plan, columns })
    }
}

/// A seed for samples that give none (Spark draws a random one).
fn uuid_seed() -> u64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos() as u64).unwrap_or(42)
}

/// Interval literals carry their fields as metadata (`interval hour`), and
/// every row of a VALUES column must agree on it: the column's fields span
/// those of all its rows (`INTERVAL '1' SECOND` and `INTERVAL '1' HOUR` make
/// `interval hour to second`), NULLs included.
fn unify_literal_metadata(rows: &mut [Vec<DfExpr>], column: usize, t: &datafusion::arrow::datatypes::DataType) -> ResolveResult<()> {
    use crate::types::INTERVAL_FIELDS_KEY;
    let fields = |m: &datafusion::common::metadata::FieldMetadata| {
        let (a, b) = m.inner().get(INTERVAL_FIELDS_KEY)?.split_once(',')?;
        Some((a.parse::<u8>().ok()?, b.parse::<u8>().ok()?))
    };
    let mut span: Option<(u8, u8)> = None;
    for r in rows.iter() {
        if let DfExpr::Literal(v, Some(m)) = &r[column] {
            if let (false, Some((a, b))) = (v.is_null(), fields(m)) {
                span = Some(span.map_or((a, b), |(s, e)| (s.min(a), e.max(b))));
            }
        }
    }
    let Some((start, end)) = span else { return Ok(()) };
    let mut m = std::collections::BTreeMap::new();
    m.insert(INTERVAL_FIELDS_KEY.to_string(), format!("{start},{end}"));
    let metadata = datafusion::common::metadata::FieldMetadata::new(m);
    for r in rows.iter_mut() {
        let e = &mut r[column];
        let null = match e {
            DfExpr::Literal(v, _) => v.is_null(),
            DfExpr::Cast(c) => matches!(c.expr.as_ref(), DfExpr::Literal(v, _) if v.is_null()),
            _ => false,
        };
        if null {
            *e = DfExpr::Literal(ScalarValue::try_from(t)?, Some(metadata.clone()));
        } else if let DfExpr::Literal(_, meta) = e {
            *meta = Some(metadata.clone());
        }
    }
    Ok(())
}
