//! Spark's statistical aggregates, computed with Spark's one-pass update
//! and merge formulas so the doubles come out bit for bit as Spark's:
//! variances and standard deviations, skewness and kurtosis (central
//! moments), covariances and correlation (co-moments), and the `regr_*`
//! family built on them. Division by zero (one row for a sample
//! statistic, no spread for skewness) is NULL, as in Spark 4.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ArrayRef, AsArray};
use datafusion::arrow::datatypes::{DataType, Field, FieldRef, Float64Type};
use datafusion::common::{Result, ScalarValue};
use datafusion::logical_expr::function::{AccumulatorArgs, StateFieldsArgs};
use datafusion::logical_expr::{Accumulator, AggregateUDF, AggregateUDFImpl, Signature, Volatility};

/// Which statistic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stat {
    VarPop,
    VarSamp,
    StddevPop,
    StddevSamp,
    Skewness,
    Kurtosis,
    CovarPop,
    CovarSamp,
    Corr,
    /// `regr_r2(y, x)`.
    RegrR2,
    /// `regr_sxx(y, x)`: the second moment of `x` over complete pairs.
    RegrSxx,
    RegrSyy,
    RegrSxy,
    RegrSlope,
    RegrIntercept,
}

impl Stat {
    pub fn name(self) -> &'static str {
        match self {
            Stat::VarPop => "var_pop",
            Stat::VarSamp => "var_samp",
            Stat::StddevPop => "stddev_pop",
            Stat::StddevSamp => "stddev_samp",
            Stat::Skewness => "skewness",
            Stat::Kurtosis => "kurtosis",
            Stat::CovarPop => "covar_pop",
            Stat::CovarSamp => "covar_samp",
            Stat::Corr => "corr",
            Stat::RegrR2 => "regr_r2",
            Stat::RegrSxx => "regr_sxx",
            Stat::RegrSyy => "regr_syy",
            Stat::RegrSxy => "regr_sxy",
            Stat::RegrSlope => "regr_slope",
            Stat::RegrIntercept => "regr_intercept",
        }
    }

    pub fn arity(self) -> usize {
        match self {
            Stat::VarPop | Stat::VarSamp | Stat::StddevPop | Stat::StddevSamp | Stat::Skewness | Stat::Kurtosis => 1,
            _ => 2,
        }
    }
}

/// Central moments up to the fourth (Spark's `CentralMomentAgg`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Central {
    n: f64,
    avg: f64,
    m2: f64,
    m3: f64,
    m4: f64,
}

impl Central {
    fn update(&mut self, x: f64) {
        let new_n = self.n + 1.0;
        let delta = x - self.avg;
        let delta_n = delta / new_n;
        let new_avg = self.avg + delta_n;
        let new_m2 = self.m2 + delta * (delta - delta_n);
        let delta2 = delta * delta;
        let delta_n2 = delta_n * delta_n;
        let new_m3 = self.m3 - 3.0 * delta_n * new_m2 + delta * (delta2 - delta_n2);
        let new_m4 = self.m4 - 4.0 * delta_n * new_m3 - 6.0 * delta_n2 * new_m2 + delta * (delta * delta2 - delta_n * delta_n2);
        *self = Central { n: new_n, avg: new_avg, m2: new_m2, m3: new_m3, m4: new_m4 };
    }

    fn merge(&mut self, o: &Central) {
        let (n1, n2) = (self.n, o.n);
        let new_n = n1 + n2;
        let delta = o.avg - self.avg;
        let delta_n = if new_n == 0.0 { 0.0 } else { delta / new_n };
        let new_avg = self.avg + delta_n * n2;
        let new_m2 = self.m2 + o.m2 + delta * delta_n * n1 * n2;
        let new_m3 = self.m3 + o.m3 + delta_n * delta_n * delta * n1 * n2 * (n1 - n2) + 3.0 * delta_n * (n1 * o.m2 - n2 * self.m2);
        let new_m4 = self.m4
            + o.m4
            + delta_n * delta_n * delta_n * delta * n1 * n2 * (n1 * n1 - n1 * n2 + n2 * n2)
            + 6.0 * delta_n * delta_n * (n1 * n1 * o.m2 + n2 * n2 * self.m2)
            + 4.0 * delta_n * (n1 * o.m3 - n2 * self.m3);
        *self = Central { n: new_n, avg: new_avg, m2: new_m2, m3: new_m3, m4: new_m4 };
    }

