//! Spark's nullability inside arrays, maps and structs.
//!
//! DataFusion's array constructors declare every element nullable, while
//! Spark knows `array(1, 2)` has `containsNull = false`, `map('a', 1)` has
//! `valueContainsNull = false` and `struct(1 AS a)` a non-nullable field `a`.
//! That matters twice: in the schema a client sees (`ArrayType(IntegerType(),
//! False)`) and in the nullability of what a generator produces from them
//! (`explode(array(1, 2))` gives a NOT NULL column).
//!
//! Rather than changing the types DataFusion executes with (its kernels build
//! nullable children and would then no longer match a declared schema), this
//! module derives Spark's nested nullability on demand: [`spark_type`] follows
//! an expression, and the columns it reads back through the plan, to the
//! constructors that made the value. Where it cannot tell it answers `None`
//! and callers keep DataFusion's (nullable) type.

use std::sync::Arc;

use datafusion::arrow::array::Array;
use datafusion::arrow::datatypes::{DataType, Field, Fields};
use datafusion::common::{DFSchema, ScalarValue};
use datafusion::logical_expr::{Distinct, Expr, ExprSchemable, LogicalPlan};

/// How many plan and expression levels the search follows before giving up
/// (plans can nest thousands of levels; the answer is then DataFusion's).
const MAX_DEPTH: usize = 256;

/// The type of `expr` (evaluated over `plan`'s output) with Spark's
/// nullability of array elements, map values and struct fields, or `None`
/// where it is not known better than DataFusion's type.
pub fn spark_type(expr: &Expr, plan: &LogicalPlan) -> Option<DataType> {
    expr_type(expr, plan.schema(), Some(plan), 0)
}

/// The type of the output column `index` of `plan`, as [`spark_type`].
pub fn spark_column_type(plan: &LogicalPlan, index: usize) -> Option<DataType> {
    // Only nested types have anything to add; skip the search for the rest.
    let nested = plan.schema().fields().get(index).is_some_and(|f| f.data_type().is_nested());
    if nested { column_type(plan, index, 0) } else { None }
}

