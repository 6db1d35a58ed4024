//! `CAST(x AS type)`, `try_cast`, `col.cast("type")`.

use datafusion::logical_expr::{Cast, Expr as DfExpr, TryCast};
use spark_plan::{CastMode, DataType, Expr};

use super::ResolvedExpr;
use crate::resolver::Resolver;
use crate::types::to_arrow;
use crate::{ResolveResult, ResolvedRelation};

impl Resolver<'_> {
    pub(crate) fn resolve_cast(
        &mut self,
        expr: &Expr,
        to: &DataType,
        mode: CastMode,
        scope: &ResolvedRelation,
    ) -> ResolveResult<ResolvedExpr> {
        let inner = self.resolve_expr(expr, scope)?;
        let target = to_arrow(to, &self.config.time_zone)?;
        let ansi = match mode {
            CastMode::Default => self.config.ansi,
            CastMode::Ansi => true,
            CastMode::Legacy | CastMode::Try => false,
        };
        let e = if ansi {
            DfExpr::Cast(Cast::new(Box::new(inner.expr), target))
        } else {
            DfExpr::TryCast(TryCast::new(Box::new(inner.expr), target))
        };
        let prefix = if mode == CastMode::Try { "TRY_CAST" } else { "CAST" };
        Ok(ResolvedExpr::new(e, format!("{prefix}({} AS {})", inner.name, to.sql())))
    }
}
