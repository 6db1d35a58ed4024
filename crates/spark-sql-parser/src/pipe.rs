//! SQL pipe syntax (Spark 4): `FROM t |> WHERE ... |> AGGREGATE ... |> ...`.
//! Each operator takes the relation to its left as its input, so every step
//! names the columns of the step before it. Operators map onto the same
//! relations as the clauses of a SELECT block.

use spark_plan::{AggregateKind, Expr, Relation, RelationKind, SetOpKind};

use crate::parser::Parser;
use crate::{ParseError, ParseResult};

fn rel(kind: RelationKind) -> Relation {
    Relation::new(kind)
}

fn all_columns() -> Expr {
    Expr::Star { target: None, plan_id: None, except: vec![] }
}

impl Parser {
    /// The operator after one `|>` (the grammar's `operatorPipeRightSide`).
    pub(crate) fn parse_pipe_operator(&mut self, input: Relation) -> ParseResult<Relation> {
        if self.eat_word("select") {
            let distinct = self.eat_word("distinct");
            if !distinct {
                self.eat_word("all");
            }
            let items = self.parse_select_list()?;
            return self.finish_select(input, items, distinct);
        }
        if self.eat_word("extend") {
            // New columns after all of the input's, even under a name it has.
            let mut exprs = vec![all_columns()];
            exprs.extend(self.parse_select_list()?);
            return Ok(rel(RelationKind::Project { input: Box::new(input), exprs }));
        }
        if self.eat_word("set") {
            let columns = self.parse_comma_separated(|p| {
                let name = p.parse_identifier()?;
                p.expect_sym("=")?;
                let expr = p.parse_expression()?;
                Ok(Expr::Alias { expr: Box::new(expr), names: vec![name], metadata: None })
            })?;
            return Ok(rel(RelationKind::ReplaceColumns { input: Box::new(input), columns }));
        }
        if self.eat_word("drop") {
            let except = self.parse_comma_separated(|p| p.parse_multipart_identifier())?;
            let star = Expr::Star { target: None, plan_id: None, except };
            return Ok(rel(RelationKind::Project { input: Box::new(input), exprs: vec![star] }));
        }
        if self.eat_word("as") {
            let alias = self.parse_identifier()?;
            return Ok(rel(RelationKind::SubqueryAlias { input: Box::new(input), alias }));
        }
        if self.eat_word("where") {
            let condition = self.parse_expression()?;
            return Ok(rel(RelationKind::Filter { input: Box::new(input), condition }));
        }
        if self.eat_word("pivot") {
            return self.parse_pivot(input);
        }
        if self.eat_word("unpivot") {
            return self.parse_unpivot(input);
        }
        if self.eat_word("tablesample") {
            return self.parse_table_sample(input);
        }
        if self.eat_word("aggregate") {
            return self.parse_pipe_aggregate(input);
        }
        for (word, kind) in [("union", SetOpKind::Union), ("except", SetOpKind::Except), ("minus", SetOpKind::Except), ("intersect", SetOpKind::Intersect)] {
            if self.eat_word(word) {
                let all = self.eat_word("all");
                if !all {
                    self.eat_word("distinct");
                }
                let right = self.parse_query_primary()?;
                return Ok(rel(RelationKind::SetOp {
                    left: Box::new(input),
                    right: Box::new(right),
                    kind,
                    all,
                    by_name: false,
                    allow_missing: false,
                }));
            }
        }
        let before = self.position();
        let joined = self.parse_joins(input)?;
        if self.position() != before {
            return Ok(joined);
        }
        let ordered = self.parse_query_tail(joined)?;
        if self.position() != before {
            return Ok(ordered);
        }
        self.error()
    }