fn expr_type(
    expr: &Expr,
    schema: &DFSchema,
    plan: Option<&LogicalPlan>,
    depth: usize,
) -> Option<DataType> {
    if depth > MAX_DEPTH {
        return None;
    }
    let child = |e: &Expr| expr_type(e, schema, plan, depth + 1);
    let nullable = |e: &Expr| expr_nullable(e, schema);
    match expr {
        Expr::Alias(a) => child(&a.expr),
        Expr::Column(c) => {
            let plan = plan?;
            let index = plan.schema().index_of_column(c).ok()?;
            column_type(plan, index, depth + 1)
        }
        Expr::Literal(value, _) => literal_type(value),
        Expr::Cast(c) => Some(transfer(&child(&c.expr)?, c.field.data_type())),
        Expr::ScalarFunction(f) => {
            let args = &f.args;
            match f.func.name() {
                "array" | "make_array" => {
                    let declared = expr.get_type(schema).ok()?;
                    let DataType::List(field) = &declared else {
                        return None;
                    };
                    let element = merge_all(args.iter().map(&child), field.data_type());
                    let contains_null = args.iter().any(nullable);
                    Some(DataType::List(Arc::new(
                        field
                            .as_ref()
                            .clone()
                            .with_data_type(element)
                            .with_nullable(contains_null),
                    )))
                }
                // `map(k, v, ...)` is built as `map_from_arrays` of two arrays.
                "map" | "map_from_arrays" => {
                    let declared = expr.get_type(schema).ok()?;
                    let ([keys, values], DataType::Map(entries, sorted)) =
                        (args.as_slice(), &declared)
                    else {
                        return None;
                    };
                    let DataType::Struct(kv) = entries.data_type() else {
                        return None;
                    };
                    let key = list_element(keys, &child)
                        .map(|f| f.data_type().clone())
                        .unwrap_or_else(|| kv[0].data_type().clone());
                    let value = list_element(values, &child);
                    let value = match value {
                        Some(v) => kv[1]
                            .as_ref()
                            .clone()
                            .with_data_type(v.data_type().clone())
                            .with_nullable(v.is_nullable()),
                        None => kv[1].as_ref().clone(),
                    };
                    let kv = Fields::from(vec![
                        kv[0]
                            .as_ref()
                            .clone()
                            .with_data_type(key)
                            .with_nullable(false),
                        value,
                    ]);
                    Some(DataType::Map(
                        Arc::new(
                            entries
                                .as_ref()
                                .clone()
                                .with_data_type(DataType::Struct(kv)),
                        ),
                        *sorted,
                    ))
                }
                "named_struct" | "struct" => {
                    let declared = expr.get_type(schema).ok()?;
                    let DataType::Struct(fields) = &declared else {
                        return None;
                    };
                    let values: Vec<&Expr> = if f.func.name() == "named_struct" {
                        args.iter().skip(1).step_by(2).collect()
                    } else {
                        args.iter().collect()
                    };
                    if values.len() != fields.len() {
                        return None;
                    }
                    let fields: Fields = fields
                        .iter()
                        .zip(values)
                        .map(|(f, v)| {
                            let t = child(v).unwrap_or_else(|| f.data_type().clone());
                            f.as_ref()
                                .clone()
                                .with_data_type(t)
                                .with_nullable(nullable(v))
                        })
                        .collect();
                    Some(DataType::Struct(fields))
                }
                // explode of a map reads its entries.
                "map_entries" => {
                    let [m] = args.as_slice() else { return None };
                    let DataType::Map(entries, _) = child(m)? else {
                        return None;
                    };
                    Some(DataType::List(Arc::new(Field::new_list_field(
                        entries.data_type().clone(),
                        false,
                    ))))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// Whether an expression can be NULL at the top: Spark's constructors never
/// are, everything else as DataFusion infers it.
fn expr_nullable(e: &Expr, schema: &DFSchema) -> bool {
    match e {
        Expr::Alias(a) => expr_nullable(&a.expr, schema),
        Expr::ScalarFunction(f)
            if matches!(
                f.func.name(),
                "array" | "make_array" | "map" | "named_struct" | "struct"
            ) =>
        {
            false
        }
        Expr::ScalarFunction(f) if f.func.name() == "map_from_arrays" => f.args.iter().any(|a| expr_nullable(a, schema)),
        _ => e.nullable(schema).unwrap_or(true),
    }
}

/// The element field of a list-typed expression, with Spark's nullability.
fn list_element(e: &Expr, child: &impl Fn(&Expr) -> Option<DataType>) -> Option<Field> {
    match child(e)? {
        DataType::List(f) => Some(f.as_ref().clone()),
        _ => None,
    }
}

fn literal_type(value: &ScalarValue) -> Option<DataType> {
    match value {
        ScalarValue::List(a) => {
            let DataType::List(field) = a.data_type() else {
                return None;
            };
            let contains_null = a.values().null_count() > 0;
            Some(DataType::List(Arc::new(
                field.as_ref().clone().with_nullable(contains_null),
            )))
        }
        _ => None,
    }
}

/// The type of output column `index` of `plan`, following it to where it is made.
fn column_type(plan: &LogicalPlan, index: usize, depth: usize) -> Option<DataType> {
    if depth > MAX_DEPTH {
        return None;
    }
    let same_index = |input: &LogicalPlan| column_type(input, index, depth + 1);
    match plan {
        LogicalPlan::Projection(p) => expr_type(
            p.expr.get(index)?,
            p.input.schema(),
            Some(&p.input),
            depth + 1,
        ),
        // Inline rows (`VALUES`) keep what their cells were.
        LogicalPlan::TableScan(t) => {
            let provider = datafusion::catalog::default_table_source::source_as_provider(&t.source).ok()?;
            let local = provider.downcast_ref::<crate::local_sources::LocalRelationTable>()?;
            local.spark_type(t.projection.as_ref().map_or(Some(index), |p| p.get(index).copied())?)
        }
        LogicalPlan::Filter(f) => same_index(&f.input),
        LogicalPlan::Sort(s) => same_index(&s.input),
        LogicalPlan::Limit(l) => same_index(&l.input),
        LogicalPlan::Repartition(r) => same_index(&r.input),
        LogicalPlan::SubqueryAlias(s) => same_index(&s.input),
        LogicalPlan::Distinct(Distinct::All(input)) => same_index(input),
        LogicalPlan::Window(w) if index < w.input.schema().fields().len() => same_index(&w.input),
        LogicalPlan::Aggregate(a) if index < a.group_expr.len() => match &a.group_expr[index] {
            Expr::GroupingSet(_) => None,
            g => expr_type(g, a.input.schema(), Some(&a.input), depth + 1),
        },
        LogicalPlan::Join(j) => {
            let left = j.left.schema().fields().len();
            if index < left {
                column_type(&j.left, index, depth + 1)
            } else {
                column_type(&j.right, index - left, depth + 1)
            }
        }
        LogicalPlan::Union(u) => {
            let declared = plan.schema().field(index).data_type().clone();
            merge_known(u.inputs.iter().map(|i| same_index(i)), &declared)
        }
        LogicalPlan::Values(v) => {
            let declared = plan.schema().field(index).data_type().clone();
            let empty = DFSchema::empty();
            merge_known(
                v.values.iter().map(|row| {
                    row.get(index)
                        .and_then(|e| expr_type(e, &empty, None, depth + 1))
                }),
                &declared,
            )
        }
        LogicalPlan::Unnest(u) => {
            let source = *u.dependency_indices.get(index)?;
            let input = column_type(&u.input, source, depth + 1)?;
            match u.list_type_columns.iter().find(|(i, _)| *i == source) {
                Some((_, list)) => {
                    let mut t = input;
                    for _ in 0..list.depth {
                        let DataType::List(f) = t else { return None };
                        t = f.data_type().clone();
                    }
                    Some(t)
                }
                None if u.struct_type_columns.contains(&source) => None,
                None => Some(input),
            }
        }
        _ => None,
    }
}

/// The nullabilities of several values of one declared type combined (a
/// child is nullable if it is in any of them); `None` if any is unknown.
fn merge_known(
    types: impl Iterator<Item = Option<DataType>>,
    declared: &DataType,
) -> Option<DataType> {
    let mut out: Option<DataType> = None;
    for t in types {
        let t = transfer(&t?, declared);
        out = Some(match out {
            None => t,
            Some(acc) => merge(&acc, &t)?,
        });
    }
    out
}

/// As [`merge_known`], but unknown values count as DataFusion's `declared` type.
fn merge_all(types: impl Iterator<Item = Option<DataType>>, declared: &DataType) -> DataType {
    let mut out: Option<DataType> = None;
    for t in types {
        let t = t
            .map(|t| transfer(&t, declared))
            .unwrap_or_else(|| declared.clone());
        out = Some(match out {
            None => t,
            Some(acc) => merge(&acc, &t).unwrap_or_else(|| declared.clone()),
        });
    }
    out.unwrap_or_else(|| declared.clone())
}

/// Two types of the same shape with each child nullable if it is in either.
fn merge(a: &DataType, b: &DataType) -> Option<DataType> {
    let field = |x: &Field, y: &Field| -> Option<Field> {
        Some(
            x.clone()
                .with_data_type(merge(x.data_type(), y.data_type())?)
                .with_nullable(x.is_nullable() || y.is_nullable()),
        )
    };
    match (a, b) {
        (DataType::List(x), DataType::List(y)) => Some(DataType::List(Arc::new(field(x, y)?))),
        (DataType::Map(x, s), DataType::Map(y, _)) => {
            Some(DataType::Map(Arc::new(field(x, y)?), *s))
        }
        (DataType::Struct(x), DataType::Struct(y)) if x.len() == y.len() => Some(DataType::Struct(
            x.iter()
                .zip(y.iter())
                .map(|(x, y)| field(x, y))
                .collect::<Option<Fields>>()?,
        )),
        _ if a == b => Some(a.clone()),
        _ => None,
    }
}

/// `to` (the type a value is cast to) with the child nullabilities of `from`
/// where both have the same shape: a cast does not make elements NULL.
fn transfer(from: &DataType, to: &DataType) -> DataType {
    let field = |x: &Field, y: &Field| {
        y.clone()
            .with_data_type(transfer(x.data_type(), y.data_type()))
            .with_nullable(x.is_nullable())
    };
    match (from, to) {
        (DataType::List(x), DataType::List(y)) => DataType::List(Arc::new(field(x, y))),
        (DataType::Map(x, _), DataType::Map(y, s)) => DataType::Map(Arc::new(field(x, y)), *s),
        (DataType::Struct(x), DataType::Struct(y)) if x.len() == y.len() => {
            DataType::Struct(x.iter().zip(y.iter()).map(|(x, y)| field(x, y)).collect())
        }
        _ => to.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::logical_expr::{LogicalPlanBuilder, lit};

    fn array(args: Vec<Expr>) -> Expr {
        crate::expression::registry_scalar("array", args).expect("array is registered")
    }

    fn list(element: DataType, contains_null: bool) -> DataType {
        DataType::List(Arc::new(Field::new_list_field(element, contains_null)))
    }

    fn contains_null(t: Option<DataType>) -> Option<bool> {
        match t? {
            DataType::List(f) if f.data_type() == &DataType::Int32 => Some(f.is_nullable()),
            _ => None,
        }
    }

    #[test]
    fn values_rows_combine_their_element_nullability() {
        let rows = vec![vec![array(vec![lit(1), lit(2)])], vec![array(vec![lit(3)])]];
        let plan = LogicalPlanBuilder::values(rows)
            .and_then(|b| b.build())
            .expect("values");
        assert_eq!(contains_null(spark_column_type(&plan, 0)), Some(false));

        let rows = vec![
            vec![array(vec![lit(1)])],
            vec![array(vec![lit(ScalarValue::Int32(None))])],
        ];
        let plan = LogicalPlanBuilder::values(rows)
            .and_then(|b| b.build())
            .expect("values");
        assert_eq!(contains_null(spark_column_type(&plan, 0)), Some(true));
    }

    #[test]
    fn merge_and_transfer_keep_the_shape() {
        let a = list(list(DataType::Int32, false), false);
        let b = list(list(DataType::Int32, true), false);
        assert_eq!(merge(&a, &b), Some(b.clone()));
        assert_eq!(merge(&a, &list(DataType::Int64, false)), None);
        // `array()` (elements of type NULL) cast to array<int> keeps containsNull = false.
        assert_eq!(
            transfer(&list(DataType::Null, false), &list(DataType::Int32, true)),
            list(DataType::Int32, false)
        );
    }
}
