//! Queries: WITH, set operations, SELECT blocks, FROM clauses and joins.

use spark_plan::{
    AggregateKind, Cte, Expr, JoinType, ReadSource, Relation, RelationKind, SetOpKind, TimeTravel,
};

use crate::lexer::Tok;
use crate::parser::Parser;
use crate::ParseResult;

fn rel(kind: RelationKind) -> Relation {
    Relation::new(kind)
}

impl Parser {
    /// A full query: `[WITH ...] body [ORDER BY ...] [LIMIT n] [OFFSET n]`.
    pub fn parse_query(&mut self) -> ParseResult<Relation> {
        self.enter_relation()?;
        let r = self.parse_query_inner();
        self.leave_relation();
        r
    }

    fn parse_query_inner(&mut self) -> ParseResult<Relation> {
        let mut ctes = Vec::new();
        let mut recursive = false;
        if self.eat_word("with") {
            recursive = self.eat_word("recursive");
            ctes = self.parse_comma_separated(|p| {
                let name = p.parse_identifier()?;
                let cols = if p.eat_sym("(") {
                    let c = p.parse_comma_separated(|p| p.parse_identifier())?;
                    p.expect_sym(")")?;
                    Some(c)
                } else {
                    None
                };
                let max_recursion_level = if p.eat_words(&["max", "recursion", "level"]) { Some(p.parse_recursion_level()?) } else { None };
                p.eat_word("as");
                p.expect_sym("(")?;
                let mut q = p.parse_query()?;
                p.expect_sym(")")?;
                if let Some(names) = cols {
                    q = rel(RelationKind::ToDf { input: Box::new(q), names });
                }
                Ok(Cte { name, query: q, max_recursion_level })
            })?;
        }
        let mut body = self.parse_set_operation()?;
        body = self.parse_query_tail(body)?;
        if !ctes.is_empty() {
            body = rel(RelationKind::With { input: Box::new(body), ctes, recursive });
        }
        Ok(body)
    }

    pub(crate) fn parse_query_tail(&mut self, mut body: Relation) -> ParseResult<Relation> {
        // DISTRIBUTE BY only spreads rows over partitions; CLUSTER BY also
        // sorts by the same keys, like SORT BY. One result stream is one
        // partition here, so the sorts are total.
        if self.eat_words(&["cluster", "by"]) {
            let keys = self.parse_comma_separated(|p| p.parse_expression())?;
            let order = keys.into_iter().map(|expr| spark_plan::SortOrder { expr, ascending: true, nulls_first: None }).collect();
            body = rel(RelationKind::Sort { input: Box::new(body), order, global: false });
        } else if self.eat_words(&["distribute", "by"]) {
            self.parse_comma_separated(|p| p.parse_expression())?;
        }
        if self.eat_words(&["order", "by"]) {
            let order = self.parse_comma_separated(|p| p.parse_sort_order().map(ordinal_key))?;
            body = match order.as_slice() {
                [only] if is_all_keyword(&only.expr) => {
                    rel(RelationKind::SortByAll { input: Box::new(body), ascending: only.ascending, nulls_first: only.nulls_first })
                }
                _ => rel(RelationKind::Sort { input: Box::new(body), order, global: true }),
            };
        } else if self.eat_words(&["sort", "by"]) {
            let order = self.parse_comma_separated(|p| p.parse_sort_order().map(ordinal_key))?;
            body = rel(RelationKind::Sort { input: Box::new(body), order, global: false });
        }
        if self.eat_word("limit") {
            if !self.eat_word("all") {
                body = limit_like(body, self.parse_expression()?, false);
            }
        }
        if self.eat_word("offset") {
            let value = self.parse_expression()?;
            body = match body.kind {
                // LIMIT applies after OFFSET in SQL.
                RelationKind::Limit { input, limit } => rel(RelationKind::Limit { input: Box::new(limit_like(*input, value, true)), limit }),
                RelationKind::LimitExpression { input, value: limit, offset: false } => {
                    rel(RelationKind::LimitExpression { input: Box::new(limit_like(*input, value, true)), value: limit, offset: false })
                }
                kind => limit_like(Relation { plan_id: body.plan_id, kind }, value, true),
            };
        }
        Ok(body)
    }

    /// UNION / EXCEPT (lowest) over INTERSECT over primaries.
    fn parse_set_operation(&mut self) -> ParseResult<Relation> {
        let mut left = self.parse_intersect()?;
        loop {
            if self.eat_sym("|>") {
                left = self.parse_pipe_operator(left)?;
                continue;
            }
            let kind = if self.eat_word("union") {
                SetOpKind::Union
            } else if self.eat_word("except") || self.eat_word("minus") {
                SetOpKind::Except
            } else {
                return Ok(left);
            };
            let all = self.eat_word("all");
            if !all {
                self.eat_word("distinct");
            }
            let right = self.parse_intersect()?;
            left = rel(RelationKind::SetOp {
                left: Box::new(left),
                right: Box::new(right),
                kind,
                all,
                by_name: false,
                allow_missing: false,
            });
        }
    }

