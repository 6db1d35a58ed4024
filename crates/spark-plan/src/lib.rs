//! The unresolved plan: what a Spark client asked for, before any name or type
//! is resolved. Both front-ends produce it (the Spark Connect protocol adapter
//! and the Spark SQL parser), and the resolver turns it into a DataFusion plan.
//! Nothing here knows about protobuf or gRPC.

pub mod catalog;
pub mod data_type;
pub mod error;
pub mod expression;
pub mod fingerprint;
pub mod format;
pub mod limits;
pub mod literal;
pub mod relation;
pub mod schema_json;
pub mod script;
pub mod sql_function;
pub mod table;
pub mod variable;
pub mod write;

pub use catalog::{CatalogCommand, CatalogName};
pub use data_type::{DataType, IntervalUnit, StructField};
pub use error::{PlanError, PlanResult};
pub use expression::{CastMode, Expr, FrameType, PythonFunction, PythonTableFunction, TableArgument, Quantifier, SortOrder, WindowFrame, WindowFrameBound};
pub use literal::Literal;
pub use script::ScriptStatement;
pub use sql_function::{CreateSqlFunction, SqlFunction, SqlFunctionParam};
pub use variable::{DeclareVariable, ExecuteImmediate, VariableValues};
pub use table::{AlterDatabaseAction, AlterTableAction, CreateDatabase, CreatePersistentView, CreateTable, InsertInto};
pub use write::{Bucketing, SaveMode, WriteCommand, WriteTarget, WriteToCommand, WriteToMode};
pub use relation::{
    AggregateKind, Command, Cte, RowLevelOperation, TableMaintenance, IpcStream, JoinType, Plan, ReadSource, Relation, RelationKind, SetOpKind, TimeTravel, TimeZoneSetting,
};
