//! `PythonEvalType` of pyspark: how a Python function is called and what
//! crosses the socket (pickled rows, Arrow batches, pandas objects).

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EvalType {
    /// `udf`: rows pickled in, values pickled out.
    Batched,
    /// `udf(useArrow=True)` and the default of Spark 4.2+: Arrow in and
    /// out, the function called row by row.
    ArrowBatched,
    /// `pandas_udf` Series → Series.
    ScalarPandas,
    /// `pandas_udf` Iterator[Series] → Iterator[Series].
    ScalarPandasIter,
    /// `arrow_udf` pa.Array → pa.Array.
    ScalarArrow,
    /// `arrow_udf` Iterator[pa.Array] → Iterator[pa.Array].
    ScalarArrowIter,
    /// `arrow_udf` pa.Array → scalar in `groupBy().agg()`.
    GroupedAggArrow,
    /// `groupBy().applyInPandas`.
    GroupedMapPandas,
    /// `pandas_udf` Series → scalar in `groupBy().agg()`.
    GroupedAggPandas,
    /// `pandas_udf` Series → scalar over a window.
    WindowAggPandas,
    /// `mapInPandas`.
    MapPandasIter,
    /// `cogroup().applyInPandas`.
    CogroupedMapPandas,
    /// `mapInArrow`.
    MapArrowIter,
    /// `applyInPandasWithState`.
    GroupedMapPandasWithState,
    /// `groupBy().applyInArrow`.
    GroupedMapArrow,
    /// `cogroup().applyInArrow`.
    CogroupedMapArrow,
    /// Any other code the client sent.
    Other(i32),
}

impl EvalType {
    pub fn from_code(code: i32) -> Self {
        match code {
            100 => EvalType::Batched,
            101 => EvalType::ArrowBatched,
            200 => EvalType::ScalarPandas,
            201 => EvalType::GroupedMapPandas,
            202 => EvalType::GroupedAggPandas,
            203 => EvalType::WindowAggPandas,
            204 => EvalType::ScalarPandasIter,
            205 => EvalType::MapPandasIter,
            206 => EvalType::CogroupedMapPandas,
            207 => EvalType::MapArrowIter,
            208 => EvalType::GroupedMapPandasWithState,
            209 => EvalType::GroupedMapArrow,
            210 => EvalType::CogroupedMapArrow,
            250 => EvalType::ScalarArrow,
            251 => EvalType::ScalarArrowIter,
            252 => EvalType::GroupedAggArrow,
            other => EvalType::Other(other),
        }
    }

    pub fn code(self) -> i32 {
        match self {
            EvalType::Batched => 100,
            EvalType::ArrowBatched => 101,
            EvalType::ScalarPandas => 200,
            EvalType::GroupedMapPandas => 201,
            EvalType::GroupedAggPandas => 202,
            EvalType::WindowAggPandas => 203,
            EvalType::ScalarPandasIter => 204,
            EvalType::MapPandasIter => 205,
            EvalType::CogroupedMapPandas => 206,
            EvalType::MapArrowIter => 207,
            EvalType::GroupedMapPandasWithState => 208,
            EvalType::GroupedMapArrow => 209,
            EvalType::CogroupedMapArrow => 210,
            EvalType::ScalarArrow => 250,
            EvalType::ScalarArrowIter => 251,
            EvalType::GroupedAggArrow => 252,
            EvalType::Other(c) => c,
        }
    }

    /// `pandas_udf` Series → scalar and `arrow_udf` pa.Array → scalar: one
    /// value per group of an aggregation.
    pub fn is_grouped_aggregate(self) -> bool {
        matches!(self, EvalType::GroupedAggPandas | EvalType::GroupedAggArrow)
    }

    /// Kinds that compute one value per input row, usable in any expression.
    pub fn is_scalar(self) -> bool {
        matches!(
            self,
            EvalType::Batched | EvalType::ArrowBatched | EvalType::ScalarPandas | EvalType::ScalarPandasIter | EvalType::ScalarArrow | EvalType::ScalarArrowIter
        )
    }
}
