//! Generators in a select list: `explode`, `posexplode`, `inline` (and
//! their `_outer` forms) and `stack`, also as table-valued functions in
//! FROM. The input gains the generator's list as a hidden column, which a
//! DataFusion Unnest turns into rows; the generated columns are then read
//! from it (struct fields for maps and `inline`).

use datafusion::arrow::datatypes::DataType as ArrowType;
use datafusion::common::{NullHandling, ScalarValue, UnnestOptions};
use datafusion::functions::core::expr_fn::get_field;
use datafusion::logical_expr::{Cast, Expr as DfExpr, LogicalPlanBuilder, lit};
use spark_plan::{Expr, Literal, PythonTableFunction};

use super::project::ProjectItem;
use crate::resolver::{Resolver, fresh_id, id_col};
use crate::{ResolveError, ResolveResult, ResolvedColumn, ResolvedRelation};

/// A generator call in a select list, with its multi-alias names.
pub(crate) struct GeneratorCall<'a> {
    pub name: String,
    pub args: &'a [Expr],
    pub aliases: Vec<String>,
    /// The table alias of a SQL `LATERAL VIEW`, qualifying the generated columns.
    pub qualifier: Option<String>,
    /// A Python UDTF (inline, or registered and called by name).
    pub python: Option<PythonTableFunction>,
}

impl Resolver<'_> {
    /// The generator at the top of a select item, if it is one.
    pub(crate) fn generator_call<'e>(&self, e: &'e Expr) -> Option<GeneratorCall<'e>> {
        match e {
            Expr::Function { name, args, .. } => {
                let lower = name.to_ascii_lowercase();
                let python = self.config.python.as_ref().and_then(|p| p.table_functions.get(&lower).cloned());
                if python.is_none() && !crate::functions::lookup(&lower).is_some_and(|f| f.is_generator()) {
                    return None;
                }
                Some(GeneratorCall { name: lower, args, aliases: vec![], qualifier: None, python })
            }
            Expr::PythonUdtf { function, args } => {
                Some(GeneratorCall { name: function.name.clone(), args, aliases: vec![], qualifier: None, python: Some(function.clone()) })
            }
            Expr::Alias { expr, names, .. } => self.generator_call(expr).map(|g| GeneratorCall { aliases: names.clone(), ..g }),
            _ => None,
        }
    }
}

use crate::expression::registry_scalar as udf;

fn is_table_argument(e: &Expr) -> bool {
    match e {
        Expr::TableArgument(_) => true,
        Expr::NamedArgument { value, .. } => is_table_argument(value),
        _ => false,
    }
}

fn hidden(id: &str) -> ResolvedColumn {
    ResolvedColumn { hidden: true, ..ResolvedColumn::new(id.to_string(), id.to_string()) }
}