    fn parse_intersect(&mut self) -> ParseResult<Relation> {
        let mut left = self.parse_query_primary()?;
        while self.eat_word("intersect") {
            let all = self.eat_word("all");
            if !all {
                self.eat_word("distinct");
            }
            let right = self.parse_query_primary()?;
            left = rel(RelationKind::SetOp {
                left: Box::new(left),
                right: Box::new(right),
                kind: SetOpKind::Intersect,
                all,
                by_name: false,
                allow_missing: false,
            });
        }
        Ok(left)
    }

    pub(crate) fn parse_query_primary(&mut self) -> ParseResult<Relation> {
        if self.is_word("select") {
            return self.parse_select();
        }
        if self.is_word("values") {
            let values = self.parse_values()?;
            return self.parse_table_alias(values, None);
        }
        if self.eat_word("table") {
            let name = self.parse_multipart_identifier()?;
            return Ok(rel(RelationKind::Read(ReadSource::Table { name })));
        }
        if self.is_word("from") {
            // FROM t SELECT ..., or `FROM t` alone (all of its columns),
            // where SQL pipe operators usually follow.
            self.advance();
            let from = self.parse_from_list()?;
            if !self.is_word("select") {
                return Ok(from);
            }
            return self.parse_select_after_from(from);
        }
        if self.eat_sym("(") {
            let q = self.parse_query()?;
            self.expect_sym(")")?;
            return Ok(q);
        }
        self.error()
    }

    fn parse_values(&mut self) -> ParseResult<Relation> {
        self.expect_word("values")?;
        let rows = self.parse_comma_separated(|p| {
            if p.eat_sym("(") {
                let r = p.parse_comma_separated(|p| p.parse_expression())?;
                p.expect_sym(")")?;
                Ok(r)
            } else {
                Ok(vec![p.parse_expression()?])
            }
        })?;
        // Rows of different widths: Spark's parser refuses them.
        let width = rows.first().map_or(0, Vec::len);
        if let Some((i, row)) = rows.iter().enumerate().find(|(_, r)| r.len() != width) {
            return Err(crate::ParseError::other(
                "INVALID_INLINE_TABLE.NUM_COLUMNS_MISMATCH",
                "42000",
                format!("Invalid inline table. Inline table expected {width} columns but found {} columns in row {i}.", row.len()),
            ));
        }
        Ok(rel(RelationKind::Values { rows, names: vec![] }))
    }

    fn parse_select(&mut self) -> ParseResult<Relation> {
        self.expect_word("select")?;
        let distinct = self.eat_word("distinct");
        if !distinct {
            self.eat_word("all");
        }
        let items = self.parse_select_list()?;
        let from = if self.eat_word("from") {
            self.parse_from_list()?
        } else {
            rel(RelationKind::OneRow)
        };
        self.finish_select(from, items, distinct)
    }

    fn parse_select_after_from(&mut self, from: Relation) -> ParseResult<Relation> {
        self.expect_word("select")?;
        let distinct = self.eat_word("distinct");
        let items = self.parse_select_list()?;
        self.finish_select(from, items, distinct)
    }

    pub(crate) fn parse_select_list(&mut self) -> ParseResult<Vec<Expr>> {
        self.parse_comma_separated(|p| {
            // `SELECT FROM t`, `SELECT a, FROM t`: Spark reads the FROM as a
            // column named `FROM` aliased `t` (and reports the trailing
            // comma when resolving it).
            if p.is_word("from") && matches!(p.peek_at(1), Tok::Word(w) if !crate::parser::is_reserved(w)) && matches!(p.peek_at(2), Tok::Eof | Tok::Sym(";")) {
                let Tok::Word(column) = p.advance() else { return p.error() };
                let Tok::Word(alias) = p.advance() else { return p.error() };
                return Ok(Expr::column(&column).alias(&alias));
            }
            let e = p.parse_expression()?;
            if matches!(e, Expr::Star { .. }) && p.is_word("except") {
                p.advance();
                p.expect_sym("(")?;
                let cols = p.parse_comma_separated(|p| p.parse_multipart_identifier())?;
                p.expect_sym(")")?;
                if let Expr::Star { target, plan_id, .. } = e {
                    return Ok(Expr::Star { target, plan_id, except: cols });
                }
                return Ok(e);
            }
            p.parse_optional_alias(e)
        })
    }

