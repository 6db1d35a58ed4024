//! The UDFs of `from_xml` and `to_xml` (`schema_of_xml` folds to a
//! constant in the resolver).

use std::sync::Arc;

use datafusion::arrow::array::StringArray;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use super::XmlOptions;
use crate::{arg_arrays, columnar};

/// `from_xml(text, schema[, options])`.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct FromXml {
    signature: Signature,
    target: DataType,
    options: XmlOptions,
    time_zone: String,
}

impl FromXml {
    pub fn udf(target: DataType, options: XmlOptions, time_zone: &str) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), target, options, time_zone: time_zone.into() }))
    }
}

impl ScalarUDFImpl for FromXml {
    fn name(&self) -> &str {
        "from_xml"
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(self.target.clone())
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = arg_arrays(&args)?;
        let texts: Vec<Option<String>> =
            (0..args.number_rows).map(|i| crate::bytes_at(arrays[0].as_ref(), i).map(|b| String::from_utf8_lossy(b).into_owned())).collect();
        let refs: Vec<Option<&str>> = texts.iter().map(|t| t.as_deref()).collect();
        columnar(super::read::from_xml(&refs, &self.target, &self.options, &self.time_zone)?, scalar)
    }
}

/// `to_xml(struct[, options])`.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct ToXml {
    signature: Signature,
    options: XmlOptions,
    time_zone: String,
}

impl ToXml {
    pub fn udf(options: XmlOptions, time_zone: &str) -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::any(1, Volatility::Immutable), options, time_zone: time_zone.into() }))
    }
}

impl ScalarUDFImpl for ToXml {
    fn name(&self) -> &str {
        "to_xml"
    }
    fn signature(&self) -> &Signature {
        &self.signature
    }
    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::Utf8)
    }
    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = arg_arrays(&args)?;
        let writer = super::write::XmlWriter::new(&self.options, &self.time_zone)?;
        let rows = (0..args.number_rows).map(|i| writer.row(arrays[0].as_ref(), i)).collect::<Result<Vec<_>>>()?;
        columnar(Arc::new(StringArray::from(rows)), scalar)
    }
}
