//! Calls of Python UDTFs (`MyUdtf(lit(1))`, `SELECT * FROM my_udtf(1)`,
//! `LATERAL my_udtf(t.x)`): the rows the UDTF yields for each input row, as
//! a list the generator machinery unnests like `inline`.

use std::sync::Arc;

use datafusion::arrow::datatypes::{Field, Fields};
use datafusion::logical_expr::{Expr as DfExpr, ScalarUDF};
use spark_plan::{DataType, Expr, PythonTableFunction, StructField};
use spark_python::analyze::{AnalyzeArgument, AnalyzeResult};
use spark_python::table_function::{PythonTableUdf, UdtfCall};

use super::call_scalar;
use crate::resolver::Resolver;
use crate::types::to_arrow;
use crate::{ResolveError, ResolveResult, ResolvedRelation};

/// pyspark's `SQL_TABLE_UDF` (rows pickled) and `SQL_ARROW_TABLE_UDF`.
const TABLE_UDF: i32 = 300;
const ARROW_TABLE_UDF: i32 = 301;

/// How a UDTF runs: always the Arrow way, also when the client asked for
/// pickled rows (`useArrow=False`); the same handler class takes either.
pub(crate) fn udtf_eval_type(f: &PythonTableFunction) -> ResolveResult<i32> {
    match f.eval_type {
        TABLE_UDF | ARROW_TABLE_UDF => Ok(ARROW_TABLE_UDF),
        other => Err(ResolveError::unsupported(format!("the Python UDTF `{}` of eval type {other} (Arrow-native UDTFs)", f.name))),
    }
}

/// An argument as the UDTF's `analyze` sees it: its type, and its value
/// when it is a constant.
pub(crate) fn argument_for_analyze(e: &DfExpr, t: &DataType, is_table: bool, name: Option<String>) -> ResolveResult<AnalyzeArgument> {
    let constant = match crate::functions::constant_value(e).filter(|_| !is_table) {
        Some(v) => {
            let array = v.to_array().map_err(ResolveError::from)?;
            Some(spark_python::pickle_rows::pickle_value(array.as_ref(), 0).map_err(|e| ResolveError::invalid(e.to_string()))?)
        }
        None => None,
    };
    Ok(AnalyzeArgument { data_type_json: spark_plan::schema_json::to_json_value(t).to_string(), constant, is_table, name })
}

impl Resolver<'_> {
    /// The rows' type of a UDTF: its declared return type, or what its
    /// `analyze` answers for these arguments (with the pickled result).
    pub(crate) fn udtf_return_type(&self, f: &PythonTableFunction, args: &[AnalyzeArgument]) -> ResolveResult<(Vec<StructField>, Option<AnalyzeResult>)> {
        match &f.return_type {
            Some(DataType::Struct(fields)) => Ok((fields.clone(), None)),
            Some(other) => Err(ResolveError::invalid(format!("the return type of the UDTF `{}` must be a struct, not {}", f.name, other.simple_string()))),
            None => {
                let ctx = self.python_context(&format!("the Python UDTF `{}`", f.name))?;
                let result = spark_python::analyze::analyze(&ctx, &f.python_ver, &f.name, &f.command, args).map_err(|e| match e {
                    spark_python::PythonError::Exception(traceback) => ResolveError::analysis(
                        "TABLE_VALUED_FUNCTION_FAILED_TO_ANALYZE_IN_PYTHON",
                        "38000",
                        format!("Failed to analyze the Python user defined table function: {traceback}"),
                        &[("msg", traceback.clone())],
                    ),
                    other => ResolveError::DataFusion(other.into_df()),
                })?;
                match spark_plan::schema_json::parse_json_type(&result.schema_json) {
                    Ok(DataType::Struct(fields)) => Ok((fields, Some(result))),
                    _ => Err(ResolveError::invalid(format!("the analyze method of the UDTF `{}` returned a schema that is not a struct", f.name))),
                }
            }
        }
    }

    pub(crate) fn python_udtf_rows(&mut self, f: &PythonTableFunction, args: &[Expr], scope: &ResolvedRelation) -> ResolveResult<DfExpr> {
        let context = self.python_context(&format!("the Python UDTF `{}`", f.name))?;
        let eval_type = udtf_eval_type(f)?;
        let tz = self.config.time_zone.clone();
        let arguments = self.resolve_python_arguments(args, scope)?;
        let described: Vec<AnalyzeArgument> = arguments
            .exprs
            .iter()
            .zip(&arguments.fields)
            .zip(&arguments.wire)
            .map(|((e, field), (_, keyword))| argument_for_analyze(e, &field.data_type, false, keyword.clone()))
            .collect::<ResolveResult<_>>()?;
        let (out_fields, analyzed) = self.udtf_return_type(f, &described)?;
        let fields: Fields = out_fields.iter().map(|f| Ok(Field::new(&f.name, to_arrow(&f.data_type, &tz)?, f.nullable))).collect::<ResolveResult<Vec<_>>>()?.into();
        let input_type_json = arguments.input_type_json();
        let call = UdtfCall {
            name: f.name.clone(),
            eval_type,
            python_ver: f.python_ver.clone(),
            command: f.command.clone(),
            args: arguments.wire,
            input_type_json,
            return_type_json: spark_plan::schema_json::to_json_value(&DataType::Struct(out_fields.clone())).to_string(),
            fields,
            analyze_result: analyzed.map(|a| a.pickled),
        };
        let udtf = Arc::new(ScalarUDF::new_from_impl(PythonTableUdf::new(context, call)));
        Ok(call_scalar(udtf, arguments.exprs))
    }
}
