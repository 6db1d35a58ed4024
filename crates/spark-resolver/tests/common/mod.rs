//! Resolves small plans against a bare DataFusion session state and reports
//! what Spark would report: output column names, types and nullability, or
//! the error class. Plans come from IR builders or, for brevity, from SQL
//! through the SQL front-end (it builds the same IR).

#![allow(dead_code)]

use datafusion::execution::session_state::SessionStateBuilder;
use spark_plan::{Expr, Literal, Plan, Relation, RelationKind};
use spark_resolver::{ResolveError, Resolver, ResolverConfig, ViewCatalog};

/// A resolved query as Spark would describe it.
#[derive(Debug, PartialEq)]
pub struct Output {
    pub names: Vec<String>,
    pub types: Vec<String>,
    pub nullable: Vec<bool>,
}

pub fn resolve_with(rel: &Relation, config: &ResolverConfig) -> Result<Output, ResolveError> {
    let state = SessionStateBuilder::new().with_default_features().build();
    let views = ViewCatalog::default();
    let globals = ViewCatalog::default();
    let mut resolver = Resolver::new(&state, config, &views, &globals);
    let r = resolver.resolve_query(rel)?;
    let mut out = Output { names: vec![], types: vec![], nullable: vec![] };
    for (i, (c, f)) in r.columns.iter().zip(r.plan.schema().fields()).enumerate() {
        // Spark's nullability inside arrays, maps and structs.
        let field = match spark_resolver::nested_nullability::spark_column_type(&r.plan, i) {
            Some(t) => f.as_ref().clone().with_data_type(t),
            None => f.as_ref().clone(),
        };
        let t = spark_resolver::types::from_arrow_field(&field)?;
        out.names.push(c.name.clone());
        out.types.push(t.simple_string());
        out.nullable.push(c.nullable.unwrap_or(f.is_nullable()));
    }
    Ok(out)
}

pub fn resolve(rel: &Relation) -> Result<Output, ResolveError> {
    resolve_with(rel, &ResolverConfig::default())
}

/// The plan of a SQL query.
pub fn parse(query: &str) -> Relation {
    match spark_sql_parser::parse_statement(query) {
        Ok(Plan::Query(r)) => r,
        other => panic!("not a query: {query}: {other:?}"),
    }
}

pub fn sql(query: &str) -> Output {
    match resolve(&parse(query)) {
        Ok(o) => o,
        Err(e) => panic!("{query}: {e}"),
    }
}

pub fn sql_with(query: &str, config: &ResolverConfig) -> Output {
    match resolve_with(&parse(query), config) {
        Ok(o) => o,
        Err(e) => panic!("{query}: {e}"),
    }
}

/// The error class a query fails with.
pub fn sql_error(query: &str) -> String {
    match resolve(&parse(query)) {
        Ok(o) => panic!("{query} resolved to {o:?}"),
        Err(e) => error_class(&e),
    }
}

pub fn error_class(e: &ResolveError) -> String {
    match e {
        ResolveError::Analysis { error_class, .. } => error_class.clone(),
        ResolveError::Unsupported(_) => "UNSUPPORTED_FEATURE".into(),
        ResolveError::IllegalArgument(_) => "IllegalArgument".into(),
        ResolveError::InvalidPlan(_) => "InvalidPlan".into(),
        ResolveError::DataFusion(d) => format!("DataFusion: {d}"),
        ResolveError::Cancelled => "Cancelled".into(),
    }
}

/// The single output column of `SELECT <expr>`: (name, type, nullable).
pub fn column(expr: &str) -> (String, String, bool) {
    let o = sql(&format!("SELECT {expr}"));
    (o.names[0].clone(), o.types[0].clone(), o.nullable[0])
}

pub fn rel(kind: RelationKind) -> Relation {
    Relation::new(kind)
}

pub fn with_id(plan_id: i64, kind: RelationKind) -> Relation {
    Relation { plan_id: Some(plan_id), kind }
}

pub fn range(end: i64) -> Relation {
    rel(RelationKind::Range { start: 0, end, step: 1, num_partitions: None })
}

pub fn col(name: &str) -> Expr {
    Expr::column(name)
}

pub fn int(v: i32) -> Expr {
    Expr::Literal(Literal::Integer(v))
}

pub fn call(name: &str, args: Vec<Expr>) -> Expr {
    Expr::func(name, args)
}

pub fn project(input: Relation, exprs: Vec<Expr>) -> Relation {
    rel(RelationKind::Project { input: Box::new(input), exprs })
}

/// `VALUES` rows of (a int, b string) with a NULL in each column.
pub const T: &str = "(VALUES (1, 'x'), (2, NULL), (NULL, 'z') AS t(a, b))";