    fn fields(&self) -> [f64; 5] {
        [self.n, self.avg, self.m2, self.m3, self.m4]
    }
}

/// Co-moments of a pair (Spark's `Covariance` and `PearsonCorrelation`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct CoMoments {
    n: f64,
    x_avg: f64,
    y_avg: f64,
    ck: f64,
    x_mk: f64,
    y_mk: f64,
}

impl CoMoments {
    fn update(&mut self, x: f64, y: f64) {
        let new_n = self.n + 1.0;
        let dx = x - self.x_avg;
        let dx_n = dx / new_n;
        let dy = y - self.y_avg;
        let dy_n = dy / new_n;
        let new_x_avg = self.x_avg + dx_n;
        let new_y_avg = self.y_avg + dy_n;
        let new_ck = self.ck + dx * (y - new_y_avg);
        let new_x_mk = self.x_mk + dx * (x - new_x_avg);
        let new_y_mk = self.y_mk + dy * (y - new_y_avg);
        *self = CoMoments { n: new_n, x_avg: new_x_avg, y_avg: new_y_avg, ck: new_ck, x_mk: new_x_mk, y_mk: new_y_mk };
    }

    fn merge(&mut self, o: &CoMoments) {
        let (n1, n2) = (self.n, o.n);
        let new_n = n1 + n2;
        let dx = o.x_avg - self.x_avg;
        let dx_n = if new_n == 0.0 { 0.0 } else { dx / new_n };
        let dy = o.y_avg - self.y_avg;
        let dy_n = if new_n == 0.0 { 0.0 } else { dy / new_n };
        *self = CoMoments {
            n: new_n,
            x_avg: self.x_avg + dx_n * n2,
            y_avg: self.y_avg + dy_n * n2,
            ck: self.ck + o.ck + dx * dy_n * n1 * n2,
            x_mk: self.x_mk + o.x_mk + dx * dx_n * n1 * n2,
            y_mk: self.y_mk + o.y_mk + dy * dy_n * n1 * n2,
        };
    }

    fn fields(&self) -> [f64; 6] {
        [self.n, self.x_avg, self.y_avg, self.ck, self.x_mk, self.y_mk]
    }
}

/// The buffer: the co-moments of (first, second) argument and the central
/// moments of the one a statistic reads alone (the second for `regr_sxx`
/// and the slope, the first otherwise), over the rows where all arguments
/// are present.
#[derive(Debug, Clone, Copy, Default)]
struct Moments {
    co: CoMoments,
    central: Central,
}

const FIELDS: usize = 11;

impl Moments {
    fn from_fields(f: &[f64]) -> Moments {
        Moments {
            co: CoMoments { n: f[0], x_avg: f[1], y_avg: f[2], ck: f[3], x_mk: f[4], y_mk: f[5] },
            central: Central { n: f[6], avg: f[7], m2: f[8], m3: f[9], m4: f[10] },
        }
    }

    fn fields(&self) -> Vec<f64> {
        self.co.fields().into_iter().chain(self.central.fields()).collect()
    }
}

fn divide(a: f64, b: f64) -> Option<f64> {
    (b != 0.0).then(|| a / b)
}

fn evaluate(stat: Stat, m: &Moments) -> Option<f64> {
    let c = &m.central;
    let co = &m.co;
    match stat {
        Stat::VarPop | Stat::StddevPop | Stat::VarSamp | Stat::StddevSamp | Stat::Skewness | Stat::Kurtosis if c.n == 0.0 => None,
        Stat::VarPop => Some(c.m2 / c.n),
        Stat::StddevPop => Some((c.m2 / c.n).sqrt()),
        Stat::VarSamp => divide(c.m2, c.n - 1.0),
        Stat::StddevSamp => divide(c.m2, c.n - 1.0).map(f64::sqrt),
        Stat::Skewness => (c.m2 != 0.0).then(|| c.n.sqrt() * c.m3 / (c.m2 * c.m2 * c.m2).sqrt()),
        Stat::Kurtosis => (c.m2 != 0.0).then(|| c.n * c.m4 / (c.m2 * c.m2) - 3.0),
        _ if co.n == 0.0 => None,
        Stat::CovarPop => Some(co.ck / co.n),
        Stat::CovarSamp => divide(co.ck, co.n - 1.0),
        Stat::Corr => (co.n != 1.0 && co.x_mk * co.y_mk != 0.0).then(|| co.ck / (co.x_mk * co.y_mk).sqrt()),
        // (y, x): `x_mk` is the spread of y, `y_mk` of x.
        Stat::RegrR2 => {
            if co.y_mk == 0.0 {
                None
            } else if co.x_mk == 0.0 {
                Some(1.0)
            } else {
                let corr = co.ck / (co.x_mk * co.y_mk).sqrt();
                Some(corr * corr)
            }
        }
        Stat::RegrSxx | Stat::RegrSyy => Some(c.m2),
        Stat::RegrSxy => Some(co.ck),
        // Covariance of (x, y) over the variance of x.
        Stat::RegrSlope => divide(co.ck, c.m2),
        Stat::RegrIntercept => (c.m2 != 0.0).then(|| co.y_avg - co.ck / c.m2 * co.x_avg),
    }
}

