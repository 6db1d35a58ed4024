//! Calls of Python UDTFs (`MyUdtf(lit(1))`, `SELECT * FROM my_udtf(1)`,
//! `LATERAL my_udtf(t.x)`): the rows the UDTF yields for each input row, as
//! a list the generator machinery unnests like `inline`.

use std::sync::Arc;

use datafusion::arrow::datatypes::{Field, Fields};
use datafusion::logical_expr::{Expr as DfExpr, ScalarUDF};
use spark_plan::{DataType, Expr, PythonTableFunction, StructField};
use spark_python::table_function::{PythonTableUdf, UdtfCall};

use super::call_scalar;
use crate::resolver::Resolver;
use crate::types::{canonical_arrow, to_arrow};
use crate::{ResolveError, ResolveResult, ResolvedRelation};

/// pyspark's `SQL_ARROW_TABLE_UDF`.
const ARROW_TABLE_UDF: i32 = 301;

impl Resolver<'_> {
    pub(crate) fn python_udtf_rows(&mut self, f: &PythonTableFunction, args: &[Expr], scope: &ResolvedRelation) -> ResolveResult<DfExpr> {
        let Some(python) = &self.config.python else {
            return Err(ResolveError::unsupported(format!("the Python UDTF `{}`: this server runs without Python workers", f.name)));
        };
        if f.eval_type != ARROW_TABLE_UDF {
            return Err(ResolveError::unsupported(format!(
                "the Python UDTF `{}` without Arrow (eval type {}); use useArrow=True or keep spark.sql.execution.pythonUDTF.arrow.enabled on",
                f.name, f.eval_type
            )));
        }
        let Some(DataType::Struct(out_fields)) = &f.return_type else {
            return Err(ResolveError::unsupported(format!("the Python UDTF `{}` without a returnType (its analyze method)", f.name)));
        };
        let tz = self.config.time_zone.clone();
        let mut resolved = Vec::with_capacity(args.len());
        let mut call_args = Vec::with_capacity(args.len());
        let mut input_fields = Vec::with_capacity(args.len());
        for (i, arg) in args.iter().enumerate() {
            let (keyword, value) = match arg {
                Expr::NamedArgument { name, value } => (Some(name.clone()), value.as_ref()),
                other => (None, other),
            };
            let r = self.resolve_expr(value, scope)?;
            input_fields.push(StructField::new(format!("_{i}"), self.spark_type(&r.expr, scope)?, true));
            call_args.push((canonical_arrow(&self.arrow_type(&r.expr, scope)?, &tz)?, keyword));
            resolved.push(r.expr);
        }
        let fields: Fields = out_fields.iter().map(|f| Ok(Field::new(&f.name, to_arrow(&f.data_type, &tz)?, f.nullable))).collect::<ResolveResult<Vec<_>>>()?.into();
        let mut context = python.context.clone();
        if let Some(flag) = crate::cancel::current_flag() {
            context.cancel = flag;
        }
        let call = UdtfCall {
            name: f.name.clone(),
            eval_type: f.eval_type,
            python_ver: f.python_ver.clone(),
            command: f.command.clone(),
            args: call_args,
            input_type_json: spark_plan::schema_json::to_json_value(&DataType::Struct(input_fields)).to_string(),
            return_type_json: spark_plan::schema_json::to_json_value(&DataType::Struct(out_fields.clone())).to_string(),
            fields,
        };
        let udtf = Arc::new(ScalarUDF::new_from_impl(PythonTableUdf::new(context, call)));
        Ok(call_scalar(udtf, resolved))
    }
}
