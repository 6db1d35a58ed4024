//! SQL user-defined functions: `CREATE TEMPORARY FUNCTION f(x INT)
//! RETURNS INT RETURN x + 1`. A call substitutes its arguments (cast to the
//! parameter types) for the parameters of the body.

use crate::{CastMode, DataType, Expr, Literal, Relation, RelationKind};

/// One parameter: `name type [DEFAULT expr] [COMMENT '...']`.
#[derive(Debug, Clone, PartialEq)]
pub struct SqlFunctionParam {
    pub name: String,
    pub data_type: DataType,
    pub default: Option<Expr>,
    pub comment: Option<String>,
}

/// A scalar SQL function as declared.
#[derive(Debug, Clone, PartialEq)]
pub struct SqlFunction {
    pub name: String,
    pub params: Vec<SqlFunctionParam>,
    /// `RETURNS type`; without it the body's own type.
    pub returns: Option<DataType>,
    pub body: Expr,
    pub comment: Option<String>,
    /// `[NOT] DETERMINISTIC` (deterministic unless said otherwise).
    pub deterministic: bool,
    /// `CONTAINS SQL` or `READS SQL DATA`, as declared (Spark's default is
    /// CONTAINS SQL).
    pub data_access: String,
}

/// `CREATE [OR REPLACE] [TEMPORARY] FUNCTION ... RETURN ...`.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateSqlFunction {
    pub function: SqlFunction,
    /// `db` of `CREATE FUNCTION db.f`.
    pub database: Option<String>,
    /// The statement as written, which a persistent function is kept as.
    pub sql: String,
    pub replace: bool,
    pub temporary: bool,
    pub if_not_exists: bool,
}

impl SqlFunction {
    /// The relation a body is checked against when the function is
    /// created: one row whose columns are the parameters, typed and NULL,
    /// under the function's name.
    pub fn parameter_relation(&self) -> Relation {
        let exprs = self
            .params
            .iter()
            .map(|p| {
                let null = Expr::Cast { expr: Box::new(Expr::Literal(Literal::Null(DataType::Null))), to: p.data_type.clone(), mode: CastMode::Default, explicit: false };
                null.alias(&p.name)
            })
            .collect();
        let params = Relation::new(RelationKind::Project { input: Box::new(Relation::new(RelationKind::OneRow)), exprs });
        // `f.x` names the parameter `x` of `f`.
        Relation::new(RelationKind::SubqueryAlias { input: Box::new(params), alias: self.name.clone() })
    }
}