impl Resolver<'_> {
    /// SQL's `LATERAL VIEW [OUTER] generator(...) [table] [AS c1, ...]`:
    /// every input column, then the generated ones (qualified by `table`).
    pub(crate) fn resolve_lateral_view(
        &mut self,
        input: &spark_plan::Relation,
        generator: &Expr,
        outer: bool,
        table_alias: Option<&str>,
        column_aliases: &[String],
    ) -> ResolveResult<ResolvedRelation> {
        let r = self.resolve(input)?;
        let Some(call) = self.generator_call(generator) else {
            // A table function that is no generator (`FROM collations()`):
            // as a projection of one row, for the function's own answer or error.
            if matches!(input.kind, spark_plan::RelationKind::OneRow) {
                let project = spark_plan::RelationKind::Project { input: Box::new(input.clone()), exprs: vec![generator.clone()] };
                return self.resolve(&spark_plan::Relation::new(project));
            }
            return Err(ResolveError::analysis(
                "UNSUPPORTED_GENERATOR.NOT_GENERATOR",
                "42K0E",
                "The generator is not supported: LATERAL VIEW needs a generator function.".to_string(),
                &[],
            ));
        };
        let name = if outer && !call.name.ends_with("_outer") { format!("{}_outer", call.name) } else { call.name.clone() };
        let call = GeneratorCall { name, aliases: column_aliases.to_vec(), qualifier: table_alias.map(str::to_string), ..call };
        let (r, generated) = self.generate(r, &call)?;
        // A table function (over one row without columns) has only the
        // generated columns (a UDTF over a TABLE argument replaces its input).
        let mut items = if matches!(input.kind, spark_plan::RelationKind::OneRow) { vec![] } else { self.resolve_select_items(&[Expr::star(None, None)], &r)? };
        let range = items.len()..items.len() + generated.len();
        items.extend(generated);
        let mut out = self.finish_projection(r, items)?;
        super::project::GeneratedItems { range, qualifier: call.qualifier.clone() }.qualify(&mut out.columns);
        Ok(out)
    }

    /// Applies a generator to `r`: the relation with one row per generated
    /// element, and the select items that read the generated columns.
    pub(crate) fn generate(&mut self, r: ResolvedRelation, g: &GeneratorCall<'_>) -> ResolveResult<(ResolvedRelation, Vec<ProjectItem>)> {
        // A UDTF over a table argument: the UDTF's rows alone.
        if let Some(udtf) = g.python.as_ref().filter(|_| g.args.iter().any(is_table_argument)) {
            if !r.columns.is_empty() {
                return Err(ResolveError::unsupported(format!("the Python UDTF `{}` with a TABLE argument beside other tables", udtf.name)));
            }
            let rows = self.resolve_udtf_over_table(udtf, g.args)?;
            let mut items: Vec<ProjectItem> =
                rows.columns.iter().map(|c| ProjectItem { expr: id_col(&c.id), name: c.name.clone(), passthrough: None, nullable: None }).collect();
            if !g.aliases.is_empty() && g.aliases.len() == items.len() {
                for (item, alias) in items.iter_mut().zip(&g.aliases) {
                    item.name = alias.clone();
                }
            }
            return Ok((rows, items));
        }
        let outer = g.name.ends_with("_outer") && g.python.is_none();
        let base = if g.python.is_some() { "inline" } else { g.name.trim_end_matches("_outer") };
        let (list, with_position) = match (base, &g.python) {
            (_, Some(udtf)) => (self.python_udtf_rows(udtf, g.args, &r)?, false),
            _ => match base {
            "stack" => (self.stack_rows(g.args, &r)?, false),
            "sql_keywords" => (sql_keywords_rows()?, false),
            // One row: the struct of the requested fields (`c0`, `c1`, ...).
            "json_tuple" => {
                let args = self.resolve_arguments(g.args, &r)?;
                let fields = udf("json_tuple", args.into_iter().map(|a| a.expr).collect())?;
                (udf("make_array", vec![fields])?, false)
            }
            _ => {
                let [arg] = g.args else {
                    return Err(crate::expression::wrong_args(&g.name, g.args.len(), "1"));
                };
                let a = self.resolve_expr(arg, &r)?;
                let t = self.arrow_type(&a.expr, &r)?;
                let list = match (&t, base) {
                    (t, "variant_explode") if spark_functions::variant::is_variant_type(t) || t.is_null() => {
                        crate::functions::call_udf(spark_functions::variant::functions::VariantEntries::udf(), vec![a.expr])
                    }
                    (_, "variant_explode") => {
                        return Err(ResolveError::analysis(
                            "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                            "42K09",
                            format!("Cannot resolve \"{}({})\" due to data type mismatch: The first parameter requires the \"VARIANT\" type, however \"{}\" has the type \"{}\".", g.name, a.name, a.name, crate::types::from_arrow(&t).map(|d| d.sql()).unwrap_or_default()),
                            &[],
                        ));
                    }
                    (ArrowType::Map(..), "explode" | "posexplode") => udf("map_entries", vec![a.expr])?,
                    (ArrowType::List(_) | ArrowType::LargeList(_) | ArrowType::FixedSizeList(..), _) => a.expr,
                    (ArrowType::Null, _) => a.expr,
                    _ => {
                        let wanted = if base == "inline" { "\"ARRAY<STRUCT>\"" } else { "(\"ARRAY\" or \"MAP\")" };
                        return Err(ResolveError::analysis(
                            "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                            "42K09",
                            format!("Cannot resolve \"{}({})\" due to data type mismatch: The first parameter requires the {wanted} type, however \"{}\" has the type \"{}\".", g.name, a.name, a.name, crate::types::from_arrow(&t).map(|d| d.sql()).unwrap_or_default()),
                            &[],
                        ));
                    }
                };
                (list, base == "posexplode")
            }
            },
        };
        // Spark's nullability of the elements (DataFusion's lists do not carry it).
        let spark_element = match crate::nested_nullability::spark_type(&list, &r.plan) {
            Some(ArrowType::List(f)) => Some(f),
            _ => None,
        };
        let known = |nullable: Option<bool>| if outer { Some(true) } else { nullable };
        // 1. The input plus the list (and the positions) as hidden columns.
        let list_id = fresh_id();
        let mut pre: Vec<(DfExpr, ResolvedColumn)> = r.columns.iter().map(|c| (id_col(&c.id), c.clone())).collect();
        pre.push((list.clone(), hidden(&list_id)));
        let pos_id = fresh_id();
        if with_position {
            let n = udf("cardinality", vec![list.clone()])?;
            let n = DfExpr::Cast(Cast::new(Box::new(n), ArrowType::Int64));
            pre.push((udf("range", vec![lit(0i64), n])?, hidden(&pos_id)));
        }
        let pre = self.project(r.plan, pre)?;
        let element_type = match self.arrow_type(&id_col(&list_id), &pre)? {
            ArrowType::List(f) | ArrowType::LargeList(f) | ArrowType::FixedSizeList(f, _) => f.data_type().clone(),
            _ => ArrowType::Null,
        };
        // 2. One row per element.
        let mut unnest = vec![datafusion::common::Column::from_name(list_id.clone())];
        if with_position {
            unnest.push(datafusion::common::Column::from_name(pos_id.clone()));
        }
        let options = UnnestOptions {
            null_handling: if outer { NullHandling::PreserveAndExpandEmpty } else { NullHandling::Drop },
            recursions: vec![],
        };
        let plan = LogicalPlanBuilder::from(pre.plan).unnest_columns_with_options(unnest, options)?.build()?;
        let generated = ResolvedRelation { plan, columns: pre.columns };
        // 3. The generated columns.
        let element = id_col(&list_id);
        let mut items = Vec::new();
        if with_position {
            let pos = DfExpr::Cast(Cast::new(Box::new(id_col(&pos_id)), ArrowType::Int32));
            items.push(ProjectItem { expr: pos, name: "pos".into(), passthrough: None, nullable: Some(outer) });
        }
        match (&element_type, base) {
            (ArrowType::Struct(fields), "variant_explode") => {
                for f in fields.iter() {
                    let nullable = if f.name() == "key" { Some(true) } else { Some(outer) };
                    items.push(ProjectItem { expr: get_field(element.clone(), f.name().as_str()), name: f.name().clone(), passthrough: None, nullable });
                }
            }
            (ArrowType::Struct(fields), "inline" | "stack" | "json_tuple" | "sql_keywords") => {
                let spark_fields = match spark_element.as_ref().map(|f| f.data_type()) {
                    Some(ArrowType::Struct(s)) if s.len() == fields.len() && base == "inline" => Some(s.clone()),
                    _ => None,
                };
                for (i, f) in fields.iter().enumerate() {
                    let nullable = if base == "sql_keywords" { Some(false) } else { known(spark_fields.as_ref().map(|s| s[i].is_nullable())) };
                    items.push(ProjectItem { expr: get_field(element.clone(), f.name().as_str()), name: f.name().clone(), passthrough: None, nullable });
                }
            }
            (ArrowType::Struct(fields), _) if fields.len() == 2 && fields[0].name() == "key" => {
                items.push(ProjectItem { expr: get_field(element.clone(), "key"), name: "key".into(), passthrough: None, nullable: Some(outer) });
                let value = match spark_element.as_ref().map(|f| f.data_type()) {
                    Some(ArrowType::Struct(kv)) if kv.len() == 2 => Some(kv[1].is_nullable()),
                    _ => None,
                };
                items.push(ProjectItem { expr: get_field(element.clone(), "value"), name: "value".into(), passthrough: None, nullable: known(value) });
            }
            _ => {
                let nullable = known(spark_element.as_ref().map(|f| f.is_nullable()));
                items.push(ProjectItem { expr: element, name: "col".into(), passthrough: None, nullable })
            }
        }
        if !g.aliases.is_empty() {
            if g.aliases.len() != items.len() {
                return Err(ResolveError::analysis(
                    "MULTI_ALIAS_WITHOUT_GENERATOR",
                    "42K0E",
                    format!("The number of aliases supplied in the AS clause does not match the number of columns output by the UDTF: expected {} aliases but got {}.", items.len(), g.aliases.join(", ")),
                    &[],
                ));
            }
            for (item, alias) in items.iter_mut().zip(&g.aliases) {
                item.name = alias.clone();
            }
        }
        Ok((generated, items))
    }

    /// `stack(n, v1, ..., vk)` as a list of n structs `col0, col1, ...`.
    fn stack_rows(&mut self, args: &[Expr], r: &ResolvedRelation) -> ResolveResult<DfExpr> {
        let Some((Expr::Literal(Literal::Integer(n)), values)) = args.split_first() else {
            return Err(ResolveError::unsupported("stack without a constant row count"));
        };
        let n = (*n).max(1) as usize;
        let width = values.len().div_ceil(n).max(1);
        let resolved = values.iter().map(|v| self.resolve_expr(v, r)).collect::<ResolveResult<Vec<_>>>()?;
        // Each output column's values share one type (NULLs take it), else
        // Spark's STACK_COLUMN_DIFF_TYPES.
        let mut types: Vec<Option<(ArrowType, usize)>> = vec![None; width];
        for (i, v) in resolved.iter().enumerate() {
            let t = self.arrow_type(&v.expr, r)?;
            let slot = &mut types[i % width];
            match slot {
                _ if t.is_null() => {}
                None => *slot = Some((t, i)),
                Some((cur, _)) if *cur == t => {}
                Some((cur, first)) => {
                    let sql = crate::types::quoted_sql;
                    let names: Vec<&str> = resolved.iter().map(|v| v.name.as_str()).collect();
                    let shown = format!("stack({n}, {})", names.join(", "));
                    let (left, right, column) = (sql(cur), sql(&t), i % width);
                    return Err(ResolveError::analysis(
                        "DATATYPE_MISMATCH.STACK_COLUMN_DIFF_TYPES",
                        "42K09",
                        format!("Cannot resolve \"{shown}\" due to data type mismatch: The data type of the column ({column}) do not have the same type: {left} ({}) <> {right} ({}).", *first + 1, i + 1),
                        &[("sqlExpr", format!("\"{shown}\"")), ("columnIndex", column.to_string()), ("leftType", left.clone()), ("leftParamIndex", (*first + 1).to_string()), ("rightType", right.clone()), ("rightParamIndex", (i + 1).to_string())],
                    ));
                }
            }
        }
        let types: Vec<Option<ArrowType>> = types.into_iter().map(|t| t.map(|(t, _)| t)).collect();
        let mut rows = Vec::with_capacity(n);
        for row in 0..n {
            let mut fields = Vec::with_capacity(width * 2);
            for col in 0..width {
                let t = types[col].clone().unwrap_or(ArrowType::Null);
                let value = match resolved.get(row * width + col) {
                    Some(v) => self.cast_if_needed(v.expr.clone(), &t, r)?,
                    None => DfExpr::Cast(Cast::new(Box::new(lit(ScalarValue::Null)), t)),
                };
                fields.push(lit(format!("col{col}")));
                fields.push(value);
            }
            rows.push(udf("named_struct", fields)?);
        }
        udf("make_array", rows)
    }
}

