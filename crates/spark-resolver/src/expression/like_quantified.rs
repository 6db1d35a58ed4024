//! `v [NOT] [I]LIKE ANY|ALL (p, ...)`, named as Spark names it
//! (`likeany(v)`; with a NULL pattern, the OR / AND of the LIKEs).

use datafusion::logical_expr::expr::Like;
use datafusion::logical_expr::{BinaryExpr, Expr as DfExpr, Operator};
use spark_plan::{Expr, Literal, Quantifier};

use super::ResolvedExpr;
use crate::resolver::Resolver;
use crate::{ResolveResult, ResolvedRelation};

impl Resolver<'_> {
    pub(crate) fn resolve_like_quantified(
        &mut self,
        value: &Expr,
        patterns: &[Expr],
        quantifier: Quantifier,
        case_insensitive: bool,
        negated: bool,
        scope: &ResolvedRelation,
    ) -> ResolveResult<ResolvedExpr> {
        let all = quantifier == Quantifier::All;
        let v = self.resolve_expr(value, scope)?;
        let pats = self.resolve_arguments(patterns, scope)?;
        let has_null = patterns.iter().any(|p| matches!(p, Expr::Literal(Literal::Null(_))));
        let lower_case = |e: DfExpr| datafusion::functions::string::expr_fn::lower(e);
        let op = if all { Operator::And } else { Operator::Or };
        let expr = pats
            .iter()
            .map(|p| {
                let (value, pattern) = if case_insensitive { (lower_case(v.expr.clone()), lower_case(p.expr.clone())) } else { (v.expr.clone(), p.expr.clone()) };
                DfExpr::Like(Like::new(negated, Box::new(value), Box::new(pattern), Some('\\'), false))
            })
            .reduce(|a, b| DfExpr::BinaryExpr(BinaryExpr::new(Box::new(a), op, Box::new(b))));
        let kind = format!("{}like_{}", if negated { "not_" } else { "" }, if all { "all" } else { "any" });
        let Some(expr) = expr else { return Err(crate::functions::wrong_args(&kind, 1, "> 1")) };
        let shown_value = if case_insensitive { format!("lower({})", v.name) } else { v.name.clone() };
        let name = if has_null {
            let word = if negated { "NOT LIKE" } else { "LIKE" };
            let joined = pats.iter().map(|p| format!("{shown_value} {word} {}", p.name)).collect::<Vec<_>>().join(if all { " AND " } else { " OR " });
            format!("({joined})")
        } else {
            format!("{}like{}({shown_value})", if negated { "not" } else { "" }, if all { "all" } else { "any" })
        };
        Ok(ResolvedExpr { expr, name, nullable: Some(true) })
    }
}
