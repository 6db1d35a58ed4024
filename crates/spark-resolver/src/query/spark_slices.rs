//! Where Spark would split an input's rows into partitions, for the seeded
//! random functions. Spark seeds `rand(seed)`, `randn(seed)` and
//! `df.sample(..., seed)` with `seed + partition index`, and splits
//! `spark.range(n)` into `spark.default.parallelism` slices (the
//! `numPartitions` given, else `local[N]`'s N) of `(i + 1) * n / k - i * n
//! / k` rows. This server reads a range as one stream, so a generator over
//! one switches seeds where Spark's partitions would end, and draws the
//! numbers Spark draws. Local data is split the same way into
//! `min(rows, k)` slices for `sample`, but Spark evaluates projections of it
//! in one piece (`ConvertToLocalRelation`), so `rand` there keeps one seed,
//! as it does over files and anything filtered, joined or aggregated before
//! the draw.

use datafusion::logical_expr::LogicalPlan;

use crate::ResolvedRelation;
use crate::resolver::Resolver;

pub(crate) use crate::local_sources::slices;

impl Resolver<'_> {
    /// Records that the relation whose first column is `id` is an input
    /// Spark splits into these slices; `in_projections`: also where Spark
    /// projects it (not for local data, which Spark projects in one piece).
    pub(crate) fn record_slices(&mut self, id: &str, slices: Vec<u64>, in_projections: bool) {
        self.row_slices.insert(id.to_string(), (slices, in_projections));
    }

    /// Spark's slices of `r`'s rows for a sample (`projection` false) or a
    /// random function in a projection, when `r` is such an input read
    /// through projections only (each row where Spark would have it).
    pub(crate) fn spark_slices(&self, r: &ResolvedRelation, projection: bool) -> Option<Vec<u64>> {
        // Down the projections to the scan; the one right above it names
        // the input.
        let (mut node, mut above_scan) = (&r.plan, None);
        loop {
            node = match node {
                LogicalPlan::Projection(p) => {
                    above_scan = Some(node);
                    p.input.as_ref()
                }
                LogicalPlan::SubqueryAlias(a) => a.input.as_ref(),
                LogicalPlan::TableScan(_) => break,
                _ => return None,
            };
        }
        let first = above_scan?.schema().fields().first()?.name().clone();
        let (slices, in_projections) = self.row_slices.get(&first)?;
        (!projection || *in_projections).then(|| slices.clone())
    }
}