    pub(crate) fn finish_select(&mut self, from: Relation, items: Vec<Expr>, distinct: bool) -> ParseResult<Relation> {
        let mut input = from;
        if self.eat_word("where") {
            let condition = self.parse_expression()?;
            input = rel(RelationKind::Filter { input: Box::new(input), condition });
        }
        let mut group: Option<(AggregateKind, Vec<Expr>)> = None;
        if self.eat_words(&["group", "by"]) {
            group = Some(self.parse_group_by()?);
        }
        let mut having = if self.eat_word("having") { Some(self.parse_expression()?) } else { None };
        let mut items = items;
        let mut qualify = None;
        if self.eat_word("qualify") {
            qualify = Some(self.parse_expression()?);
        }
        let defs = if self.eat_word("window") {
            self.parse_comma_separated(|p| {
                let name = p.parse_identifier()?;
                p.expect_word("as")?;
                let spec = p.parse_named_window_spec()?;
                Ok((name, spec))
            })?
        } else {
            vec![]
        };
        if qualify.is_none() && self.eat_word("qualify") {
            qualify = Some(self.parse_expression()?);
        }
        // `OVER w` names a window of the WINDOW clause (an error without one).
        let bind = |e: Expr| bind_named_windows(e, &defs);
        items = items.into_iter().map(bind).collect::<ParseResult<_>>()?;
        having = having.map(bind).transpose()?;
        qualify = qualify.map(bind).transpose()?;
        let mut out = match group {
            Some((kind, grouping)) => rel(RelationKind::Aggregate {
                input: Box::new(input),
                kind,
                grouping,
                aggregates: items,
                having,
            }),
            None => match having {
                Some(h) => rel(RelationKind::Aggregate {
                    input: Box::new(input),
                    kind: AggregateKind::GroupBy,
                    grouping: vec![],
                    aggregates: items,
                    having: Some(h),
                }),
                None => rel(RelationKind::Project { input: Box::new(input), exprs: items }),
            },
        };
        if let Some(condition) = qualify {
            out = rel(RelationKind::Qualify { input: Box::new(out), condition });
        }
        if distinct {
            out = rel(RelationKind::Distinct { input: Box::new(out) });
        }
        Ok(out)
    }

    pub(crate) fn parse_group_by(&mut self) -> ParseResult<(AggregateKind, Vec<Expr>)> {
        if self.eat_word("all") {
            return Ok((AggregateKind::GroupByAll, vec![]));
        }
        let items = self.parse_comma_separated(|p| p.parse_grouping_item())?;
        if items.iter().all(|i| matches!(i, GroupingItem::Expr(_))) {
            let exprs: Vec<Expr> = items.into_iter().filter_map(|i| if let GroupingItem::Expr(e) = i { Some(e) } else { None }).collect();
            if self.eat_words(&["with", "rollup"]) {
                return Ok((AggregateKind::Rollup, exprs));
            }
            if self.eat_words(&["with", "cube"]) {
                return Ok((AggregateKind::Cube, exprs));
            }
            return Ok((AggregateKind::GroupBy, exprs));
        }
        // One ROLLUP or CUBE of single expressions keeps its own kind.
        if let [GroupingItem::Rollup(groups) | GroupingItem::Cube(groups)] = items.as_slice() {
            if groups.iter().all(|g| g.len() == 1) {
                let kind = if matches!(items[0], GroupingItem::Rollup(_)) { AggregateKind::Rollup } else { AggregateKind::Cube };
                return Ok((kind, groups.iter().flatten().cloned().collect()));
            }
        }
        // Otherwise the grouping sets are the product of each item's sets
        // (`k, ROLLUP(v)` is `GROUPING SETS ((k, v), (k))`).
        let mut sets: Vec<Vec<Expr>> = vec![vec![]];
        for item in &items {
            let item_sets = item.sets();
            sets = sets.iter().flat_map(|s| item_sets.iter().map(move |t| s.iter().chain(t).cloned().collect())).collect();
        }
        let mut all: Vec<Expr> = Vec::new();
        for e in sets.iter().flatten() {
            if !all.contains(e) {
                all.push(e.clone());
            }
        }
        Ok((AggregateKind::GroupingSets(sets), all))
    }

    /// One item of a GROUP BY list.
    fn parse_grouping_item(&mut self) -> ParseResult<GroupingItem> {
        let parse_set = |p: &mut Parser| -> ParseResult<Vec<Expr>> {
            if p.eat_sym("(") {
                if p.eat_sym(")") {
                    return Ok(vec![]);
                }
                let v = p.parse_comma_separated(|p| p.parse_expression())?;
                p.expect_sym(")")?;
                Ok(v)
            } else {
                Ok(vec![p.parse_expression()?])
            }
        };
        for kw in ["rollup", "cube"] {
            if self.is_word(kw) && matches!(self.peek_at(1), Tok::Sym("(")) {
                self.advance();
                self.advance();
                let groups = self.parse_comma_separated(parse_set)?;
                self.expect_sym(")")?;
                return Ok(if kw == "rollup" { GroupingItem::Rollup(groups) } else { GroupingItem::Cube(groups) });
            }
        }
        if self.eat_words(&["grouping", "sets"]) {
            self.expect_sym("(")?;
            let sets = self.parse_comma_separated(parse_set)?;
            self.expect_sym(")")?;
            return Ok(GroupingItem::Sets(sets));
        }
        Ok(GroupingItem::Expr(self.parse_expression()?))
    }

