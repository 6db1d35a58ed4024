//! Relations a Python function computes — `mapInPandas`/`mapInArrow`,
//! `groupBy(...).applyInPandas`/`applyInArrow` and their cogroup forms: the input resolved as a
//! query (grouped relations also hash-partitioned by their keys, so that a
//! group lives in one partition), and a scan of
//! `spark_python::relation::PythonMapTable` that runs the function.

use std::sync::Arc;

use datafusion::arrow::datatypes::{Field, Fields, Schema};
use datafusion::datasource::provider_as_source;
use datafusion::logical_expr::{Expr as DfExpr, LogicalPlan, LogicalPlanBuilder, Partitioning};
use spark_plan::{DataType, Expr, PythonFunction, Relation};
use spark_python::EvalType;
use spark_python::relation::{InputShape, MapFunction, PythonMapTable};

use crate::resolver::{Resolver, fresh_id, id_col};
use crate::types::{canonical_arrow, to_arrow};
use crate::{ResolveError, ResolveResult, ResolvedColumn, ResolvedRelation};

/// A column named by a UDTF's `analyze` (a name or an expression).
fn parse_column_expression(text: &str) -> ResolveResult<Expr> {
    spark_sql_parser::parse_expression(text).map_err(|e| ResolveError::invalid(format!("the UDTF's analyze named the column `{text}`: {e}")))
}

