//! Spark runtime configuration with Spark 4.3's defaults for the keys that
//! clients read (see the protocol notes, "Config RPC").

use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;

/// (key, default) for keys every session answers even when never set.
pub const DEFAULTS: &[(&str, &str)] = &[
    ("spark.sql.ansi.enabled", "true"),
    ("spark.sql.caseSensitive", "false"),
    ("spark.sql.session.timeZone", "UTC"),
    ("spark.sql.shuffle.partitions", "200"),
    ("spark.sql.execution.pandas.structHandlingMode", "legacy"),
    ("spark.sql.execution.arrow.pyspark.selfDestruct.enabled", "false"),
    ("spark.sql.execution.pyspark.binaryAsBytes", "true"),
    ("spark.sql.timestampType", "TIMESTAMP_LTZ"),
    // Large local data arrives inline (the server accepts 128 MiB messages)
    // and, above this, as cached artifacts, which the server also supports.
    ("spark.sql.session.localRelationCacheThreshold", "67108864"),
    ("spark.sql.session.localRelationSizeLimit", "3221225472"),
    ("spark.sql.session.localRelationChunkSizeRows", "10000"),
    ("spark.sql.session.localRelationChunkSizeBytes", "16777216"),
    ("spark.sql.session.localRelationBatchOfChunksSizeBytes", "1073741824"),
    ("spark.sql.execution.pandas.convertToArrowArraySafely", "true"),
    ("spark.sql.execution.pandas.inferPandasDictAsMap", "false"),
    ("spark.sql.pyspark.inferNestedDictAsStruct.enabled", "false"),
    ("spark.sql.pyspark.legacy.inferArrayTypeFromFirstElement.enabled", "false"),
    ("spark.sql.pyspark.legacy.inferMapTypeFromFirstPair.enabled", "false"),
    ("spark.sql.execution.arrow.useLargeVarTypes", "false"),
    ("spark.sql.repl.eagerEval.enabled", "false"),
    ("spark.sql.repl.eagerEval.maxNumRows", "20"),
    ("spark.sql.repl.eagerEval.truncate", "20"),
    ("spark.sql.connect.serverStacktrace.enabled", "false"),
    ("spark.sql.pyspark.jvmStacktrace.enabled", "false"),
    ("spark.sql.execution.pythonUDF.arrow.enabled", "true"),
    ("spark.sql.execution.pythonUDTF.arrow.enabled", "true"),
    ("spark.sql.execution.arrow.maxRecordsPerBatch", "10000"),
    // Plan compression is not advertised: clients send plain plans.
    ("spark.connect.session.planCompression.threshold", "-1"),
    ("spark.connect.session.planCompression.defaultAlgorithm", "NONE"),
    ("spark.sql.groupByOrdinal", "true"),
    ("spark.sql.orderByOrdinal", "true"),
    ("spark.sql.cteRecursionLevelLimit", "100"),
    ("spark.sql.legacy.timeParserPolicy", "CORRECTED"),
    ("spark.sql.catalogImplementation", "in-memory"),
    ("spark.sql.warehouse.dir", "spark-warehouse"),
    ("spark.app.name", "spark-connect-server"),
    ("spark.master", "local[*]"),
];

/// The configuration keys Spark registers, recorded from Spark by
/// `data/record_confs.py`: they decide what a session may set.
struct Registered {
    static_sql: HashSet<String>,
    runtime_sql: HashSet<String>,
    core: HashSet<String>,
}

fn registered() -> &'static Registered {
    static REGISTERED: LazyLock<Registered> = LazyLock::new(|| {
        let parsed: serde_json::Value = serde_json::from_str(include_str!("../data/spark_confs.json")).unwrap_or_default();
        let set = |k: &str| -> HashSet<String> {
            parsed[k].as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect()).unwrap_or_default()
        };
        Registered { static_sql: set("static_sql"), runtime_sql: set("runtime_sql"), core: set("core") }
    });
    &REGISTERED
}

