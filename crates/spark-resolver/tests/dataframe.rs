//! Relations only the DataFrame API builds (`withColumns`, `toDF`, `drop`,
//! `df["col"]` by plan id, ...), resolved from IR as the protocol adapter
//! produces it, with Spark's names, types and nullability.

mod common;

use common::{call, col, error_class, int, project, range, rel, resolve, resolve_with, with_id};
use spark_plan::{Expr, JoinType, Literal, RelationKind};
use spark_resolver::ResolverConfig;

fn people() -> spark_plan::Relation {
    common::parse("SELECT * FROM VALUES (1, 'ann', 10), (2, NULL, 20) AS t(id, name, dept)")
}

#[test]
fn with_columns_appends_and_replaces() {
    let r = rel(RelationKind::WithColumns {
        input: Box::new(people()),
        columns: vec![call("+", vec![col("id"), int(1)]).alias("next"), call("upper", vec![col("name")]).alias("name")],
    });
    let o = resolve(&r).unwrap();
    assert_eq!(o.names, ["id", "name", "dept", "next"]);
    assert_eq!(o.types, ["int", "string", "int", "int"]);
    assert_eq!(o.nullable, [false, true, false, false]);
}

#[test]
fn with_columns_renamed_keeps_types() {
    let r = rel(RelationKind::WithColumnsRenamed { input: Box::new(people()), renames: vec![("name".into(), "who".into()), ("missing".into(), "x".into())] });
    let o = resolve(&r).unwrap();
    assert_eq!(o.names, ["id", "who", "dept"]);
    assert_eq!(o.types, ["int", "string", "int"]);
}

#[test]
fn to_df_renames_by_position() {
    let r = rel(RelationKind::ToDf { input: Box::new(people()), names: vec!["a".into(), "b".into(), "c".into()] });
    assert_eq!(resolve(&r).unwrap().names, ["a", "b", "c"]);
}

#[test]
fn to_df_with_the_wrong_count_is_an_error() {
    let r = rel(RelationKind::ToDf { input: Box::new(people()), names: vec!["a".into()] });
    assert_eq!(error_class(&resolve(&r).unwrap_err()), "ASSIGNMENT_ARITY_MISMATCH");
}

#[test]
fn drop_by_name_ignores_missing_columns() {
    let r = rel(RelationKind::Drop { input: Box::new(people()), columns: vec![], names: vec!["dept".into(), "nope".into()] });
    assert_eq!(resolve(&r).unwrap().names, ["id", "name"]);
}

#[test]
fn deduplicate_on_a_subset_keeps_every_column() {
    let r = rel(RelationKind::Deduplicate { input: Box::new(people()), columns: Some(vec!["dept".into()]) });
    let o = resolve(&r).unwrap();
    assert_eq!(o.names, ["id", "name", "dept"]);
}

#[test]
fn column_by_plan_id() {
    // df["id"] where df is the range (plan id 1) under a projection.
    let base = with_id(1, RelationKind::Range { start: 0, end: 3, step: 1, num_partitions: None });
    let r = project(base, vec![Expr::Column { name: vec!["id".into()], plan_id: Some(1) }]);
    let o = resolve(&r).unwrap();
    assert_eq!(o.names, ["id"]);
    assert_eq!(o.types, ["bigint"]);
}

#[test]
fn self_join_by_plan_ids() {
    // left.join(right, left["k"] == right["k"]) where both read the same data.
    let left = with_id(1, common::parse("SELECT * FROM VALUES (1, 'a') AS l(k, v)").kind);
    let right = with_id(2, common::parse("SELECT * FROM VALUES (1, 'b') AS r(k, v)").kind);
    let condition = call("==", vec![Expr::Column { name: vec!["k".into()], plan_id: Some(1) }, Expr::Column { name: vec!["k".into()], plan_id: Some(2) }]);
    let join = rel(RelationKind::Join { left: Box::new(left), right: Box::new(right), join_type: JoinType::Inner, condition: Some(condition), using: vec![], natural: false });
    let r = project(join, vec![Expr::Column { name: vec!["v".into()], plan_id: Some(2) }]);
    assert_eq!(resolve(&r).unwrap().names, ["v"]);
}

#[test]
fn unqualified_column_of_both_join_sides_is_ambiguous() {
    let left = common::parse("SELECT * FROM VALUES (1) AS l(k)");
    let right = common::parse("SELECT * FROM VALUES (1) AS r(k)");
    let join = rel(RelationKind::Join { left: Box::new(left), right: Box::new(right), join_type: JoinType::Inner, condition: None, using: vec![], natural: false });
    let e = resolve(&project(join, vec![col("k")])).unwrap_err();
    assert_eq!(error_class(&e), "AMBIGUOUS_REFERENCE");
}