    fn parse_from_list(&mut self) -> ParseResult<Relation> {
        let mut left = self.parse_joined_table()?;
        while self.eat_sym(",") {
            if self.is_lateral_function() {
                // `t, LATERAL f(t.x) [AS] [alias] [(c1, ...)]`: each row of
                // `t` with the rows `f` generates for it.
                self.advance();
                left = self.parse_lateral_function(left)?;
                left = self.parse_joins(left)?;
                continue;
            }
            if self.is_lateral_subquery() {
                self.advance();
                let right = self.parse_table_primary()?;
                left = rel(RelationKind::LateralJoin { left: Box::new(left), right: Box::new(right), join_type: JoinType::Inner, condition: None });
                left = self.parse_joins(left)?;
                continue;
            }
            let right = self.parse_joined_table()?;
            left = rel(RelationKind::Join {
                left: Box::new(left),
                right: Box::new(right),
                join_type: JoinType::Cross,
                condition: None,
                using: vec![],
                natural: false,
            });
        }
        while self.is_word("lateral") && matches!(self.peek_at(1), Tok::Word(w) if w.eq_ignore_ascii_case("view")) {
            self.advance();
            self.advance();
            left = self.parse_lateral_view(left)?;
        }
        if self.eat_word("pivot") {
            left = self.parse_pivot(left)?;
        }
        if self.eat_word("unpivot") {
            left = self.parse_unpivot(left)?;
        }
        Ok(left)
    }

    /// `UNPIVOT [INCLUDE | EXCLUDE NULLS] (value FOR name IN (col [AS n], ...))`;
    /// NULL values are dropped unless INCLUDE NULLS.
    pub(crate) fn parse_unpivot(&mut self, input: Relation) -> ParseResult<Relation> {
        let include_nulls = if self.eat_words(&["include", "nulls"]) {
            true
        } else {
            self.eat_words(&["exclude", "nulls"]);
            false
        };
        self.expect_sym("(")?;
        let value_name = self.parse_identifier()?;
        self.expect_word("for")?;
        let variable_name = self.parse_identifier()?;
        self.expect_word("in")?;
        self.expect_sym("(")?;
        let values = self.parse_comma_separated(|p| {
            let e = Expr::Column { name: p.parse_multipart_identifier()?, plan_id: None };
            p.parse_optional_alias(e)
        })?;
        self.expect_sym(")")?;
        self.expect_sym(")")?;
        let unpivot = rel(RelationKind::Unpivot { input: Box::new(input), ids: None, values: Some(values), variable_name, value_name: value_name.clone() });
        if include_nulls {
            return Ok(unpivot);
        }
        Ok(rel(RelationKind::Filter {
            input: Box::new(unpivot),
            condition: Expr::func("isnotnull", vec![Expr::Column { name: vec![value_name], plan_id: None }]),
        }))
    }

    /// `LATERAL VIEW [OUTER] generator(args) [table] [AS] col, ...`: every
    /// input row joined with the rows its generator produces.
    fn parse_lateral_view(&mut self, input: Relation) -> ParseResult<Relation> {
        let outer = self.eat_word("outer");
        let generator = self.parse_expression()?;
        // The table alias, then the column aliases.
        let mut table = None;
        if !self.is_word("as") {
            if let Tok::Word(w) = self.peek().clone() {
                if !crate::parser::is_reserved(&w) && !is_table_clause_word(&w) {
                    self.advance();
                    table = Some(w);
                }
            }
        }
        let mut column_aliases = Vec::new();
        if self.eat_word("as") || matches!(self.peek(), Tok::Word(w) if !crate::parser::is_reserved(w) && !is_table_clause_word(w)) {
            column_aliases = self.parse_comma_separated(|p| p.parse_identifier())?;
        }
        Ok(rel(RelationKind::LateralView { input: Box::new(input), generator, outer, table_alias: table, column_aliases }))
    }