/// Why a session may not set a key, as Spark's `RuntimeConfig` refuses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsettable {
    /// A static SQL conf (`spark.sql.warehouse.dir`): CANNOT_MODIFY_STATIC_CONFIG.
    StaticSql,
    /// A Spark core conf (`spark.executor.memory`): CANNOT_MODIFY_CONFIG.
    SparkCore,
}

/// Whether a session may set `key` (`SET k=v` and the Config RPC alike).
/// Unknown keys, `spark.app.name` and `spark.master` may be set, as in Spark.
pub fn settable(key: &str) -> Result<(), Unsettable> {
    let r = registered();
    if r.static_sql.contains(key) {
        Err(Unsettable::StaticSql)
    } else if r.core.contains(key) {
        Err(Unsettable::SparkCore)
    } else {
        Ok(())
    }
}

/// One session's configuration: explicit settings over defaults.
#[derive(Debug, Clone, Default)]
pub struct SparkConf {
    defaults: BTreeMap<String, String>,
    set: BTreeMap<String, String>,
}

impl SparkConf {
    pub fn new(overrides: &BTreeMap<String, String>) -> Self {
        let mut defaults: BTreeMap<String, String> =
            DEFAULTS.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        for (k, v) in overrides {
            defaults.insert(k.clone(), v.clone());
        }
        Self { defaults, set: BTreeMap::new() }
    }

    pub fn get(&self, key: &str) -> Option<String> {
        self.set.get(key).or_else(|| self.defaults.get(key)).cloned()
    }

    pub fn set(&mut self, key: &str, value: &str) {
        self.set.insert(key.to_string(), value.to_string());
    }

    pub fn unset(&mut self, key: &str) {
        self.set.remove(key);
    }

    pub fn reset(&mut self) {
        self.set.clear();
    }

    /// Values explicitly set in this session (Spark's `getAll` of the session).
    pub fn explicit(&self) -> &BTreeMap<String, String> {
        &self.set
    }

    /// Every known value: defaults overlaid by explicit settings.
    pub fn all(&self) -> BTreeMap<String, String> {
        let mut all = self.defaults.clone();
        all.extend(self.set.clone());
        all
    }

    /// Spark's `isModifiable`: true only for its runtime SQL confs.
    pub fn is_modifiable(&self, key: &str) -> bool {
        registered().runtime_sql.contains(key)
    }

    pub fn bool(&self, key: &str, default: bool) -> bool {
        self.get(key).map(|v| v.trim().eq_ignore_ascii_case("true")).unwrap_or(default)
    }

    /// An integer setting; values that do not parse read as the default.
    pub fn int(&self, key: &str, default: i64) -> i64 {
        self.get(key).and_then(|v| v.trim().parse().ok()).unwrap_or(default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modifiability_is_sparks() {
        let c = SparkConf::new(&BTreeMap::new());
        assert!(c.is_modifiable("spark.sql.shuffle.partitions"));
        assert!(!c.is_modifiable("spark.sql.warehouse.dir"));
        assert!(!c.is_modifiable("spark.app.name"));
        assert_eq!(settable("spark.sql.warehouse.dir"), Err(Unsettable::StaticSql));
        assert_eq!(settable("spark.executor.memory"), Err(Unsettable::SparkCore));
        assert_eq!(settable("spark.app.name"), Ok(()));
        assert_eq!(settable("spark.master"), Ok(()));
        assert_eq!(settable("my.own.key"), Ok(()));
    }

    #[test]
    fn layering() {
        let mut c = SparkConf::new(&BTreeMap::new());
        assert_eq!(c.get("spark.sql.ansi.enabled").as_deref(), Some("true"));
        c.set("spark.sql.ansi.enabled", "false");
        assert!(!c.bool("spark.sql.ansi.enabled", true));
        c.unset("spark.sql.ansi.enabled");
        assert!(c.bool("spark.sql.ansi.enabled", false));
        assert!(c.get("nope").is_none());
    }
}
