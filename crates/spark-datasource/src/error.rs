use datafusion::error::DataFusionError;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum SourceError {
    /// Spark's `PATH_NOT_FOUND`.
    #[error("[PATH_NOT_FOUND] Path does not exist: {0}. SQLSTATE: 42K03")]
    PathNotFound(String),
    /// Spark's `UNABLE_TO_INFER_SCHEMA`: no files, so no schema.
    #[error("[UNABLE_TO_INFER_SCHEMA] Unable to infer schema for {0}. It must be specified manually. SQLSTATE: 42KD9")]
    CannotInferSchema(String),
    #[error("[DATA_SOURCE_NOT_FOUND] Failed to find the data source: {0}. Make sure the provider name is correct and the package is properly registered and compatible with your Spark version. SQLSTATE: 42K02")]
    UnknownFormat(String),
    /// An option with a value this reader cannot use.
    #[error("{0}")]
    InvalidOption(String),
    #[error("cannot read {path}: {message}")]
    Read { path: String, message: String },
    /// A malformed record in FAILFAST mode (Spark's
    /// `MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION`, a SparkException).
    #[error("Malformed records are detected in record parsing: {0}. Parse Mode: FAILFAST.")]
    Malformed(String),
    /// A malformed record met while reading a file in FAILFAST mode
    /// (Spark's `FAILED_READ_FILE.NO_HINT`, a SparkException).
    #[error("[FAILED_READ_FILE.NO_HINT] Encountered error while reading file file://{0}.  SQLSTATE: KD001")]
    FailedRead(String),
    #[error("cannot write {path}: {message}")]
    Write { path: String, message: String },
    /// Spark's `CODEC_NOT_AVAILABLE.WITH_AVAILABLE_CODECS_SUGGESTION`: a
    /// compression codec name the format does not know.
    #[error("[CODEC_NOT_AVAILABLE.WITH_AVAILABLE_CODECS_SUGGESTION] The codec {codec} is not available. Available codecs are {available}. SQLSTATE: 56038")]
    CodecNotAvailable { codec: String, available: &'static str },
    /// A codec Spark knows that this server does not write.
    #[error("writing {format} files compressed with {codec} is not supported")]
    CodecNotSupported { codec: String, format: &'static str },
    #[error(transparent)]
    DataFusion(#[from] DataFusionError),
}

pub type SourceResult<T> = Result<T, SourceError>;

impl From<datafusion::arrow::error::ArrowError> for SourceError {
    fn from(e: datafusion::arrow::error::ArrowError) -> Self {
        SourceError::DataFusion(DataFusionError::ArrowError(Box::new(e), None))
    }
}

impl SourceError {
    pub fn read(path: &std::path::Path, message: impl std::fmt::Display) -> Self {
        SourceError::Read { path: path.display().to_string(), message: message.to_string() }
    }
}