#[test]
fn tail_and_limit_keep_the_schema() {
    let tail = rel(RelationKind::Tail { input: Box::new(people()), limit: 1 });
    let limit = rel(RelationKind::Limit { input: Box::new(people()), limit: 1 });
    assert_eq!(resolve(&tail).unwrap(), resolve(&limit).unwrap());
}

#[test]
fn count_star_is_named_count_1() {
    let agg = rel(RelationKind::Aggregate {
        input: Box::new(range(3)),
        kind: spark_plan::AggregateKind::GroupBy,
        grouping: vec![],
        aggregates: vec![call("count", vec![Expr::star(None, None)])],
        having: None,
    });
    let o = resolve(&agg).unwrap();
    assert_eq!(o.names, ["count(1)"]);
    assert_eq!(o.nullable, [false]);
}

#[test]
fn case_sensitive_resolution_when_configured() {
    let config = ResolverConfig { case_sensitive: true, ..ResolverConfig::default() };
    let r = project(range(1), vec![col("ID")]);
    assert_eq!(error_class(&resolve_with(&r, &config).unwrap_err()), "UNRESOLVED_COLUMN.WITH_SUGGESTION");
    assert_eq!(resolve(&r).unwrap().names, ["ID"]);
}

#[test]
fn ansi_off_keeps_float_with_integer_a_float() {
    let config = ResolverConfig { ansi: false, ..ResolverConfig::default() };
    let o = common::sql_with("SELECT CAST(1 AS FLOAT) + 1, CAST(1 AS FLOAT) + 1.5", &config);
    assert_eq!(o.types, ["float", "double"]);
    let o = common::sql("SELECT CAST(1 AS FLOAT) + 1, CAST(1 AS FLOAT) + 1.5");
    assert_eq!(o.types, ["double", "double"]);
}

#[test]
fn function_names_are_case_insensitive_and_print_as_called() {
    let r = project(range(1), vec![call("UPPER", vec![Expr::Literal(Literal::String("a".into()))])]);
    assert_eq!(resolve(&r).unwrap().names, ["upper(a)"]);
}

#[test]
fn internal_names_are_not_functions() {
    for name in ["__ordinal", "__agg_filter", "like_any", "btrim_internal", "array_has"] {
        let r = project(range(1), vec![call(name, vec![int(1)])]);
        assert_eq!(error_class(&resolve(&r).unwrap_err()), "UNRESOLVED_ROUTINE", "{name}");
    }
}

#[test]
fn filter_names_a_column_the_projection_dropped() {
    // df.select("id").filter(df["dept"] > 15): Spark keeps `dept` below the
    // projection for the filter, then drops it again.
    let base = with_id(1, people().kind);
    let filter = rel(RelationKind::Filter {
        input: Box::new(project(base, vec![col("id")])),
        condition: call(">", vec![Expr::Column { name: vec!["dept".into()], plan_id: Some(1) }, int(15)]),
    });
    let o = resolve(&filter).unwrap();
    assert_eq!(o.names, ["id"]);
    assert_eq!(o.types, ["int"]);
}

#[test]
fn sort_reaches_through_limit_and_distinct() {
    let inner = rel(RelationKind::Deduplicate { input: Box::new(project(people(), vec![col("id")])), columns: None });
    let limited = rel(RelationKind::Limit { input: Box::new(inner), limit: 5 });
    let sort = rel(RelationKind::Sort { input: Box::new(limited), order: vec![spark_plan::SortOrder { expr: col("name"), ascending: true, nulls_first: None }], global: true });
    assert_eq!(resolve(&sort).unwrap().names, ["id"]);
}

#[test]
fn sql_distinct_hides_dropped_columns() {
    let e = common::sql_error("SELECT DISTINCT id FROM VALUES (1, 2) AS t(id, v) ORDER BY v");
    assert_eq!(e, "UNRESOLVED_COLUMN.WITH_SUGGESTION");
}

#[test]
fn sort_over_aggregate_computes_missing_aggregates() {
    let o = common::sql("SELECT k FROM VALUES (1, 5), (2, 0) AS t(k, v) GROUP BY k ORDER BY max(v), k");
    assert_eq!(o.names, ["k"]);
}

#[test]
fn filter_over_aggregate_is_its_having() {
    let agg = common::parse("SELECT k, count(*) AS n FROM VALUES (1, 5), (2, 0) AS t(k, v) GROUP BY k");
    let filter = rel(RelationKind::Filter { input: Box::new(agg), condition: call(">", vec![call("max", vec![col("v")]), int(1)]) });
    assert_eq!(resolve(&filter).unwrap().names, ["k", "n"]);
}