    /// `PIVOT (agg [AS a], ... FOR col IN (v [AS n], ...))`; several pivot
    /// columns `FOR (a, b) IN ((1, 'x') [AS n], ...)` pivot on their struct.
    pub(crate) fn parse_pivot(&mut self, input: Relation) -> ParseResult<Relation> {
        self.expect_sym("(")?;
        let aggregates = self.parse_comma_separated(|p| {
            let e = p.parse_expression()?;
            // `sum(x) FOR ...`: FOR starts the pivot column, it is not an alias.
            if p.is_word("for") { Ok(e) } else { p.parse_optional_alias(e) }
        })?;
        self.expect_word("for")?;
        // The pivot column is a name: `col IN (...)` is not an IN predicate here.
        let column = if self.eat_sym("(") {
            let columns = self.parse_comma_separated(|p| Ok(Expr::Column { name: p.parse_multipart_identifier()?, plan_id: None }))?;
            self.expect_sym(")")?;
            Expr::func("struct", columns)
        } else {
            Expr::Column { name: self.parse_multipart_identifier()?, plan_id: None }
        };
        self.expect_word("in")?;
        self.expect_sym("(")?;
        let values = self.parse_comma_separated(|p| {
            let e = p.parse_expression()?;
            p.parse_optional_alias(e)
        })?;
        self.expect_sym(")")?;
        self.expect_sym(")")?;
        Ok(rel(RelationKind::Aggregate {
            input: Box::new(input),
            kind: AggregateKind::Pivot { column, values, implicit_grouping: true },
            grouping: vec![],
            aggregates,
            having: None,
        }))
    }

    /// `LATERAL f(...)`: a table function over the rows to its left.
    fn is_lateral_function(&self) -> bool {
        self.is_word("lateral")
            && matches!(self.peek_at(1), Tok::Word(w) if !w.eq_ignore_ascii_case("view"))
            && matches!(self.peek_at(2), Tok::Sym("("))
    }

    fn parse_lateral_function(&mut self, input: Relation) -> ParseResult<Relation> {
        let generator = self.parse_expression()?;
        self.eat_word("as");
        let mut table = None;
        if let Tok::Word(w) = self.peek().clone() {
            if !crate::parser::is_reserved(&w) && !is_table_clause_word(&w) {
                self.advance();
                table = Some(w);
            }
        }
        let mut column_aliases = Vec::new();
        if table.is_some() && self.eat_sym("(") {
            column_aliases = self.parse_comma_separated(|p| p.parse_identifier())?;
            self.expect_sym(")")?;
        }
        Ok(rel(RelationKind::LateralView { input: Box::new(input), generator, outer: false, table_alias: table, column_aliases }))
    }

    /// `LATERAL (subquery)` (not `LATERAL VIEW`).
    fn is_lateral_subquery(&self) -> bool {
        self.is_word("lateral") && matches!(self.peek_at(1), Tok::Sym("("))
    }

    fn parse_joined_table(&mut self) -> ParseResult<Relation> {
        let left = self.parse_table_primary()?;
        self.parse_joins(left)
    }

    pub(crate) fn parse_joins(&mut self, mut left: Relation) -> ParseResult<Relation> {
        loop {
            let save = self.position();
            let natural = self.eat_word("natural");
            let join_type = if self.eat_word("join") || self.eat_words(&["inner", "join"]) {
                JoinType::Inner
            } else if self.eat_words(&["cross", "join"]) {
                JoinType::Cross
            } else if self.eat_words(&["left", "semi", "join"]) || self.eat_words(&["semi", "join"]) {
                JoinType::LeftSemi
            } else if self.eat_words(&["left", "anti", "join"]) || self.eat_words(&["anti", "join"]) {
                JoinType::LeftAnti
            } else if self.eat_words(&["left", "outer", "join"]) || self.eat_words(&["left", "join"]) {
                JoinType::LeftOuter
            } else if self.eat_words(&["right", "outer", "join"]) || self.eat_words(&["right", "join"]) {
                JoinType::RightOuter
            } else if self.eat_words(&["full", "outer", "join"]) || self.eat_words(&["full", "join"]) {
                JoinType::FullOuter
            } else {
                self.reset(save);
                return Ok(left);
            };
            let lateral = self.is_lateral_subquery();
            if lateral {
                self.advance();
            }
            let right = self.parse_table_primary()?;
            if lateral {
                let condition = if self.eat_word("on") { Some(self.parse_expression()?) } else { None };
                left = rel(RelationKind::LateralJoin { left: Box::new(left), right: Box::new(right), join_type, condition });
                continue;
            }
            let mut condition = None;
            let mut using = vec![];
            if natural {
                // NATURAL joins on the common column names: no ON or USING.
            } else if self.eat_word("on") {
                condition = Some(self.parse_expression()?);
            } else if self.eat_word("using") {
                self.expect_sym("(")?;
                using = self.parse_comma_separated(|p| p.parse_identifier())?;
                self.expect_sym(")")?;
            }
            let join_type = if join_type == JoinType::Cross && condition.is_some() { JoinType::Inner } else { join_type };
            left = rel(RelationKind::Join { left: Box::new(left), right: Box::new(right), join_type, condition, using, natural });
        }
    }

