//! Spark's data types, with the two string forms Spark prints them in: the
//! DDL/"simple" form (`bigint`, `struct<a:int>`) and the SQL form used in
//! generated column names (`BIGINT`, `STRUCT<a: INT>`).

/// Fields of day-time and year-month intervals (Spark's `DayTimeIntervalType`
/// DAY=0, HOUR=1, MINUTE=2, SECOND=3; `YearMonthIntervalType` YEAR=0, MONTH=1).
pub type IntervalUnit = u8;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DataType {
    Null,
    Boolean,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    Decimal { precision: u8, scale: i8 },
    String,
    Char(u32),
    VarChar(u32),
    Binary,
    Date,
    Timestamp,
    TimestampNtz,
    /// `TIMESTAMP_LTZ(p)` / `TIMESTAMP_NTZ(p)` with nanosecond-capable
    /// precision `p` in 7..=9 (`spark.sql.timestampNanosTypes.enabled`).
    TimestampNanos { precision: u8, ntz: bool },
    CalendarInterval,
    YearMonthInterval { start: IntervalUnit, end: IntervalUnit },
    DayTimeInterval { start: IntervalUnit, end: IntervalUnit },
    Array { element: Box<DataType>, contains_null: bool },
    Map { key: Box<DataType>, value: Box<DataType>, value_contains_null: bool },
    Struct(Vec<StructField>),
    Variant,
    Time(u8),
    /// GEOMETRY(srid); `None` is GEOMETRY(ANY), values of several SRIDs.
    Geometry(Option<i32>),
    /// GEOGRAPHY(srid); `None` is GEOGRAPHY(ANY).
    Geography(Option<i32>),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StructField {
    pub name: String,
    pub data_type: DataType,
    pub nullable: bool,
    /// Field metadata as a JSON object string, when present.
    pub metadata: Option<String>,
}

impl StructField {
    pub fn new(name: impl Into<String>, data_type: DataType, nullable: bool) -> Self {
        Self { name: name.into(), data_type, nullable, metadata: None }
    }
}

const DAY_TIME_UNITS: [&str; 4] = ["day", "hour", "minute", "second"];
const YEAR_MONTH_UNITS: [&str; 2] = ["year", "month"];

fn interval_fields(units: &[&str], start: IntervalUnit, end: IntervalUnit) -> String {
    let name = |u: IntervalUnit| units.get(u as usize).copied().unwrap_or("?");
    if start == end {
        name(start).to_string()
    } else {
        format!("{} to {}", name(start), name(end))
    }
}

impl DataType {
    pub const DEFAULT_DECIMAL: DataType = DataType::Decimal { precision: 10, scale: 0 };

    pub fn array(element: DataType, contains_null: bool) -> Self {
        DataType::Array { element: Box::new(element), contains_null }
    }

    pub fn map(key: DataType, value: DataType, value_contains_null: bool) -> Self {
        DataType::Map { key: Box::new(key), value: Box::new(value), value_contains_null }
    }

    /// Spark's `typeName` as used in JSON schemas (`integer`, `long`, ...).
    pub fn json_type_name(&self) -> String {
        match self {
            DataType::Null => "void".into(),
            DataType::Boolean => "boolean".into(),
            DataType::Byte => "byte".into(),
            DataType::Short => "short".into(),
            DataType::Integer => "integer".into(),
            DataType::Long => "long".into(),
            other => other.simple_string(),
        }
    }

    /// Spark's `simpleString`/`catalogString`, the DDL form (`bigint`, `array<int>`).
    pub fn simple_string(&self) -> String {
        match self {
            DataType::Null => "void".into(),
            DataType::Boolean => "boolean".into(),
            DataType::Byte => "tinyint".into(),
            DataType::Short => "smallint".into(),
            DataType::Integer => "int".into(),
            DataType::Long => "bigint".into(),
            DataType::Float => "float".into(),
            DataType::Double => "double".into(),
            DataType::Decimal { precision, scale } => format!("decimal({precision},{scale})"),
            DataType::String => "string".into(),
            DataType::Char(n) => format!("char({n})"),
            DataType::VarChar(n) => format!("varchar({n})"),
            DataType::Binary => "binary".into(),
            DataType::Date => "date".into(),
            DataType::Timestamp => "timestamp".into(),
            DataType::TimestampNtz => "timestamp_ntz".into(),
            DataType::TimestampNanos { precision, ntz } => format!("timestamp_{}({precision})", if *ntz { "ntz" } else { "ltz" }),
            DataType::CalendarInterval => "interval".into(),
            DataType::YearMonthInterval { start, end } => {
                format!("interval {}", interval_fields(&YEAR_MONTH_UNITS, *start, *end))
            }
            DataType::DayTimeInterval { start, end } => {
                format!("interval {}", interval_fields(&DAY_TIME_UNITS, *start, *end))
            }
            DataType::Array { element, .. } => format!("array<{}>", element.simple_string()),
            DataType::Map { key, value, .. } => {
                format!("map<{},{}>", key.simple_string(), value.simple_string())
            }
            DataType::Struct(fields) => {
                let inner: Vec<String> = fields
                    .iter()
                    .map(|f| format!("{}:{}", f.name, f.data_type.simple_string()))
                    .collect();
                format!("struct<{}>", inner.join(","))
            }
            DataType::Variant => "variant".into(),
            DataType::Time(p) => format!("time({p})"),
            DataType::Geometry(srid) => format!("geometry({})", srid_text(*srid)),
            DataType::Geography(srid) => format!("geography({})", srid_text(*srid)),
        }
    }

    /// Spark's Scala `toString` of a type (`IntegerType`,
    /// `DayTimeIntervalType(0,3)`), which some of its older error messages print.
    pub fn scala_string(&self) -> String {
        let bool_text = |b: bool| if b { "true" } else { "false" };
        match self {
            DataType::Null => "NullType".into(),
            DataType::Boolean => "BooleanType".into(),
            DataType::Byte => "ByteType".into(),
            DataType::Short => "ShortType".into(),
            DataType::Integer => "IntegerType".into(),
            DataType::Long => "LongType".into(),
            DataType::Float => "FloatType".into(),
            DataType::Double => "DoubleType".into(),
            DataType::Decimal { precision, scale } => format!("DecimalType({precision},{scale})"),
            DataType::String => "StringType".into(),
            DataType::Char(n) => format!("CharType({n})"),
            DataType::VarChar(n) => format!("VarcharType({n})"),
            DataType::Binary => "BinaryType".into(),
            DataType::Date => "DateType".into(),
            DataType::Timestamp => "TimestampType".into(),
            DataType::TimestampNtz => "TimestampNTZType".into(),
            DataType::TimestampNanos { precision, ntz } => format!("Timestamp{}NanosType({precision})", if *ntz { "NTZ" } else { "LTZ" }),
            DataType::CalendarInterval => "CalendarIntervalType".into(),
            DataType::YearMonthInterval { start, end } => format!("YearMonthIntervalType({start},{end})"),
            DataType::DayTimeInterval { start, end } => format!("DayTimeIntervalType({start},{end})"),
            DataType::Array { element, contains_null } => format!("ArrayType({},{})", element.scala_string(), bool_text(*contains_null)),
            DataType::Map { key, value, value_contains_null } => {
                format!("MapType({},{},{})", key.scala_string(), value.scala_string(), bool_text(*value_contains_null))
            }
            DataType::Struct(fields) => {
                let inner: Vec<String> =
                    fields.iter().map(|f| format!("StructField({},{},{})", f.name, f.data_type.scala_string(), bool_text(f.nullable))).collect();
                format!("StructType({})", inner.join(","))
            }
            DataType::Variant => "VariantType".into(),
            DataType::Time(p) => format!("TimeType({p})"),
            DataType::Geometry(srid) => format!("GeometryType({})", srid_text(*srid)),
            DataType::Geography(srid) => format!("GeographyType({})", srid_text(*srid)),
        }
    }

    /// Whether this is GEOMETRY or GEOGRAPHY.
    pub fn is_spatial(&self) -> bool {
        matches!(self, DataType::Geometry(_) | DataType::Geography(_))
    }

    /// Spark's `sql` form, used in generated names such as `CAST(a AS INT)`.
    pub fn sql(&self) -> String {
        match self {
            DataType::Array { element, .. } => format!("ARRAY<{}>", element.sql()),
            DataType::Map { key, value, .. } => format!("MAP<{}, {}>", key.sql(), value.sql()),
            DataType::Struct(fields) => {
                let inner: Vec<String> = fields
                    .iter()
                    .map(|f| format!("{}: {}", quote_if_needed(&f.name), f.data_type.sql()))
                    .collect();
                format!("STRUCT<{}>", inner.join(", "))
            }
            other => other.simple_string().to_uppercase(),
        }
    }

    pub fn is_numeric(&self) -> bool {
        matches!(
            self,
            DataType::Byte
                | DataType::Short
                | DataType::Integer
                | DataType::Long
                | DataType::Float
                | DataType::Double
                | DataType::Decimal { .. }
        )
    }

    pub fn is_string(&self) -> bool {
        matches!(self, DataType::String | DataType::Char(_) | DataType::VarChar(_))
    }
}

/// Backtick-quotes an identifier when Spark would (anything but `[A-Za-z0-9_]+`).
pub fn quote_if_needed(name: &str) -> String {
    // Spark's `QuotingUtils.quoteIfNeeded`: letters, digits and underscores,
    // but not digits alone.
    let plain = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && !name.chars().all(|c| c.is_ascii_digit());
    if plain {
        name.to_string()
    } else {
        format!("`{}`", name.replace('`', "``"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let t = DataType::Struct(vec![
            StructField::new("a", DataType::Integer, true),
            StructField::new("b c", DataType::array(DataType::Long, true), true),
        ]);
        assert_eq!(t.simple_string(), "struct<a:int,b c:array<bigint>>");
        assert_eq!(t.sql(), "STRUCT<a: INT, `b c`: ARRAY<BIGINT>>");
        assert_eq!(
            DataType::DayTimeInterval { start: 0, end: 3 }.simple_string(),
            "interval day to second"
        );
        assert_eq!(DataType::Integer.json_type_name(), "integer");
    }
}

/// The SRID of a spatial type as Spark prints it (`any` for mixed SRIDs).
fn srid_text(srid: Option<i32>) -> String {
    srid.map_or_else(|| "any".to_string(), |s| s.to_string())
}