/// `sql_keywords()`: one struct per keyword (`keyword`, `reserved`). No
/// keyword is reserved here, as none is with Spark's default
/// `spark.sql.ansi.enforceReservedKeywords=false`.
fn sql_keywords_rows() -> ResolveResult<DfExpr> {
    use datafusion::arrow::array::{BooleanArray, ListArray, StringArray, StructArray};
    use datafusion::arrow::buffer::OffsetBuffer;
    use datafusion::arrow::datatypes::{Field, Fields};
    let words: Vec<&str> = spark_functions::sql_keywords::keywords().map(|(k, _)| k).collect();
    let fields = Fields::from(vec![Field::new("keyword", ArrowType::Utf8, false), Field::new("reserved", ArrowType::Boolean, false)]);
    let rows = StructArray::try_new(
        fields.clone(),
        vec![std::sync::Arc::new(StringArray::from(words.clone())), std::sync::Arc::new(BooleanArray::from(vec![false; words.len()]))],
        None,
    )
    .map_err(|e| ResolveError::invalid(e.to_string()))?;
    let item = std::sync::Arc::new(Field::new("item", ArrowType::Struct(fields), false));
    let list = ListArray::try_new(item, OffsetBuffer::from_lengths([words.len()]), std::sync::Arc::new(rows), None).map_err(|e| ResolveError::invalid(e.to_string()))?;
    Ok(lit(ScalarValue::List(std::sync::Arc::new(list))))
}