    fn parse_table_primary(&mut self) -> ParseResult<Relation> {
        let base = if self.eat_sym("(") {
            let inner = if self.is_word("select") || self.is_word("with") || self.is_word("values") || self.is_sym("(") || self.is_word("from") || self.is_word("table") {
                self.parse_query()?
            } else {
                self.parse_from_list()?
            };
            self.expect_sym(")")?;
            inner
        } else if self.is_word("values") {
            self.parse_values()?
        } else {
            let name = self.parse_multipart_identifier()?;
            if self.is_sym("(") {
                self.advance();
                let args = if self.eat_sym(")") {
                    vec![]
                } else {
                    let a = self.parse_comma_separated(|p| p.parse_function_argument())?;
                    self.expect_sym(")")?;
                    a
                };
                let function = name.join(".");
                let call = self.table_function(name, args)?;
                return self.parse_table_alias(call, Some(function));
            } else {
                self.parse_time_travel(rel(RelationKind::Read(ReadSource::Table { name })))?
            }
        };
        // Spark samples tables and subqueries, not table-valued functions.
        let sampled = !matches!(&base.kind, RelationKind::LateralView { input, .. } if matches!(input.kind, RelationKind::OneRow))
            && !matches!(base.kind, RelationKind::Range { .. });
        let base = if sampled && self.eat_word("tablesample") { self.parse_table_sample(base)? } else { base };
        self.parse_table_alias(base, None)
    }

    /// A table name's `[FOR] (SYSTEM_VERSION | VERSION) AS OF version` or
    /// `[FOR] (SYSTEM_TIME | TIMESTAMP) AS OF expression`, if any.
    fn parse_time_travel(&mut self, table: Relation) -> ParseResult<Relation> {
        let skip = usize::from(self.is_word("for"));
        let version = ["system_version", "version"].iter().any(|w| self.is_word_at(skip, w));
        let time = ["system_time", "timestamp"].iter().any(|w| self.is_word_at(skip, w));
        if !(version || time) || !self.is_word_at(skip + 1, "as") || !self.is_word_at(skip + 2, "of") {
            return Ok(table);
        }
        for _ in 0..skip + 3 {
            self.advance();
        }
        let spec = if version {
            match self.peek().clone() {
                Tok::Number(n) if n.bytes().all(|b| b.is_ascii_digit()) => {
                    self.advance();
                    TimeTravel::Version(n)
                }
                Tok::Str(s) => {
                    self.advance();
                    TimeTravel::Version(s)
                }
                _ => return self.error(),
            }
        } else {
            let e = self.parse_expression()?;
            if refers_to_columns(&e) {
                return Err(crate::ParseError::other(
                    "_LEGACY_ERROR_TEMP_0056",
                    "",
                    "Invalid time travel spec: timestamp expression cannot refer to any columns.",
                ));
            }
            TimeTravel::Timestamp(e)
        };
        Ok(rel(RelationKind::TimeTravel { input: Box::new(table), spec }))
    }

    /// `TABLESAMPLE (n PERCENT | n ROWS | BUCKET x OUT OF y) [REPEATABLE (seed)]`.
    pub(crate) fn parse_table_sample(&mut self, input: Relation) -> ParseResult<Relation> {
        self.expect_sym("(")?;
        let out = if self.eat_word("bucket") {
            let x = self.parse_integer()?;
            self.expect_word("out")?;
            self.expect_word("of")?;
            let y = self.parse_integer()?;
            if x <= 0 || y <= 0 || x > y {
                return Err(crate::ParseError::other(
                    "_LEGACY_ERROR_TEMP_0064",
                    "42000",
                    format!("Sampling fraction ({}) must be on interval [0, 1]", x as f64 / y as f64),
                ));
            }
            self.expect_sym(")")?;
            let (lower, upper) = ((x - 1) as f64 / y as f64, x as f64 / y as f64);
            rel(RelationKind::Sample { input: Box::new(input), lower, upper, with_replacement: false, seed: None })
        } else {
            let n = match self.advance() {
                Tok::Number(n) => n,
                _ => return self.error(),
            };
            if self.eat_word("rows") {
                let rows: i64 = n.trim_end_matches(['L', 'l']).parse().or_else(|_| self.error())?;
                self.expect_sym(")")?;
                rel(RelationKind::Limit { input: Box::new(input), limit: rows })
            } else {
                self.expect_word("percent")?;
                let p: f64 = n.trim_end_matches(['D', 'd', 'F', 'f']).parse().or_else(|_| self.error())?;
                if !(0.0..=100.0).contains(&p) {
                    return Err(crate::ParseError::other(
                        "_LEGACY_ERROR_TEMP_0064",
                        "42000",
                        format!("Sampling fraction ({}) must be on interval [0, 1]", p / 100.0),
                    ));
                }
                self.expect_sym(")")?;
                rel(RelationKind::Sample { input: Box::new(input), lower: 0.0, upper: p / 100.0, with_replacement: false, seed: None })
            }
        };
        if self.eat_word("repeatable") {
            self.expect_sym("(")?;
            let seed = self.parse_integer()?;
            self.expect_sym(")")?;
            if let RelationKind::Sample { input, lower, upper, with_replacement, .. } = out.kind {
                return Ok(rel(RelationKind::Sample { input, lower, upper, with_replacement, seed: Some(seed) }));
            }
        }
        Ok(out)
    }

