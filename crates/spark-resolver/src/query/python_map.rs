//! `mapInPandas` / `mapInArrow`: the input resolved as a query, and a scan
//! of `spark_python::map_partitions::PythonMapTable` that runs the Python
//! function over it, one task per partition.

use std::sync::Arc;

use datafusion::arrow::datatypes::{Field, Fields, Schema};
use datafusion::datasource::provider_as_source;
use datafusion::logical_expr::{Expr as DfExpr, LogicalPlanBuilder};
use spark_plan::{DataType, PythonFunction, Relation};
use spark_python::EvalType;
use spark_python::map_partitions::{MapFunction, PythonMapTable};

use crate::resolver::{Resolver, fresh_id};
use crate::types::{canonical_arrow, to_arrow};
use crate::{ResolveError, ResolveResult, ResolvedColumn, ResolvedRelation};

impl Resolver<'_> {
    pub(crate) fn resolve_map_partitions(&mut self, input: &Relation, function: &PythonFunction) -> ResolveResult<ResolvedRelation> {
        let eval_type = EvalType::from_code(function.eval_type);
        if !matches!(eval_type, EvalType::MapPandasIter | EvalType::MapArrowIter) {
            return Err(ResolveError::invalid(format!("mapInPandas/mapInArrow with a function of eval type {}", function.eval_type)));
        }
        let Some(python) = &self.config.python else {
            return Err(ResolveError::unsupported("mapInPandas and mapInArrow: this server runs without Python workers"));
        };
        let DataType::Struct(out_fields) = &function.output_type else {
            return Err(ResolveError::invalid("the schema of mapInPandas/mapInArrow must be a struct"));
        };
        let tz = self.config.time_zone.clone();
        let child = self.resolve_query(input)?;
        let input_fields: Fields = child
            .columns
            .iter()
            .zip(child.plan.schema().fields())
            .map(|(c, f)| Ok(Field::new(&c.name, canonical_arrow(f.data_type(), &tz)?, true)))
            .collect::<ResolveResult<Vec<_>>>()?
            .into();
        let scan_names: Vec<String> = (0..out_fields.len()).map(|i| format!("c{i}")).collect();
        let output = Arc::new(Schema::new(
            out_fields.iter().zip(&scan_names).map(|(f, n)| Ok(Field::new(n, to_arrow(&f.data_type, &tz)?, f.nullable))).collect::<ResolveResult<Vec<_>>>()?,
        ));
        let mut ctx = python.context.clone();
        if let Some(flag) = crate::cancel::current_flag() {
            ctx.cancel = flag;
        }
        let table = PythonMapTable {
            input: child.plan,
            function: MapFunction {
                ctx,
                eval_type: function.eval_type,
                python_ver: function.python_ver.clone(),
                command: function.command.clone(),
                input_fields,
                output,
            },
        };
        let plan = LogicalPlanBuilder::scan("python_map", provider_as_source(Arc::new(table)), None)?.build()?;
        let ids: Vec<String> = out_fields.iter().map(|_| fresh_id()).collect();
        let plan = LogicalPlanBuilder::from(plan)
            .project(scan_names.iter().zip(&ids).map(|(n, id)| DfExpr::Column(datafusion::common::Column::new(Some("python_map"), n)).alias(id.clone())))?
            .build()?;
        let columns = ids.into_iter().zip(out_fields).map(|(id, f)| ResolvedColumn::new(id, f.name.clone())).collect();
        Ok(ResolvedRelation { plan, columns })
    }
}