/// The aggregate.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkMoments {
    signature: Signature,
    stat: Stat,
}

impl SparkMoments {
    pub fn udaf(stat: Stat) -> Arc<AggregateUDF> {
        Arc::new(AggregateUDF::new_from_impl(Self { signature: Signature::any(stat.arity(), Volatility::Immutable), stat }))
    }
}

impl AggregateUDFImpl for SparkMoments {
    fn name(&self) -> &str {
        self.stat.name()
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Float64)
    }

    fn accumulator(&self, _: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        Ok(Box::new(MomentsAccumulator { stat: self.stat, m: Moments::default() }))
    }

    fn create_sliding_accumulator(&self, _: AccumulatorArgs) -> Result<Box<dyn Accumulator>> {
        let stat = self.stat;
        Ok(Box::new(crate::frame_recompute::FrameRecompute::new(stat.arity(), Arc::new(move || Box::new(MomentsAccumulator { stat, m: Moments::default() })))))
    }

    fn state_fields(&self, _: StateFieldsArgs) -> Result<Vec<FieldRef>> {
        Ok((0..FIELDS).map(|i| Arc::new(Field::new(format!("m{i}"), DataType::Float64, true))).collect())
    }
}

#[derive(Debug)]
struct MomentsAccumulator {
    stat: Stat,
    m: Moments,
}

fn doubles(a: &ArrayRef) -> Result<ArrayRef> {
    Ok(datafusion::arrow::compute::cast(a, &DataType::Float64)?)
}

impl Accumulator for MomentsAccumulator {
    fn update_batch(&mut self, values: &[ArrayRef]) -> Result<()> {
        let first = doubles(&values[0])?;
        let first = first.as_primitive::<Float64Type>();
        if self.stat.arity() == 1 {
            for v in first.iter().flatten() {
                self.m.central.update(v);
            }
            return Ok(());
        }
        let second = doubles(&values[1])?;
        let second = second.as_primitive::<Float64Type>();
        // The variable a statistic also reads alone.
        let alone_second = matches!(self.stat, Stat::RegrSxx | Stat::RegrSlope | Stat::RegrIntercept);
        for (a, b) in first.iter().zip(second.iter()) {
            let (Some(a), Some(b)) = (a, b) else { continue };
            match self.stat {
                // Covariance of (x, y), with (y, x) given.
                Stat::RegrSlope | Stat::RegrIntercept => self.m.co.update(b, a),
                _ => self.m.co.update(a, b),
            }
            self.m.central.update(if alone_second { b } else { a });
        }
        Ok(())
    }

    fn merge_batch(&mut self, states: &[ArrayRef]) -> Result<()> {
        let columns: Vec<&datafusion::arrow::array::Float64Array> = states.iter().map(|s| s.as_primitive::<Float64Type>()).collect();
        for row in 0..columns.first().map_or(0, |c| c.len()) {
            if columns[0].is_null(row) {
                continue;
            }
            let fields: Vec<f64> = columns.iter().map(|c| c.value(row)).collect();
            let other = Moments::from_fields(&fields);
            self.m.co.merge(&other.co);
            self.m.central.merge(&other.central);
        }
        Ok(())
    }

    fn state(&mut self) -> Result<Vec<ScalarValue>> {
        Ok(self.m.fields().into_iter().map(|v| ScalarValue::Float64(Some(v))).collect())
    }

