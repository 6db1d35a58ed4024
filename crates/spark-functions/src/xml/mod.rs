//! Spark's XML functions: the `xpath*` family ([`xpath`]), `from_xml` and
//! `schema_of_xml` ([`read`], [`infer`]) over a document parsed into a
//! small tree ([`tree`]), and `to_xml` ([`write`]).

pub mod infer;
pub mod read;
pub mod tree;
pub mod write;
pub mod xpath;

/// The options the XML functions share (names as Spark spells them,
/// matched case-insensitively).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct XmlOptions {
    /// `attributePrefix`: the prefix of fields read from attributes.
    pub attribute_prefix: String,
    /// `valueTag`: the field holding an element's own text.
    pub value_tag: String,
    /// `excludeAttribute`.
    pub exclude_attribute: bool,
    /// `mode` FAILFAST.
    pub fail_fast: bool,
    pub timestamp_format: Option<String>,
    pub date_format: Option<String>,
    /// `rowTag` (writing).
    pub row_tag: String,
    /// `arrayElementName` (writing arrays of arrays).
    pub array_element_name: String,
    /// `indent` (writing).
    pub indent: String,
}

impl XmlOptions {
    pub fn from_options(given: &std::collections::BTreeMap<String, String>) -> Self {
        let get = |k: &str| given.get(&k.to_ascii_lowercase()).cloned();
        Self {
            attribute_prefix: get("attributePrefix").unwrap_or_else(|| "_".into()),
            value_tag: get("valueTag").unwrap_or_else(|| "_VALUE".into()),
            exclude_attribute: get("excludeAttribute").is_some_and(|v| v.trim().eq_ignore_ascii_case("true")),
            fail_fast: get("mode").is_some_and(|v| v.trim().eq_ignore_ascii_case("FAILFAST")),
            timestamp_format: get("timestampFormat"),
            date_format: get("dateFormat"),
            row_tag: get("rowTag").unwrap_or_else(|| "ROW".into()),
            array_element_name: get("arrayElementName").unwrap_or_else(|| "item".into()),
            indent: get("indent").unwrap_or_else(|| "    ".into()),
        }
    }
}

pub mod functions;
