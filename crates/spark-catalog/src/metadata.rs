//! What the catalog knows about a database and a table.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use spark_plan::DataType;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DatabaseMeta {
    pub name: String,
    pub comment: Option<String>,
    /// Where its managed tables live (`file:/.../<db>.db`).
    pub location: String,
    pub properties: BTreeMap<String, String>,
}

/// Spark's `CatalogTableType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TableKind {
    /// Data owned by the catalog, under the warehouse; dropped with the table.
    Managed,
    /// Data at a user's LOCATION; kept when the table is dropped.
    External,
    /// A persistent view: SQL text resolved at read time.
    View,
}

impl TableKind {
    pub fn spark_name(self) -> &'static str {
        match self {
            TableKind::Managed => "MANAGED",
            TableKind::External => "EXTERNAL",
            TableKind::View => "VIEW",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableMeta {
    pub database: String,
    pub name: String,
    pub kind: TableKind,
    /// The data source (`parquet`, `csv`, ...); `None` for views.
    pub provider: Option<String>,
    /// The columns, partition columns last (as Spark orders them), as
    /// Spark's schema JSON.
    #[serde(with = "schema_json")]
    pub schema: DataType,
    pub partition_columns: Vec<String>,
    /// The data directory (a local path); `None` for views.
    pub location: Option<String>,
    pub options: BTreeMap<String, String>,
    pub comment: Option<String>,
    pub properties: BTreeMap<String, String>,
    /// A view's SQL text.
    pub view_text: Option<String>,
    /// Milliseconds since the epoch.
    pub created_at: i64,
    /// `bucketBy(n, cols)` / `sortBy(cols)` of a bucketed table.
    #[serde(default)]
    pub bucketing: Option<BucketSpec>,
}

/// How a bucketed table spreads its rows: `pmod(hash(columns), buckets)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BucketSpec {
    pub buckets: i32,
    pub columns: Vec<String>,
    pub sort_columns: Vec<String>,
}

impl TableMeta {
    pub fn fields(&self) -> &[spark_plan::StructField] {
        match &self.schema {
            DataType::Struct(fields) => fields,
            _ => &[],
        }
    }
}

/// Types are stored in Spark's own JSON form.
mod schema_json {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use spark_plan::DataType;

    pub fn serialize<S: Serializer>(t: &DataType, s: S) -> Result<S::Ok, S::Error> {
        spark_plan::schema_json::to_json_value(t).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DataType, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        spark_plan::schema_json::from_json_value(&value).map_err(serde::de::Error::custom)
    }
}