impl Resolver<'_> {
    pub(crate) fn resolve_map_partitions(&mut self, input: &Relation, function: &PythonFunction) -> ResolveResult<ResolvedRelation> {
        if !matches!(EvalType::from_code(function.eval_type), EvalType::MapPandasIter | EvalType::MapArrowIter) {
            return Err(ResolveError::invalid(format!("mapInPandas/mapInArrow with a function of eval type {}", function.eval_type)));
        }
        let child = self.resolve_query(input)?;
        let fields = self.input_fields(&child, &[])?;
        self.python_relation(vec![child.plan], fields, None, InputShape::Batches, function)
    }

    pub(crate) fn resolve_group_map(&mut self, input: &Relation, grouping: &[Expr], function: &PythonFunction) -> ResolveResult<ResolvedRelation> {
        let wrap_struct = match EvalType::from_code(function.eval_type) {
            EvalType::GroupedMapPandas => false,
            EvalType::GroupedMapArrow => true,
            _ => return Err(ResolveError::invalid(format!("applyInPandas/applyInArrow with a function of eval type {}", function.eval_type))),
        };
        let child = self.resolve_query(input)?;
        let (plan, fields, keys) = self.keyed_input(child, grouping, None)?;
        self.python_relation(vec![plan], fields, None, InputShape::Groups { keys: keys.len(), wrap_struct }, function)
    }

    pub(crate) fn resolve_cogroup_map(
        &mut self,
        left: &Relation,
        left_grouping: &[Expr],
        right: &Relation,
        right_grouping: &[Expr],
        function: &PythonFunction,
    ) -> ResolveResult<ResolvedRelation> {
        if !matches!(EvalType::from_code(function.eval_type), EvalType::CogroupedMapPandas | EvalType::CogroupedMapArrow) {
            return Err(ResolveError::invalid(format!("cogroup().applyInPandas/applyInArrow with a function of eval type {}", function.eval_type)));
        }
        if left_grouping.len() != right_grouping.len() {
            return Err(ResolveError::invalid("both sides of a cogroup need the same number of grouping keys"));
        }
        let l = self.resolve_query(left)?;
        let r = self.resolve_query(right)?;
        let (left_plan, left_fields, key_types) = self.keyed_input(l, left_grouping, None)?;
        // The right keys take the left keys' types: equal keys hash alike.
        let (right_plan, right_fields, _) = self.keyed_input(r, right_grouping, Some(&key_types))?;
        self.python_relation(vec![left_plan, right_plan], left_fields, Some(right_fields), InputShape::CoGroups { keys: key_types.len() }, function)
    }

    /// `child`'s columns then its grouping keys, hash-partitioned by the
    /// keys (one partition without keys); with `cast_to`, the keys are cast
    /// to those types. Returns the plan, the fields Python sees and the
    /// keys' types.
    fn keyed_input(
        &mut self,
        child: ResolvedRelation,
        grouping: &[Expr],
        cast_to: Option<&[datafusion::arrow::datatypes::DataType]>,
    ) -> ResolveResult<(LogicalPlan, Fields, Vec<datafusion::arrow::datatypes::DataType>)> {
        let mut keys = Vec::with_capacity(grouping.len());
        for (i, g) in grouping.iter().enumerate() {
            let r = self.resolve_expr(g, &child)?;
            let t = self.arrow_type(&r.expr, &child)?;
            let (expr, t) = match cast_to.and_then(|c| c.get(i)) {
                Some(target) if *target != t => (datafusion::logical_expr::cast(r.expr, target.clone()), target.clone()),
                _ => (r.expr, t),
            };
            keys.push((fresh_id(), r.name, expr, t));
        }
        let key_names: Vec<(String, DfExpr)> = keys.iter().map(|(id, name, e, _)| (name.clone(), e.clone().alias(id.clone()))).collect();
        let fields = self.input_fields(&child, &key_names)?;
        let mut projection: Vec<DfExpr> = child.columns.iter().map(|c| id_col(&c.id)).collect();
        projection.extend(key_names.into_iter().map(|(_, e)| e));
        let projected = LogicalPlanBuilder::from(child.plan).project(projection)?;
        let partitions = self.state.config().target_partitions().max(1);
        let partitioned = if keys.is_empty() {
            projected.repartition(Partitioning::RoundRobinBatch(1))?
        } else {
            projected.repartition(Partitioning::Hash(keys.iter().map(|(id, ..)| id_col(id)).collect(), partitions))?
        };
        Ok((partitioned.build()?, fields, keys.into_iter().map(|(.., t)| t).collect()))
    }

    /// A UDTF whose argument is a table (`f(TABLE(t) PARTITION BY k ORDER
    /// BY v)`): `eval` runs for each of the table's rows, partitioned and
    /// ordered as asked, and the result is the UDTF's rows alone.
    pub(crate) fn resolve_udtf_over_table(
        &mut self,
        f: &spark_plan::PythonTableFunction,
        args: &[Expr],
    ) -> ResolveResult<ResolvedRelation> {
        let tables: Vec<&spark_plan::TableArgument> = args
            .iter()
            .filter_map(|a| match a {
                Expr::TableArgument(t) => Some(t.as_ref()),
                Expr::NamedArgument { value, .. } => match value.as_ref() {
                    Expr::TableArgument(t) => Some(t.as_ref()),
                    _ => None,
                },
                _ => None,
            })
            .collect();
        let [table] = tables.as_slice() else {
            return Err(ResolveError::unsupported(format!("the Python UDTF `{}` with more than one TABLE argument", f.name)));
        };
        let eval_type = crate::expression::udtf_eval_type(f)?;
        let tz = self.config.time_zone.clone();
        let t = self.resolve_query(&table.plan)?;
        // What `analyze` sees (when the UDTF has no return type): the table
        // as a struct of its columns, the other arguments' types and values.
        let mut described = vec![];
        for a in args {
            let (keyword, value) = match a {
                Expr::NamedArgument { name, value } => (Some(name.clone()), value.as_ref()),
                other => (None, other),
            };
            described.push(match value {
                Expr::TableArgument(_) => {
                    let fields = t.visible().map(|c| Ok(spark_plan::StructField::new(c.name.clone(), self.spark_type(&id_col(&c.id), &t)?, true))).collect::<ResolveResult<Vec<_>>>()?;
                    crate::expression::argument_for_analyze(&id_col("_"), &DataType::Struct(fields), true, keyword)?
                }
                other => {
                    let r = self.resolve_expr(other, &t)?;
                    let st = self.spark_type(&r.expr, &t)?;
                    crate::expression::argument_for_analyze(&r.expr, &st, false, keyword)?
                }
            });
        }
        let (out_fields, analyzed) = self.udtf_return_type(f, &described)?;
        // The partitioning and ordering: the call's, else what `analyze` asks.
        let mut partition_by = table.partition_by.clone();
        let mut order_by = table.order_by.clone();
        let mut single_partition = table.single_partition;
        if let Some(a) = analyzed.as_ref().filter(|_| partition_by.is_empty() && order_by.is_empty() && !single_partition) {
            single_partition = a.with_single_partition;
            partition_by = a.partition_by.iter().map(|c| parse_column_expression(c)).collect::<ResolveResult<_>>()?;
            order_by = a
                .order_by
                .iter()
                .map(|(c, ascending, nulls_first)| Ok(spark_plan::SortOrder { expr: parse_column_expression(c)?, ascending: *ascending, nulls_first: *nulls_first }))
                .collect::<ResolveResult<_>>()?;
        }
        // The table argument: a struct of its columns (those `analyze`
        // selects, under their aliases), then the PARTITION BY keys
        // (`partition_by_<i>`, which the worker watches and hides).
        let mut struct_args: Vec<DfExpr> = vec![];
        match analyzed.as_ref().map(|a| &a.select).filter(|s| !s.is_empty()) {
            Some(select) => {
                for (column, alias) in select {
                    let r = self.resolve_expr(&parse_column_expression(column)?, &t)?;
                    struct_args.push(datafusion::logical_expr::lit(if alias.is_empty() { column.clone() } else { alias.clone() }));
                    struct_args.push(r.expr);
                }
            }
            None => {
                for c in t.visible() {
                    struct_args.push(datafusion::logical_expr::lit(c.name.clone()));
                    struct_args.push(id_col(&c.id));
                }
            }
        }
        let visible = struct_args.len() / 2;
        let mut keys = vec![];
        for (i, p) in partition_by.iter().enumerate() {
            let r = self.resolve_expr(p, &t)?;
            struct_args.push(datafusion::logical_expr::lit(format!("partition_by_{i}")));
            struct_args.push(r.expr.clone());
            keys.push(r.expr);
        }
        let table_struct = datafusion::functions::core::expr_fn::named_struct(struct_args);
        // The columns sent: the arguments, then the sort keys.
        let mut columns: Vec<(DfExpr, Option<String>)> = vec![];
        for a in args {
            let (keyword, value) = match a {
                Expr::NamedArgument { name, value } => (Some(name.clone()), value.as_ref()),
                other => (None, other),
            };
            let e = match value {
                Expr::TableArgument(_) => table_struct.clone(),
                other => self.resolve_expr(other, &t)?.expr,
            };
            columns.push((e, keyword));
        }
        let arg_count = columns.len();
        let mut sort = vec![];
        for k in &keys {
            sort.push((columns.len(), datafusion::arrow::compute::SortOptions { descending: false, nulls_first: true }));
            columns.push((k.clone(), None));
        }
        for o in &order_by {
            let r = self.resolve_expr(&o.expr, &t)?;
            sort.push((columns.len(), datafusion::arrow::compute::SortOptions { descending: !o.ascending, nulls_first: o.nulls_first() }));
            columns.push((r.expr, None));
        }
        let ids: Vec<String> = columns.iter().map(|_| fresh_id()).collect();
        let mut fields = vec![];
        let mut spark_fields = vec![];
        for (i, (e, _)) in columns.iter().enumerate() {
            let at = self.arrow_type(e, &t)?;
            fields.push(Field::new(format!("_{i}"), canonical_arrow(&at, &tz)?, true));
            spark_fields.push(spark_plan::StructField::new(format!("_{i}"), self.spark_type(e, &t)?, true));
        }
        let projected = LogicalPlanBuilder::from(t.plan).project(columns.iter().zip(&ids).map(|((e, _), id)| e.clone().alias(id.clone())))?;
        let partitioned = if single_partition {
            projected.repartition(Partitioning::RoundRobinBatch(1))?
        } else if !keys.is_empty() {
            let partitions = self.state.config().target_partitions().max(1);
            projected.repartition(Partitioning::Hash(ids[arg_count..arg_count + keys.len()].iter().map(|id| id_col(id)).collect(), partitions))?
        } else {
            projected
        };
        let out = DataType::Struct(out_fields);
        let call = spark_python::task::TableFunctionCall {
            args: columns.iter().take(arg_count).enumerate().map(|(i, (_, k))| (i, k.clone())).collect(),
            partition_children: (visible..visible + keys.len()).collect(),
            command: f.command.clone(),
            return_type_json: spark_plan::schema_json::to_json_value(&out).to_string(),
            name: f.name.clone(),
            analyze_result: analyzed.map(|a| a.pickled),
        };
        let input_type_json = spark_plan::schema_json::to_json_value(&DataType::Struct(spark_fields)).to_string();
        let function = PythonFunction {
            name: f.name.clone(),
            eval_type,
            command: f.command.clone(),
            output_type: out,
            python_ver: f.python_ver.clone(),
            deterministic: f.deterministic,
        };
        self.python_relation(vec![partitioned.build()?], fields.into(), None, InputShape::TableRows { call, sort, input_type_json }, &function)
    }

    /// The columns of `child` (then `extra` expressions over it) as Spark
    /// sends them to Python: their names and canonical Arrow types.
    fn input_fields(&self, child: &ResolvedRelation, extra: &[(String, DfExpr)]) -> ResolveResult<Fields> {
        let tz = &self.config.time_zone;
        let mut fields = Vec::with_capacity(child.columns.len() + extra.len());
        for (c, f) in child.columns.iter().zip(child.plan.schema().fields()) {
            fields.push(Field::new(&c.name, canonical_arrow(f.data_type(), tz)?, true));
        }
        for (name, e) in extra {
            let t = self.arrow_type(e, child)?;
            fields.push(Field::new(name, canonical_arrow(&t, tz)?, true));
        }
        Ok(fields.into())
    }

    /// The scan that runs `function` over `inputs` (whose columns are
    /// `fields`, and `other_fields` for a cogroup's second input).
    fn python_relation(
        &self,
        inputs: Vec<LogicalPlan>,
        fields: Fields,
        other_fields: Option<Fields>,
        shape: InputShape,
        function: &PythonFunction,
    ) -> ResolveResult<ResolvedRelation> {
        let ctx = self.python_context(&format!("the Python function `{}`", function.name))?;
        let DataType::Struct(out_fields) = &function.output_type else {
            return Err(ResolveError::invalid("the schema of a Python function's relation must be a struct"));
        };
        let tz = self.config.time_zone.clone();
        let scan_names: Vec<String> = (0..out_fields.len()).map(|i| format!("c{i}")).collect();
        let output = Arc::new(Schema::new(
            out_fields.iter().zip(&scan_names).map(|(f, n)| Ok(Field::new(n, to_arrow(&f.data_type, &tz)?, f.nullable))).collect::<ResolveResult<Vec<_>>>()?,
        ));
        let table = PythonMapTable {
            inputs,
            function: MapFunction {
                shape,
                ctx,
                eval_type: function.eval_type,
                python_ver: function.python_ver.clone(),
                command: function.command.clone(),
                input_fields: fields,
                other_fields,
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
