//! Date and time arithmetic and `EXTRACT`, with Spark's result types and
//! generated names:
//!
//! - `date ± INTERVAL 'n' DAY` stays a date (`date_add(d, extractansiintervaldays(i))`);
//! - `date ± year-month interval` is a date, `timestamp ± interval` a timestamp,
//!   and `date ± interval with a time part` a timestamp; these print without
//!   parentheses (`DATE '2024-01-01' + INTERVAL '3' MONTH`);
//! - `date - date` is an `interval day`.

use datafusion::arrow::datatypes::{DataType as ArrowType, IntervalDayTime, IntervalUnit, TimeUnit};
use datafusion::common::ScalarValue;
use datafusion::logical_expr::{BinaryExpr, Cast, Expr as DfExpr, Operator, lit};
use spark_plan::{DataType, Expr};

use super::ResolvedExpr;
use crate::resolver::Resolver;
use crate::{ResolveError, ResolveResult, ResolvedRelation};

const MICROS_PER_DAY: i64 = 86_400_000_000;

fn binary(l: DfExpr, op: Operator, r: DfExpr) -> DfExpr {
    DfExpr::BinaryExpr(BinaryExpr::new(Box::new(l), op, Box::new(r)))
}

fn cast(e: DfExpr, t: ArrowType) -> DfExpr {
    DfExpr::Cast(Cast::new(Box::new(e), t))
}

fn is_interval(t: &ArrowType) -> bool {
    matches!(t, ArrowType::Duration(_) | ArrowType::Interval(_))
}

/// Spark's `EXTRACT` fields (and `date_part` names), with how to compute them.
enum Field {
    /// A DataFusion `date_part` part, plus an offset to Spark's numbering.
    Part(&'static str, i32),
    /// Seconds with their fraction, as `decimal(8,6)`.
    Seconds,
}

fn extract_field(name: &str) -> Option<Field> {
    Some(match name.to_ascii_uppercase().as_str() {
        "YEAR" | "Y" | "YEARS" | "YR" | "YRS" => Field::Part("year", 0),
        "QUARTER" | "QTR" => Field::Part("quarter", 0),
        "MONTH" | "MON" | "MONS" | "MONTHS" => Field::Part("month", 0),
        "WEEK" | "W" | "WEEKS" => Field::Part("week", 0),
        "DAY" | "D" | "DAYS" => Field::Part("day", 0),
        "DAYOFWEEK" | "DOW" => Field::Part("dow", 1),
        "DAYOFWEEK_ISO" | "DOW_ISO" => Field::Part("isodow", 1),
        "DOY" => Field::Part("doy", 0),
        "HOUR" | "H" | "HOURS" | "HR" | "HRS" => Field::Part("hour", 0),
        "MINUTE" | "M" | "MIN" | "MINS" | "MINUTES" => Field::Part("minute", 0),
        "SECOND" | "S" | "SEC" | "SECONDS" | "SECS" => Field::Seconds,
        _ => return None,
    })
}

impl Resolver<'_> {
    /// `extract(field FROM source)` and `date_part('field', source)`.
    pub(crate) fn resolve_extract(&mut self, function: &str, args: &[Expr], scope: &ResolvedRelation) -> ResolveResult<ResolvedExpr> {
        let [field, source] = args else {
            return Err(crate::functions::wrong_args(function, args.len(), "2"));
        };
        let (field_name, shown_field) = match field {
            Expr::Column { name, .. } if name.len() == 1 => (name[0].clone(), name[0].clone()),
            Expr::Literal(spark_plan::Literal::String(s)) => (s.clone(), s.clone()),
            _ => return Err(ResolveError::analysis("NON_FOLDABLE_ARGUMENT", "42K08", format!("The function `{function}` requires the parameter `field` to be a foldable expression of the type \"STRING\"."), &[])),
        };
        let src = self.resolve_expr(source, scope)?;
        let name = if function.eq_ignore_ascii_case("extract") || function.eq_ignore_ascii_case("datepart") {
            format!("{}({shown_field} FROM {})", function.to_ascii_lowercase(), src.name)
        } else {
            format!("{}({shown_field}, {})", function.to_ascii_lowercase(), src.name)
        };
        let src_type = self.arrow_type(&src.expr, scope)?;
        if matches!(src_type, ArrowType::Time32(_) | ArrowType::Time64(_)) {
            return Err(crate::functions::unsupported_time_type());
        }
        if matches!(src_type, ArrowType::Interval(IntervalUnit::YearMonth) | ArrowType::Duration(_)) {
            use spark_functions::interval_fns::{IntervalField, SparkIntervalField};
            let year_month = matches!(src_type, ArrowType::Interval(_));
            let field = IntervalField::parse(&field_name).filter(|f| f.is_year_month() == year_month);
            let Some(field) = field else {
                return Err(ResolveError::analysis(
                    "INVALID_EXTRACT_FIELD",
                    "42601",
                    format!("Cannot extract {field_name} from {}.", src.name),
                    &[("field", format!("`{field_name}`")), ("expr", format!("\"{}\"", src.name))],
                ));
            };
            let expr = DfExpr::ScalarFunction(datafusion::logical_expr::expr::ScalarFunction::new_udf(SparkIntervalField::udf(field), vec![src.expr]));
            return Ok(ResolvedExpr { expr, name, nullable: src.nullable });
        }
        let Some(f) = extract_field(&field_name) else {
            return Err(ResolveError::analysis(
                "INVALID_EXTRACT_FIELD",
                "42601",
                format!("Cannot extract {field_name} from {}.", src.name),
                &[("field", format!("`{field_name}`")), ("expr", format!("\"{}\"", src.name))],
            ));
        };
        let date_part = |part: &str, e: DfExpr| datafusion::functions::datetime::expr_fn::date_part(lit(part), e);
        let expr = match f {
            Field::Part(part, offset) => {
                let e = cast(date_part(part, src.expr), ArrowType::Int32);
                if offset == 0 { e } else { binary(e, Operator::Plus, lit(offset)) }
            }
            Field::Seconds => {
                // DataFusion's `microsecond` part counts the whole seconds too.
                let micros = cast(date_part("microsecond", src.expr), ArrowType::Decimal128(8, 0));
                let f = spark_functions::decimal::SparkDecimalArith::udf(spark_functions::decimal::DecimalOp::Divide, false, (8, 6));
                DfExpr::ScalarFunction(datafusion::logical_expr::expr::ScalarFunction::new_udf(
                    f,
                    vec![micros, lit(ScalarValue::Decimal128(Some(1_000_000), 7, 0))],
                ))
            }
        };
        Ok(ResolvedExpr { expr, name, nullable: src.nullable })
    }