    fn table_function(&mut self, name: Vec<String>, args: Vec<Expr>) -> ParseResult<Relation> {
        let fname = name.join(".").to_ascii_lowercase();
        match spark_plan::relation::table_valued_function(&fname, args) {
            Some(r) => Ok(r),
            None => self.error(),
        }
    }

    /// `[AS] t [(a, b)]` after a relation; `function`: the name of the
    /// table-valued function the relation calls.
    fn parse_table_alias(&mut self, base: Relation, function: Option<String>) -> ParseResult<Relation> {
        let alias = if self.eat_word("as") {
            Some(self.parse_identifier()?)
        } else {
            match self.peek().clone() {
                Tok::Word(w) if !crate::parser::is_reserved(&w) && !is_table_clause_word(&w) => {
                    self.advance();
                    Some(w)
                }
                Tok::Quoted(q) => {
                    self.advance();
                    Some(q)
                }
                _ => None,
            }
        };
        let Some(alias) = alias else { return Ok(base) };
        let mut input = base;
        if self.eat_sym("(") {
            let names = self.parse_comma_separated(|p| p.parse_identifier())?;
            self.expect_sym(")")?;
            input = match (input.kind, function) {
                // An inline table's column names, as many as its columns.
                (RelationKind::Values { rows, .. }, _) => {
                    let width = rows.first().map_or(0, Vec::len);
                    if width != names.len() {
                        return Err(crate::ParseError::other(
                            "INVALID_INLINE_TABLE.NUM_COLUMNS_MISMATCH",
                            "42000",
                            format!("Invalid inline table. Inline table expected {} columns but found {width} columns in row 0.", names.len()),
                        ));
                    }
                    rel(RelationKind::Values { rows, names })
                }
                (kind, Some(function)) => {
                    rel(RelationKind::TableFunctionAlias { input: Box::new(Relation { kind, ..input }), function, names })
                }
                (kind, None) => rel(RelationKind::ToDf { input: Box::new(Relation { kind, ..input }), names }),
            };
        }
        Ok(rel(RelationKind::SubqueryAlias { input: Box::new(input), alias }))
    }
}

/// An item of GROUP BY: an expression, or a construct that stands for
/// several grouping sets.
enum GroupingItem {
    Expr(Expr),
    /// `ROLLUP(g1, g2, ...)`: each a group of expressions.
    Rollup(Vec<Vec<Expr>>),
    Cube(Vec<Vec<Expr>>),
    Sets(Vec<Vec<Expr>>),
}

impl GroupingItem {
    /// The grouping sets this item stands for, in Spark's order.
    fn sets(&self) -> Vec<Vec<Expr>> {
        match self {
            GroupingItem::Expr(e) => vec![vec![e.clone()]],
            // (g1, g2), (g1), ()
            GroupingItem::Rollup(groups) => (0..=groups.len()).rev().map(|n| groups[..n].concat()).collect(),
            // Every subset, the first group's members first: (g1, g2), (g1), (g2), ().
            GroupingItem::Cube(groups) => groups.iter().rev().fold(vec![vec![]], |rest: Vec<Vec<Expr>>, g| {
                let with: Vec<Vec<Expr>> = rest.iter().map(|s| g.iter().chain(s).cloned().collect()).collect();
                with.into_iter().chain(rest).collect()
            }),
            GroupingItem::Sets(sets) => sets.clone(),
        }
    }
}

/// `LIMIT n` / `OFFSET n` over `input`: an integer literal as it is, any
/// other expression for the resolver to check and evaluate.
fn limit_like(input: Relation, value: Expr, offset: bool) -> Relation {
    let input = Box::new(input);
    match value {
        Expr::Literal(spark_plan::Literal::Integer(n)) if offset => rel(RelationKind::Offset { input, offset: i64::from(n) }),
        Expr::Literal(spark_plan::Literal::Integer(n)) => rel(RelationKind::Limit { input, limit: i64::from(n) }),
        value => rel(RelationKind::LimitExpression { input, value, offset }),
    }
}

/// `ORDER BY 2`: an integer names the second output column
/// (`spark.sql.orderByOrdinal`).
fn ordinal_key(o: spark_plan::SortOrder) -> spark_plan::SortOrder {
    match o.expr {
        Expr::Literal(spark_plan::Literal::Integer(n)) => spark_plan::SortOrder { expr: Expr::Ordinal(n as i64), ..o },
        _ => o,
    }
}

