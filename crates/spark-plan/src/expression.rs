//! Unresolved expressions.

use crate::{DataType, Literal, Relation};

/// How a cast treats invalid input (Spark's `EvalMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CastMode {
    /// Follow `spark.sql.ansi.enabled`.
    Default,
    Legacy,
    Ansi,
    Try,
    /// ANSI store assignment into a table column (INSERT): an overflow
    /// names the column.
    StoreAssignment,
}

/// `ANY` / `SOME` or `ALL` of a quantified predicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quantifier {
    Any,
    All,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SortOrder {
    pub expr: Expr,
    pub ascending: bool,
    /// `None` means Spark's default: NULLS FIRST for ascending, NULLS LAST for descending.
    pub nulls_first: Option<bool>,
}

impl SortOrder {
    pub fn nulls_first(&self) -> bool {
        self.nulls_first.unwrap_or(self.ascending)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameType {
    Rows,
    Range,
}

#[derive(Debug, Clone, PartialEq)]
pub enum WindowFrameBound {
    CurrentRow,
    UnboundedPreceding,
    UnboundedFollowing,
    /// An offset: negative values precede the current row.
    Value(Box<Expr>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct WindowFrame {
    pub frame_type: FrameType,
    pub lower: WindowFrameBound,
    pub upper: WindowFrameBound,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Literal(Literal),
    /// A literal written as `TYPE 'text'` (`DATE '2024-01-01'`, `TIMESTAMP '...'`,
    /// `INTERVAL '1' DAY`): its value can depend on session settings such as
    /// the time zone, so the resolver interprets the text.
    TypedLiteral { data_type: DataType, text: String },
    /// A column reference by (already split) name parts, e.g. `t.a.b` → `["t","a","b"]`.
    /// `plan_id` ties it to one DataFrame (`df["a"]`).
    Column { name: Vec<String>, plan_id: Option<i64> },
    /// `*`, `t.*` or `struct_col.*`; SQL's `* EXCEPT (a, t.b)` leaves out
    /// the columns `except` names.
    Star { target: Option<Vec<String>>, plan_id: Option<i64>, except: Vec<Vec<String>> },
    /// A function or operator call by Spark name (`+`, `==`, `upper`, ...).
    /// `filter` is an aggregate's `FILTER (WHERE ...)`; `within_group` the
    /// ordering of an ordered-set aggregate, `WITHIN GROUP (ORDER BY ...)`.
    Function { name: String, args: Vec<Expr>, distinct: bool, filter: Option<Box<Expr>>, within_group: Vec<SortOrder> },
    /// `value [NOT] [I]LIKE ANY|ALL (pattern, ...)`.
    LikeQuantified { value: Box<Expr>, patterns: Vec<Expr>, quantifier: Quantifier, case_insensitive: bool, negated: bool },
    /// `ORDER BY 2`: the second item of the select list
    /// (`spark.sql.orderByOrdinal`).
    Ordinal(i64),
    /// A reference to an earlier item of the same select list by its alias
    /// (Spark's lateral column alias), standing for that item's expression.
    /// The resolver makes these; Spark names them `lateralAliasReference(name)`.
    LateralAlias { alias: String, expr: Box<Expr> },
    Alias { expr: Box<Expr>, names: Vec<String>, metadata: Option<String> },
    /// `explicit` casts were written in SQL and appear in generated names
    /// (`CAST(a AS INT)`); DataFrame `col.cast(...)` keeps the child's name.
    Cast { expr: Box<Expr>, to: DataType, mode: CastMode, explicit: bool },
    SortOrder(Box<SortOrder>),
    Window {
        function: Box<Expr>,
        partition_by: Vec<Expr>,
        order_by: Vec<SortOrder>,
        frame: Option<WindowFrame>,
    },
    /// `f(...) OVER w` where `w` names a window of the query's WINDOW
    /// clause that the parser could not bind (an analysis error).
    NamedWindow { function: Box<Expr>, window: String },
    /// `child[extraction]`: array index, map key or struct field.
    ExtractValue { child: Box<Expr>, extraction: Box<Expr> },
    /// `v:a.b[0]`: the value of a VARIANT at a path (`$.a.b[0]`), named
    /// after its last key.
    VariantExtract { child: Box<Expr>, path: String, name: String },
    /// `col.withField` / `dropFields`: `value` is `None` for a drop.
    UpdateField { struct_expr: Box<Expr>, field: String, value: Option<Box<Expr>> },
    Lambda { params: Vec<String>, body: Box<Expr> },
    LambdaVariable(String),
    /// `colRegex`.
    Regex { pattern: String, plan_id: Option<i64> },
    NamedArgument { name: String, value: Box<Expr> },
    ScalarSubquery(Box<Relation>),
    Exists { plan: Box<Relation>, negated: bool },
    InSubquery { values: Vec<Expr>, plan: Box<Relation>, negated: bool },
    /// A call of a Python function (`udf`, `pandas_udf`, `arrow_udf`, or
    /// one registered with `spark.udf.register`).
    PythonUdf { function: PythonFunction, args: Vec<Expr> },
    /// A call of a Python UDTF (`@udtf` class): a generator of rows.
    PythonUdtf { function: PythonTableFunction, args: Vec<Expr> },
    /// A table argument of a UDTF (`TABLE(t) PARTITION BY k ORDER BY v`,
    /// `df.asTable()`): its rows, one call of `eval` each.
    TableArgument(Box<TableArgument>),
    /// A construct the server cannot run; kept to report it clearly.
    Unsupported(String),
}

/// `TABLE(t)` with how its rows are partitioned and ordered for the UDTF.
#[derive(Debug, Clone, PartialEq)]
pub struct TableArgument {
    pub plan: Relation,
    pub partition_by: Vec<Expr>,
    pub order_by: Vec<SortOrder>,
    /// `WITH SINGLE PARTITION`: all rows in one partition.
    pub single_partition: bool,
}

/// A Python UDTF as the client sends it.
#[derive(Debug, Clone, PartialEq)]
pub struct PythonTableFunction {
    pub name: String,
    /// pyspark's `PythonEvalType` code (300 pickled, 301 Arrow).
    pub eval_type: i32,
    /// `cloudpickle.dumps(handler_class)`, made by the client.
    pub command: std::sync::Arc<Vec<u8>>,
    /// The rows' struct type; `None` when the class computes it in `analyze`.
    pub return_type: Option<DataType>,
    pub python_ver: String,
    pub deterministic: bool,
}

/// A Python function as the client sends it: Python workers run it.
#[derive(Debug, Clone, PartialEq)]
pub struct PythonFunction {
    /// The name Spark shows in column names (`plus1`, `<lambda>`).
    pub name: String,
    /// pyspark's `PythonEvalType` code.
    pub eval_type: i32,
    /// `cloudpickle.dumps((function, return_type))`, made by the client.
    pub command: std::sync::Arc<Vec<u8>>,
    pub output_type: DataType,
    /// The client's Python `major.minor`.
    pub python_ver: String,
    pub deterministic: bool,
}

impl Expr {
    pub fn column(name: &str) -> Expr {
        Expr::Column { name: vec![name.to_string()], plan_id: None }
    }

    pub fn func(name: &str, args: Vec<Expr>) -> Expr {
        Expr::Function { name: name.to_string(), args, distinct: false, filter: None, within_group: vec![] }
    }

    /// `*`, or `target.*`.
    pub fn star(target: Option<Vec<String>>, plan_id: Option<i64>) -> Expr {
        Expr::Star { target, plan_id, except: vec![] }
    }

    pub fn alias(self, name: &str) -> Expr {
        Expr::Alias { expr: Box::new(self), names: vec![name.to_string()], metadata: None }
    }

    pub fn lit(l: Literal) -> Expr {
        Expr::Literal(l)
    }

    /// Whether this expression is or holds a window function call (not
    /// looking into subqueries).
    pub fn contains_window(&self) -> bool {
        matches!(self, Expr::Window { .. } | Expr::NamedWindow { .. }) || self.children().0.iter().any(|e| e.contains_window())
    }

    /// The expressions directly inside this one, and the plans of its
    /// subqueries.
    pub fn children(&self) -> (Vec<&Expr>, Vec<&Relation>) {
        match self {
            Expr::Function { args, filter, within_group, .. } => {
                let mut v: Vec<&Expr> = args.iter().collect();
                v.extend(filter.as_deref());
                v.extend(within_group.iter().map(|s| &s.expr));
                (v, vec![])
            }
            Expr::LikeQuantified { value, patterns, .. } => (std::iter::once(value.as_ref()).chain(patterns).collect(), vec![]),
            Expr::Alias { expr, .. } | Expr::Cast { expr, .. } | Expr::LateralAlias { expr, .. } => (vec![expr], vec![]),
            Expr::VariantExtract { child, .. } => (vec![child], vec![]),
            Expr::SortOrder(s) => (vec![&s.expr], vec![]),
            Expr::Window { function, partition_by, order_by, frame } => {
                let mut v: Vec<&Expr> = vec![function];
                v.extend(partition_by);
                v.extend(order_by.iter().map(|s| &s.expr));
                for b in frame.iter().flat_map(|f| [&f.lower, &f.upper]) {
                    if let WindowFrameBound::Value(e) = b {
                        v.push(e);
                    }
                }
                (v, vec![])
            }
            Expr::NamedWindow { function, .. } => (vec![function], vec![]),
            Expr::ExtractValue { child, extraction } => (vec![child, extraction], vec![]),
            Expr::UpdateField { struct_expr, value, .. } => (std::iter::once(struct_expr.as_ref()).chain(value.as_deref()).collect(), vec![]),
            Expr::Lambda { body, .. } => (vec![body], vec![]),
            Expr::NamedArgument { value, .. } => (vec![value], vec![]),
            Expr::ScalarSubquery(plan) | Expr::Exists { plan, .. } => (vec![], vec![plan]),
            Expr::TableArgument(t) => (t.partition_by.iter().chain(t.order_by.iter().map(|s| &s.expr)).collect(), vec![&t.plan]),
            Expr::InSubquery { values, plan, .. } => (values.iter().collect(), vec![plan]),
            Expr::PythonUdf { args, .. } | Expr::PythonUdtf { args, .. } => (args.iter().collect(), vec![]),
            Expr::Literal(_)
            | Expr::TypedLiteral { .. }
            | Expr::Column { .. }
            | Expr::Star { .. }
            | Expr::Ordinal(_)
            | Expr::LambdaVariable(_)
            | Expr::Regex { .. }
            | Expr::Unsupported(_) => (vec![], vec![]),
        }
    }

    /// Rebuilds the expression bottom-up, passing every node (after its
    /// children) through `f`. Subquery plans are left as they are.
    pub fn transform_up(self, f: &mut dyn FnMut(Expr) -> Expr) -> Expr {
        let each = |v: Vec<Expr>, f: &mut dyn FnMut(Expr) -> Expr| -> Vec<Expr> { v.into_iter().map(|e| e.transform_up(f)).collect() };
        let sort = |s: SortOrder, f: &mut dyn FnMut(Expr) -> Expr| SortOrder { expr: s.expr.transform_up(f), ..s };
        let node = match self {
            Expr::Function { name, args, distinct, filter, within_group } => Expr::Function {
                name,
                args: each(args, f),
                distinct,
                filter: filter.map(|c| Box::new(c.transform_up(f))),
                within_group: within_group.into_iter().map(|s| sort(s, f)).collect(),
            },
            Expr::LikeQuantified { value, patterns, quantifier, case_insensitive, negated } => Expr::LikeQuantified {
                value: Box::new(value.transform_up(f)),
                patterns: each(patterns, f),
                quantifier,
                case_insensitive,
                negated,
            },
            Expr::LateralAlias { alias, expr } => Expr::LateralAlias { alias, expr: Box::new(expr.transform_up(f)) },
            Expr::NamedWindow { function, window } => Expr::NamedWindow { function: Box::new(function.transform_up(f)), window },
            Expr::Alias { expr, names, metadata } => Expr::Alias { expr: Box::new(expr.transform_up(f)), names, metadata },
            Expr::Cast { expr, to, mode, explicit } => Expr::Cast { expr: Box::new(expr.transform_up(f)), to, mode, explicit },
            Expr::VariantExtract { child, path, name } => Expr::VariantExtract { child: Box::new(child.transform_up(f)), path, name },
            Expr::SortOrder(s) => Expr::SortOrder(Box::new(sort(*s, f))),
            Expr::Window { function, partition_by, order_by, frame } => Expr::Window {
                function: Box::new(function.transform_up(f)),
                partition_by: each(partition_by, f),
                order_by: order_by.into_iter().map(|s| sort(s, f)).collect(),
                frame,
            },
            Expr::ExtractValue { child, extraction } => {
                Expr::ExtractValue { child: Box::new(child.transform_up(f)), extraction: Box::new(extraction.transform_up(f)) }
            }
            Expr::UpdateField { struct_expr, field, value } => Expr::UpdateField {
                struct_expr: Box::new(struct_expr.transform_up(f)),
                field,
                value: value.map(|v| Box::new(v.transform_up(f))),
            },
            Expr::Lambda { params, body } => Expr::Lambda { params, body: Box::new(body.transform_up(f)) },
            Expr::NamedArgument { name, value } => Expr::NamedArgument { name, value: Box::new(value.transform_up(f)) },
            Expr::InSubquery { values, plan, negated } => Expr::InSubquery { values: each(values, f), plan, negated },
            Expr::PythonUdf { function, args } => Expr::PythonUdf { function, args: each(args, f) },
            Expr::PythonUdtf { function, args } => Expr::PythonUdtf { function, args: each(args, f) },
            other => other,
        };
        f(node)
    }

    /// Rebuilds the expression with every column reference replaced by
    /// `f(name, plan_id)`.
    pub fn map_columns(self, f: &mut dyn FnMut(Vec<String>, Option<i64>) -> Expr) -> Expr {
        self.transform_up(&mut |e| match e {
            Expr::Column { name, plan_id } => f(name, plan_id),
            other => other,
        })
    }
}