    /// `+`/`-` where one side is a date or timestamp and the other an
    /// interval, or both are dates. `None` when this is not such a case.
    pub(crate) fn resolve_datetime_arith(
        &self,
        minus: bool,
        args: &[Expr],
        l: &ResolvedExpr,
        r: &ResolvedExpr,
        scope: &ResolvedRelation,
    ) -> ResolveResult<Option<(DfExpr, String)>> {
        let lt = self.arrow_type(&l.expr, scope)?;
        let rt = self.arrow_type(&r.expr, scope)?;
        let sym = if minus { "-" } else { "+" };
        let op = if minus { Operator::Minus } else { Operator::Plus };
        match (&lt, &rt) {
            (ArrowType::Date32, ArrowType::Date32) if minus => {
                let days = binary(cast(l.expr.clone(), ArrowType::Int32), Operator::Minus, cast(r.expr.clone(), ArrowType::Int32));
                let micros = binary(cast(days, ArrowType::Int64), Operator::Multiply, lit(MICROS_PER_DAY));
                let duration = cast(micros, ArrowType::Duration(TimeUnit::Microsecond));
                // An `interval day`.
                let typed = crate::functions::call_udf(spark_functions::interval_math::SparkIntervalFields::udf(0, 0), vec![duration]);
                Ok(Some((typed, format!("({} - {})", l.name, r.name))))
            }
            // Spark's SubtractTimestamps: an INTERVAL DAY TO SECOND between
            // the two wall-clock times in the session zone (a day across a
            // DST change is still one day); a date is midnight of its day.
            (ArrowType::Timestamp(..) | ArrowType::Date32, ArrowType::Timestamp(..)) | (ArrowType::Timestamp(..), ArrowType::Date32) if minus => {
                let target = ArrowType::Timestamp(TimeUnit::Microsecond, None);
                let micros = |e: &DfExpr, t: &ArrowType| cast(self.spark_cast(e.clone(), t, &target), ArrowType::Int64);
                let diff = binary(micros(&l.expr, &lt), Operator::Minus, micros(&r.expr, &rt));
                let duration = cast(diff, ArrowType::Duration(TimeUnit::Microsecond));
                // An `interval day to second`.
                let typed = crate::functions::call_udf(spark_functions::interval_math::SparkIntervalFields::udf(0, 3), vec![duration]);
                Ok(Some((typed, format!("({} - {})", l.name, r.name))))
            }
            (ArrowType::Date32, ArrowType::Duration(_)) => {
                if let Some(days) = whole_days(args.get(1), &r.expr) {
                    let interval = lit(ScalarValue::IntervalDayTime(Some(IntervalDayTime::new(days, 0))));
                    let name = if minus {
                        format!("date_add({}, (- extractansiintervaldays({})))", l.name, r.name)
                    } else {
                        format!("date_add({}, extractansiintervaldays({}))", l.name, r.name)
                    };
                    return Ok(Some((binary(l.expr.clone(), op, interval), name)));
                }
                let ts = cast(l.expr.clone(), ArrowType::Timestamp(TimeUnit::Microsecond, Some(self.config.time_zone.clone().into())));
                Ok(Some((binary(ts, op, r.expr.clone()), format!("{} {sym} {}", l.name, r.name))))
            }
            (ArrowType::Date32 | ArrowType::Timestamp(..), t) if is_interval(t) => {
                Ok(Some((binary(l.expr.clone(), op, r.expr.clone()), format!("{} {sym} {}", l.name, r.name))))
            }
            (t, ArrowType::Date32 | ArrowType::Timestamp(..)) if is_interval(t) && !minus => {
                Ok(Some((binary(r.expr.clone(), op, l.expr.clone()), format!("{} {sym} {}", l.name, r.name))))
            }
            _ => Ok(None),
        }
    }
}

/// The whole number of days of a day-time interval literal of days only
/// (`INTERVAL '90' DAY`), which Spark adds to a date as days.
fn whole_days(arg: Option<&Expr>, e: &DfExpr) -> Option<i32> {
    let only_days = match arg? {
        Expr::TypedLiteral { data_type: DataType::CalendarInterval | DataType::DayTimeInterval { .. }, text } => {
            let units: Vec<String> = text.split_whitespace().filter(|t| !t.starts_with('\'') && t.parse::<f64>().is_err()).map(|t| t.to_ascii_lowercase()).collect();
            !units.is_empty() && units.iter().all(|u| u.trim_end_matches('s') == "day")
        }
        Expr::Literal(spark_plan::Literal::DayTimeInterval(_)) => false,
        _ => false,
    };
    match e {
        DfExpr::Literal(ScalarValue::DurationMicrosecond(Some(us)), _) if only_days && us % MICROS_PER_DAY == 0 => {
            i32::try_from(us / MICROS_PER_DAY).ok()
        }
        _ => None,
    }
}
