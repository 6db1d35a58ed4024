//! Compressed text files (`.gz`, `.deflate`), as Spark reads them through
//! Hadoop's codecs chosen by file extension: read whole and inflated here.

use std::io::Read;
use std::path::Path;

use crate::{SourceError, SourceResult};

/// Whether the file's extension names a compression codec this reader inflates.
pub fn is_compressed(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("gz" | "deflate"))
}

/// The file's bytes, inflated when its extension names a codec.
pub fn read_file(path: &Path) -> SourceResult<Vec<u8>> {
    let raw = std::fs::read(path).map_err(|e| SourceError::read(path, e))?;
    let mut out = Vec::new();
    match path.extension().and_then(|e| e.to_str()) {
        Some("gz") => flate2::read::MultiGzDecoder::new(raw.as_slice()).read_to_end(&mut out),
        Some("deflate") => flate2::read::ZlibDecoder::new(raw.as_slice()).read_to_end(&mut out),
        _ => return Ok(raw),
    }
    .map_err(|e| SourceError::read(path, e))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn inflates_by_extension() -> SourceResult<()> {
        let dir = std::env::temp_dir().join(format!("scs-gz-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join("a.csv.gz");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(b"x,1\n").map_err(|e| SourceError::read(&path, e))?;
        std::fs::write(&path, enc.finish().map_err(|e| SourceError::read(&path, e))?).map_err(|e| SourceError::read(&path, e))?;
        assert!(is_compressed(&path));
        assert_eq!(read_file(&path)?, b"x,1\n");
        let _ = std::fs::remove_dir_all(&dir);
        Ok(())
    }
}
