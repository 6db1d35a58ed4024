//! `DataFrameStatFunctions` and `describe`/`summary`, as Spark's
//! `StatFunctions` computes them, built from the aggregate and pivot
//! relations.

use spark_plan::{AggregateKind, CastMode, DataType, Expr, Literal, Relation, RelationKind};

use crate::resolver::{Resolver, fresh_id, id_col};
use crate::{ResolveError, ResolveResult, ResolvedColumn, ResolvedRelation};

const DEFAULT_STATISTICS: &[&str] = &["count", "mean", "stddev", "min", "25%", "50%", "75%", "max"];

fn cast(e: Expr, to: DataType) -> Expr {
    Expr::Cast { expr: Box::new(e), to, mode: CastMode::Default, explicit: false }
}

fn string(s: &str) -> Expr {
    Expr::Literal(Literal::String(s.to_string()))
}

fn relation(kind: RelationKind) -> Box<Relation> {
    Box::new(Relation::new(kind))
}

/// A percentile statistic (`"25%"`) as a fraction.
fn percentile(stat: &str) -> Option<f64> {
    let p: f64 = stat.strip_suffix('%')?.trim().parse().ok()?;
    (0.0..=100.0).contains(&p).then_some(p / 100.0)
}

impl Resolver<'_> {
    /// `describe(cols)` / `summary(stats)`: one row per statistic, the
    /// statistic's name and then each numeric or string column as a string.
    pub(crate) fn resolve_summary(&mut self, input: &Relation, columns: &[String], statistics: &[String]) -> ResolveResult<ResolvedRelation> {
        let r = self.resolve(input)?;
        let typed = self.typed_columns(&r)?;
        let selected: Vec<(String, DataType)> = if columns.is_empty() {
            typed.into_iter().filter(|(_, t)| t.is_numeric() || t.is_string()).map(|(c, t)| (c.name, t)).collect()
        } else {
            let mut out = Vec::new();
            for name in columns {
                let m = self.find_column(std::slice::from_ref(name), None, &r)?;
                let t = typed.iter().find(|(c, _)| c.id == m.column.id).map(|(_, t)| t.clone()).unwrap_or(DataType::String);
                if t.is_numeric() || t.is_string() {
                    out.push((m.column.name, t));
                }
            }
            out
        };
        let statistics: Vec<String> = if statistics.is_empty() { DEFAULT_STATISTICS.iter().map(|s| s.to_string()).collect() } else { statistics.to_vec() };
        // One aggregate row holding every statistic of every column as a string...
        let mut aggregates = Vec::new();
        for stat in &statistics {
            for (i, (name, t)) in selected.iter().enumerate() {
                let c = Expr::column(name);
                let numeric = t.is_numeric();
                let value = match stat.to_ascii_lowercase().as_str() {
                    "count" => Some(Expr::func("count", vec![c])),
                    "count_distinct" => Some(Expr::Function { name: "count".into(), args: vec![c], distinct: true, filter: None, within_group: vec![] }),
                    "approx_count_distinct" => Some(Expr::func("approx_count_distinct", vec![c])),
                    "mean" => numeric.then(|| Expr::func("avg", vec![c])),
                    "stddev" => numeric.then(|| Expr::func("stddev", vec![c])),
                    "min" => Some(Expr::func("min", vec![c])),
                    "max" => Some(Expr::func("max", vec![c])),
                    other => match percentile(other) {
                        // Spark reads a decimal column's quantiles as doubles.
                        Some(p) => numeric.then(|| {
                            let c = if matches!(t, DataType::Decimal { .. }) { cast(c, DataType::Double) } else { c };
                            Expr::func("percentile_approx", vec![c, Expr::Literal(Literal::Double(p))])
                        }),
                        None => return Err(ResolveError::IllegalArgument(format!("{stat} is not a recognised statistic."))),
                    },
                };
                let value = value.map(|v| cast(v, DataType::String)).unwrap_or(Expr::Literal(Literal::Null(DataType::String)));
                aggregates.push(value.alias(&format!("{stat}#{i}")));
            }
        }
        if selected.is_empty() {
            aggregates.push(Expr::Literal(Literal::Null(DataType::String)).alias("__none"));
        }
        let agg = Relation::new(RelationKind::Aggregate {
            input: Box::new(input.clone()),
            kind: AggregateKind::GroupBy,
            grouping: vec![],
            aggregates,
            having: None,
        });
        let stats = self.resolve(&agg)?;
        // ...turned into one row per statistic.
        let width = selected.len();
        let mut stack = vec![Expr::Literal(Literal::Integer(statistics.len() as i32))];
        for (s, stat) in statistics.iter().enumerate() {
            stack.push(string(stat));
            for i in 0..width {
                let c = &stats.columns[s * width + i];
                stack.push(Expr::column(&c.name));
            }
        }
        let mut names = vec!["summary".to_string()];
        names.extend(selected.iter().map(|(n, _)| n.clone()));
        let item = Expr::Alias { expr: Box::new(Expr::func("stack", stack)), names, metadata: None };
        let mut out = self.project_exprs(stats, &[item])?;
        for c in &mut out.columns {
            c.nullable = Some(true);
        }
        Ok(out)
    }

    /// `crosstab(a, b)`: rows per value of `a`, a BIGINT count column per
    /// value of `b` (as strings, sorted), 0 where a pair never occurs.
    pub(crate) fn resolve_crosstab(&mut self, input: &Relation, left: &str, right: &str) -> ResolveResult<ResolvedRelation> {
        let as_text = |name: &str| Expr::func("coalesce", vec![cast(Expr::column(name), DataType::String), string("null")]);
        let key = as_text(left).alias(&format!("{left}_{right}"));
        let pivot = relation(RelationKind::Aggregate {
            input: Box::new(input.clone()),
            kind: AggregateKind::Pivot { column: as_text(right), values: vec![], implicit_grouping: false },
            grouping: vec![key.clone()],
            aggregates: vec![key, Expr::func("count", vec![Expr::Literal(Literal::Integer(1))])],
            having: None,
        });
        let mut out = self.resolve(&Relation::new(RelationKind::FillNa { input: pivot, columns: vec![], values: vec![Literal::Long(0)] }))?;
        // Spark reports the key column nullable.
        if let Some(key) = out.columns.first_mut() {
            key.nullable = Some(true);
        }
        Ok(out)
    }

    /// `cov(a, b)` / `corr(a, b)`: one row, one DOUBLE.
    pub(crate) fn resolve_covariance(&mut self, input: &Relation, left: &str, right: &str, correlation: bool) -> ResolveResult<ResolvedRelation> {
        let r = self.resolve(input)?;
        let typed = self.typed_columns(&r)?;
        for name in [left, right] {
            let m = self.find_column(&[name.to_string()], None, &r)?;
            let numeric = typed.iter().any(|(c, t)| c.id == m.column.id && t.is_numeric());
            if !numeric {
                let what = if correlation { "correlation" } else { "covariance" };
                return Err(ResolveError::IllegalArgument(format!(
                    "requirement failed: Currently {what} calculation for columns with dataType {} not supported.",
                    typed.iter().find(|(c, _)| c.id == m.column.id).map(|(_, t)| t.sql()).unwrap_or_default()
                )));
            }
        }
        // Spark reads a NULL as 0.0 here, and every row counts; the
        // covariance of fewer than two rows is 0.0, a correlation without
        // variance NaN.
        let value = |name: &str| Expr::func("coalesce", vec![cast(Expr::column(name), DataType::Double), Expr::Literal(Literal::Double(0.0))]);
        let (x, y) = (value(left), value(right));
        let e = if correlation {
            Expr::func("coalesce", vec![Expr::func("corr", vec![x, y]), Expr::Literal(Literal::Double(f64::NAN))]).alias("corr")
        } else {
            let rows = Expr::func("count", vec![Expr::Literal(Literal::Integer(1))]);
            let few = Expr::func("<=", vec![rows, Expr::Literal(Literal::Long(1))]);
            Expr::func("when", vec![few, Expr::Literal(Literal::Double(0.0)), Expr::func("covar_samp", vec![x, y])]).alias("cov")
        };
        self.project_exprs(r, &[e])
    }

    /// `approxQuantile(cols, probabilities, relativeError)`: one row, an
    /// `array<array<double>>`, one array per column.
    pub(crate) fn resolve_approx_quantile(&mut self, input: &Relation, columns: &[String], probabilities: &[f64], relative_error: f64) -> ResolveResult<ResolvedRelation> {
        if relative_error < 0.0 {
            return Err(ResolveError::IllegalArgument(format!("Relative Error must be non-negative but got {relative_error}")));
        }
        if let Some(p) = probabilities.iter().find(|p| !(0.0..=1.0).contains(*p)) {
            return Err(ResolveError::IllegalArgument(format!("percentile should be in the range [0.0, 1.0], but got {p}")));
        }
        let r = self.resolve(input)?;
        let fractions = Expr::Literal(Literal::Array { element_type: DataType::Double, values: probabilities.iter().map(|p| Literal::Double(*p)).collect() });
        let per_column = columns
            .iter()
            .map(|c| Expr::func("percentile_approx", vec![cast(Expr::column(c), DataType::Double), fractions.clone()]))
            .collect();
        self.project_exprs(r, &[Expr::func("array", per_column).alias("approx_quantile")])
    }

    /// `freqItems(cols, support)`: per column, the items of Spark's
    /// frequent-items counter (Karp, Schenker and Papadimitriou).
    pub(crate) fn resolve_freq_items(&mut self, input: &Relation, columns: &[String], support: f64) -> ResolveResult<ResolvedRelation> {
        if !(1e-4..=1.0).contains(&support) {
            return Err(ResolveError::IllegalArgument(format!("requirement failed: Support must be in [1e-4, 1], but got {support}.")));
        }
        let size = (1.0 / support) as usize;
        // Every value of each column, each in a one-element array so NULLs count.
        let lists = columns
            .iter()
            .map(|c| Expr::func("collect_list", vec![Expr::func("array", vec![Expr::column(c)])]).alias(&format!("{c}_freqItems")))
            .collect::<Vec<_>>();
        let agg = Relation::new(RelationKind::Aggregate { input: Box::new(input.clone()), kind: AggregateKind::GroupBy, grouping: vec![], aggregates: lists, having: None });
        let r = self.resolve(&agg)?;
        let udf = spark_functions::freq_items::SparkFreqItems::udf(size);
        let items = r
            .columns
            .iter()
            .map(|c| {
                let e = datafusion::logical_expr::Expr::ScalarFunction(datafusion::logical_expr::expr::ScalarFunction::new_udf(udf.clone(), vec![id_col(&c.id)]));
                (e, ResolvedColumn { id: fresh_id(), nullable: Some(false), ..c.clone() })
            })
            .collect();
        self.project(r.plan, items)
    }

    /// `sampleBy(col, fractions, seed)`: rows of each stratum kept with
    /// its fraction (0 for strata not listed), drawn as `rand(seed)`.
    pub(crate) fn resolve_sample_by(&mut self, input: &Relation, column: &Expr, fractions: &[(Literal, f64)], seed: Option<i64>) -> ResolveResult<ResolvedRelation> {
        if let Some((_, f)) = fractions.iter().find(|(_, f)| !(0.0..=1.0).contains(f)) {
            return Err(ResolveError::IllegalArgument(format!("requirement failed: Fractions must be in [0, 1], but got {f}.")));
        }
        let mut when = Vec::new();
        for (stratum, f) in fractions {
            when.push(Expr::func("<=>", vec![column.clone(), Expr::Literal(stratum.clone())]));
            when.push(Expr::Literal(Literal::Double(*f)));
        }
        when.push(Expr::Literal(Literal::Double(0.0)));
        let rand = Expr::func("rand", seed.map(|s| vec![Expr::Literal(Literal::Long(s))]).unwrap_or_default());
        let condition = Expr::func("<", vec![rand, Expr::func("when", when)]);
        self.resolve(&Relation::new(RelationKind::Filter { input: Box::new(input.clone()), condition }))
    }
}
