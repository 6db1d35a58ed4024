//! How deeply a plan may nest, in one place for every front-end. The proto
//! adapter and the SQL parser build plans recursively and stop at these
//! depths with Spark's error; everything downstream (the resolver, which is
//! recursive too) can then rely on them. Wide plans (thousands of columns,
//! CASE branches or IN values) are not limited: they cost linear time.

use crate::{Expr, Relation};

/// Relations nested in one another (a chain of DataFrame operations,
/// nested subqueries). About 4,000 chained operations, as the Spark Connect
/// JVM server accepts.
pub const MAX_RELATION_DEPTH: usize = 4096;

/// Expressions nested in one another (`((a + 1) + 1) ...`, deep CASEs).
/// The JVM server's analyzer gives up on `((id + 1) + 1) ...` at about 100
/// levels; DataFusion's planning costs grow with the cube of such nesting,
/// so this keeps the worst case at a few seconds. Long AND / OR chains in SQL
/// are balanced trees and stay far below it.
pub const MAX_EXPRESSION_DEPTH: usize = 256;

/// A plan nested beyond a limit: what it was and the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TooDeep {
    Relations,
    Expressions,
}

impl TooDeep {
    pub fn limit(self) -> usize {
        match self {
            TooDeep::Relations => MAX_RELATION_DEPTH,
            TooDeep::Expressions => MAX_EXPRESSION_DEPTH,
        }
    }

    /// The message of Spark Connect's `CONNECT_INVALID_PLAN.PLAN_TOO_DEEP`.
    pub fn message(self) -> String {
        let what = match self {
            TooDeep::Relations => "The plan is nested more than",
            TooDeep::Expressions => "An expression is nested more than",
        };
        format!("{what} {} levels deep. Break long DataFrame chains with `checkpoint()` or temporary views, and long expressions into steps.", self.limit())
    }
}

/// Checks a built plan against the limits, without recursion (so a plan
/// too deep for the recursive resolver is refused rather than overflowing
/// it). Expressions nest inside the relation holding them; a subquery's
/// relations count from the expression holding it.
pub fn check(plan: &Relation) -> Result<(), TooDeep> {
    walk(vec![(Node::Relation(plan), 1, 0)])
}

/// [`check`] for an expression on its own (`expr()` strings).
pub fn check_expression(e: &Expr) -> Result<(), TooDeep> {
    walk(vec![(Node::Expression(e), 0, 1)])
}

enum Node<'a> {
    Relation(&'a Relation),
    Expression(&'a Expr),
}

/// Visits nodes from `stack`: (node, relation depth, expression depth).
fn walk(mut stack: Vec<(Node<'_>, usize, usize)>) -> Result<(), TooDeep> {
    while let Some((node, relations, expressions)) = stack.pop() {
        if relations > MAX_RELATION_DEPTH {
            return Err(TooDeep::Relations);
        }
        if expressions > MAX_EXPRESSION_DEPTH {
            return Err(TooDeep::Expressions);
        }
        match node {
            Node::Relation(r) => {
                stack.extend(r.children().into_iter().map(|c| (Node::Relation(c), relations + 1, 0)));
                stack.extend(r.expressions().into_iter().map(|e| (Node::Expression(e), relations, 1)));
            }
            Node::Expression(e) => {
                let (exprs, plans) = e.children();
                stack.extend(exprs.into_iter().map(|c| (Node::Expression(c), relations, expressions + 1)));
                stack.extend(plans.into_iter().map(|p| (Node::Relation(p), relations + 1, 0)));
            }
        }
    }
    Ok(())
}

/// [`check`] for every relation inside a command.
pub fn check_command(command: &crate::Command) -> Result<(), TooDeep> {
    use crate::Command as C;
    match command {
        C::CreateView { input, .. } | C::DescribeQuery { input } | C::Explain { input, .. } => check(input),
        C::CacheTable { input: Some(input), .. } => check(input),
        _ => Ok(()),
    }
}

/// Counts the nesting of relations and expressions while a plan is built.
#[derive(Debug, Default, Clone)]
pub struct DepthGuard {
    relations: usize,
    expressions: usize,
}

impl DepthGuard {
    pub fn enter_relation(&mut self) -> Result<(), TooDeep> {
        self.relations += 1;
        if self.relations > MAX_RELATION_DEPTH { Err(TooDeep::Relations) } else { Ok(()) }
    }

    pub fn leave_relation(&mut self) {
        self.relations = self.relations.saturating_sub(1);
    }

    pub fn enter_expression(&mut self) -> Result<(), TooDeep> {
        self.expressions += 1;
        if self.expressions > MAX_EXPRESSION_DEPTH { Err(TooDeep::Expressions) } else { Ok(()) }
    }

    pub fn leave_expression(&mut self) {
        self.expressions = self.expressions.saturating_sub(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::RelationKind;

    fn project(input: Relation, e: Expr) -> Relation {
        Relation::new(RelationKind::Project { input: Box::new(input), exprs: vec![e] })
    }

    fn range() -> Relation {
        Relation::new(RelationKind::Range { start: 0, end: 1, step: 1, num_partitions: None })
    }

    fn chain(depth: usize) -> Expr {
        let mut e = Expr::column("id");
        for _ in 0..depth {
            e = Expr::func("+", vec![e, Expr::column("id")]);
        }
        e
    }

    #[test]
    fn expressions_within_the_limit_pass() {
        assert_eq!(check(&project(range(), chain(MAX_EXPRESSION_DEPTH - 1))), Ok(()));
    }

    #[test]
    fn deep_expressions_are_refused() {
        assert_eq!(check(&project(range(), chain(MAX_EXPRESSION_DEPTH + 5))), Err(TooDeep::Expressions));
    }

    #[test]
    fn deep_relations_are_refused() {
        let mut r = range();
        for _ in 0..MAX_RELATION_DEPTH + 1 {
            r = project(r, Expr::column("id"));
        }
        assert_eq!(check(&r), Err(TooDeep::Relations));
        // Dropping a deep plan recurses; drop it iteratively in the test.
        let mut next = Some(r);
        while let Some(Relation { kind: RelationKind::Project { input, .. }, .. }) = next {
            next = Some(*input);
        }
    }
}