    fn evaluate(&mut self) -> Result<ScalarValue> {
        Ok(ScalarValue::Float64(evaluate(self.stat, &self.m)))
    }

    fn size(&self) -> usize {
        std::mem::size_of_val(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accumulate(stat: Stat, xs: &[f64], ys: &[f64]) -> MomentsAccumulator {
        let mut a = MomentsAccumulator { stat, m: Moments::default() };
        let x: ArrayRef = Arc::new(datafusion::arrow::array::Float64Array::from(xs.to_vec()));
        let y: ArrayRef = Arc::new(datafusion::arrow::array::Float64Array::from(ys.to_vec()));
        let args = if stat.arity() == 1 { vec![x] } else { vec![x, y] };
        assert!(a.update_batch(&args).is_ok());
        a
    }

    /// As Spark runs a local relation under `local[2]`: two slices, each
    /// aggregated, then merged in order into an empty buffer.
    fn run(stat: Stat, xs: &[f64], ys: &[f64]) -> Option<f64> {
        run_split(stat, xs, ys, xs.len() / 2)
    }

    fn run_split(stat: Stat, xs: &[f64], ys: &[f64], cut: usize) -> Option<f64> {
        let (ya, yb) = if ys.is_empty() { (&ys[..], &ys[..]) } else { (&ys[..cut], &ys[cut..]) };
        let mut total = MomentsAccumulator { stat, m: Moments::default() };
        for mut part in [accumulate(stat, &xs[..cut], ya), accumulate(stat, &xs[cut..], yb)] {
            let state: Vec<ArrayRef> = part
                .state()
                .ok()?
                .into_iter()
                .map(|v| v.to_array().ok())
                .collect::<Option<Vec<_>>>()?;
            total.merge_batch(&state).ok()?;
        }
        match total.evaluate().ok()? {
            ScalarValue::Float64(v) => v,
            _ => None,
        }
    }

    #[test]
    fn bit_for_bit_as_spark() {
        // Recorded from Spark 4.3.
        let a = [1.1, 2.7, 3.3, 4.9, 5.2];
        let b = [2.3, 4.1, 5.9, 7.7, 8.15];
        assert_eq!(run(Stat::Corr, &a, &b), Some(0.9908484220609327));
        assert_eq!(run(Stat::CovarPop, &a, &b), Some(3.2688));
        assert_eq!(run(Stat::CovarSamp, &a, &b), Some(4.086));
        assert_eq!(run(Stat::RegrR2, &b, &a), Some(0.9817805955006402));
        assert_eq!(run(Stat::RegrSxy, &b, &a), Some(16.344));
        assert_eq!(run(Stat::StddevSamp, &a, &[]), Some(1.6786899654194636));
        assert_eq!(run(Stat::VarSamp, &a, &[]), Some(2.818));
        assert_eq!(run(Stat::VarPop, &a, &[]), Some(2.2544));
        assert_eq!(run(Stat::Skewness, &a, &[]), Some(-0.2751604681547686));
        // The complete pairs of five rows, two of them in the first slice.
        let y = [1.0, 2.0, 3.5];
        let x = [1.0, 2.5, 3.0];
        assert_eq!(run_split(Stat::RegrSlope, &y, &x, 2), Some(1.1153846153846152));
        assert_eq!(run_split(Stat::RegrIntercept, &y, &x, 2), Some(-0.24999999999999956));
        assert_eq!(run_split(Stat::RegrSxx, &y, &x, 2), Some(2.166666666666667));
        assert_eq!(run_split(Stat::RegrR2, &y, &x, 2), Some(0.8512145748987855));
        assert_eq!(run(Stat::Kurtosis, &a, &[]), Some(-1.2519284423716337));
    }

    #[test]
    fn division_by_zero_is_null() {
        assert_eq!(run(Stat::VarSamp, &[1.0], &[]), None);
        assert_eq!(run(Stat::Corr, &[1.0], &[2.0]), None);
        assert_eq!(run(Stat::Skewness, &[1.0, 1.0], &[]), None);
        assert_eq!(run(Stat::RegrR2, &[1.0, 1.0], &[2.0, 3.0]), Some(1.0));
        assert_eq!(run(Stat::RegrR2, &[1.0, 2.0], &[2.0, 2.0]), None);
    }
}