    /// `AGGREGATE [aggs] [GROUP BY keys]`: one row per group with the keys
    /// first (a key may carry an alias), then the aggregates.
    fn parse_pipe_aggregate(&mut self, input: Relation) -> ParseResult<Relation> {
        let aggregates = if self.is_word("group") || self.at_pipe_end() { vec![] } else { self.parse_select_list()? };
        if !self.eat_words(&["group", "by"]) {
            return Ok(rel(RelationKind::Aggregate {
                input: Box::new(input),
                kind: AggregateKind::GroupBy,
                grouping: vec![],
                aggregates,
                having: None,
            }));
        }
        if self.is_word("all") || self.is_word("rollup") || self.is_word("cube") || self.is_word("grouping") {
            return Err(ParseError::other(
                "UNSUPPORTED_FEATURE.PIPE_OPERATOR_AGGREGATE_UNSUPPORTED_CASE",
                "0A000",
                format!(
                    "The feature is not supported: The SQL pipe operator syntax with aggregation (using |> AGGREGATE) does not support {}.",
                    if self.is_word("all") { "GROUP BY ALL" } else { "GROUPING SETS, ROLLUP, or CUBE" }
                ),
            ));
        }
        let keys = self.parse_select_list()?;
        let grouping = keys
            .iter()
            .map(|k| match k {
                Expr::Alias { expr, .. } => expr.as_ref().clone(),
                other => other.clone(),
            })
            .collect();
        let mut items = keys;
        items.extend(aggregates);
        Ok(rel(RelationKind::Aggregate { input: Box::new(input), kind: AggregateKind::GroupBy, grouping, aggregates: items, having: None }))
    }

    /// The end of one pipe operator: the next `|>`, a closing parenthesis,
    /// or the end of the statement.
    fn at_pipe_end(&self) -> bool {
        self.is_sym("|>") || self.is_sym(")") || self.is_sym(";") || matches!(self.peek(), crate::lexer::Tok::Eof)
    }
}

#[cfg(test)]
mod tests {
    use spark_plan::{Plan, RelationKind};

    use crate::parse_statement;

    /// The relation kinds from the top of the query down its first inputs.
    fn spine(sql: &str) -> Vec<&'static str> {
        let Ok(Plan::Query(q)) = parse_statement(sql) else { return vec!["error"] };
        let mut out = vec![];
        let mut r = Some(&q);
        while let Some(rel) = r {
            out.push(match &rel.kind {
                RelationKind::Project { .. } => "project",
                RelationKind::Filter { .. } => "filter",
                RelationKind::Aggregate { .. } => "aggregate",
                RelationKind::ReplaceColumns { .. } => "set",
                RelationKind::SetOp { .. } => "setop",
                RelationKind::Sort { .. } => "sort",
                RelationKind::Limit { .. } => "limit",
                RelationKind::SubqueryAlias { .. } => "alias",
                _ => "other",
            });
            r = rel.children().into_iter().next();
        }
        out
    }

    #[test]
    fn operators_apply_left_to_right() {
        assert_eq!(spine("FROM t |> WHERE a > 1 |> SELECT a"), ["project", "filter", "other"]);
        assert_eq!(spine("FROM t |> AGGREGATE sum(a) GROUP BY b |> ORDER BY b |> LIMIT 1"), ["limit", "sort", "aggregate", "other"]);
        assert_eq!(spine("FROM t |> SET a = 1 |> AS x"), ["alias", "set", "other"]);
        // A pipe applies to the whole set operation before it.
        assert_eq!(spine("SELECT 1 UNION ALL SELECT 2 |> WHERE true"), ["filter", "setop", "project", "other"]);
        assert_eq!(spine("FROM t |> UNION ALL (FROM u)"), ["setop", "other"]);
        assert_eq!(spine("FROM t |> FROB"), ["error"]);
    }

    #[test]
    fn aggregate_puts_keys_first() {
        let Ok(Plan::Query(q)) = parse_statement("FROM t |> AGGREGATE sum(a) AS s GROUP BY b AS k") else { panic!("no parse") };
        let RelationKind::Aggregate { grouping, aggregates, .. } = &q.kind else { panic!("not an aggregate") };
        assert_eq!(grouping.len(), 1);
        assert!(matches!(&grouping[0], spark_plan::Expr::Column { .. }));
        assert!(matches!(&aggregates[0], spark_plan::Expr::Alias { names, .. } if names == &["k"]));
        assert_eq!(aggregates.len(), 2);
        let e = parse_statement("FROM t |> AGGREGATE count(*) GROUP BY ALL").err().map(|e| e.error_class().to_string());
        assert_eq!(e.as_deref(), Some("UNSUPPORTED_FEATURE.PIPE_OPERATOR_AGGREGATE_UNSUPPORTED_CASE"));
    }
}