/// `ORDER BY ALL`: the one key is the bare name `all`.
fn is_all_keyword(e: &Expr) -> bool {
    matches!(e, Expr::Column { name, plan_id: None } if name.len() == 1 && name[0].eq_ignore_ascii_case("all"))
}

/// Replaces `OVER w` references to the WINDOW clause's named windows; an
/// undefined name stays a reference, which the analyzer reports.
fn bind_named_windows(e: Expr, defs: &[(String, Expr)]) -> ParseResult<Expr> {
    Ok(e.transform_up(&mut |node| match node {
        Expr::NamedWindow { function, window } => match defs.iter().find(|(n, _)| n.eq_ignore_ascii_case(&window)) {
            Some((_, Expr::Window { partition_by, order_by, frame, .. })) => {
                Expr::Window { function, partition_by: partition_by.clone(), order_by: order_by.clone(), frame: frame.clone() }
            }
            _ => Expr::NamedWindow { function, window },
        },
        other => other,
    }))
}

fn is_table_clause_word(w: &str) -> bool {
    // `do` ends the query of a script's `FOR ... DO`.
    const WORDS: [&str; 19] = [
        "where", "group", "having", "order", "limit", "offset", "sort", "cluster", "distribute",
        "lateral", "window", "pivot", "unpivot", "tablesample", "qualify", "union", "except",
        "minus", "do",
    ];
    WORDS.iter().any(|c| c.eq_ignore_ascii_case(w))
}

/// Whether `e` reads a column (outside its subqueries, which read their own).
fn refers_to_columns(e: &Expr) -> bool {
    matches!(e, Expr::Column { .. } | Expr::Star { .. }) || e.children().0.into_iter().any(refers_to_columns)
}

#[cfg(test)]
mod tests {
    use spark_plan::{Plan, RelationKind, TimeTravel};

    use crate::parse_statement;

    /// The time travel spec of the first table the query reads.
    fn spec(sql: &str) -> Option<TimeTravel> {
        let Ok(Plan::Query(q)) = parse_statement(sql) else { return None };
        let mut stack = vec![&q];
        while let Some(r) = stack.pop() {
            if let RelationKind::TimeTravel { spec, .. } = &r.kind {
                return Some(spec.clone());
            }
            stack.extend(r.children());
        }
        None
    }

    #[test]
    fn time_travel_clauses() {
        assert_eq!(spec("SELECT * FROM t VERSION AS OF 12"), Some(TimeTravel::Version("12".into())));
        assert_eq!(spec("SELECT * FROM db.t FOR SYSTEM_VERSION AS OF 'v1' AS x"), Some(TimeTravel::Version("v1".into())));
        assert!(matches!(spec("SELECT * FROM t FOR SYSTEM_TIME AS OF current_date() - 1"), Some(TimeTravel::Timestamp(_))));
        assert!(matches!(spec("SELECT * FROM t TIMESTAMP AS OF '2024-01-01' JOIN u"), Some(TimeTravel::Timestamp(_))));
        // `timestamp` and `version` stay aliases when no AS OF follows.
        assert_eq!(spec("SELECT * FROM t timestamp"), None);
        assert!(parse_statement("SELECT * FROM t version").is_ok());
        assert!(parse_statement("SELECT * FROM t VERSION AS OF 1.5").is_err());
        let e = parse_statement("SELECT * FROM t TIMESTAMP AS OF a + 1").err().map(|e| e.error_class().to_string());
        assert_eq!(e.as_deref(), Some("_LEGACY_ERROR_TEMP_0056"));
        // A subquery reads its own columns.
        assert!(matches!(spec("SELECT * FROM t TIMESTAMP AS OF (SELECT max(a) FROM u)"), Some(TimeTravel::Timestamp(_))));
    }

    fn select_items(sql: &str) -> Vec<spark_plan::Expr> {
        let Ok(Plan::Query(q)) = parse_statement(sql) else { return vec![] };
        match q.kind {
            RelationKind::Project { exprs, .. } => exprs,
            _ => vec![],
        }
    }

    #[test]
    fn keywords_that_end_a_select_are_aliases() {
        assert_eq!(select_items("SELECT 1 LIMIT"), vec![spark_plan::Expr::lit(spark_plan::Literal::Integer(1)).alias("LIMIT")]);
        assert_eq!(select_items("SELECT 1 WHERE;"), vec![spark_plan::Expr::lit(spark_plan::Literal::Integer(1)).alias("WHERE")]);
        // `SELECT a, FROM t`: a column `FROM` aliased `t`, as Spark reads it.
        assert_eq!(select_items("SELECT 1, FROM t").last(), Some(&spark_plan::Expr::column("FROM").alias("t")));
        assert_eq!(select_items("SELECT 1 FROM t"), vec![spark_plan::Expr::lit(spark_plan::Literal::Integer(1))]);
    }
}
