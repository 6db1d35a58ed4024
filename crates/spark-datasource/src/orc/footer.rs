//! An ORC file's type list, with the attributes Spark records in it: read
//! from the file's tail (the postscript, then the footer it points to,
//! decompressed by the file's codec).

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use orc_rust::proto::{Footer, PostScript, Type};
use prost::Message;

use crate::{SourceError, SourceResult};

/// The longest tail read at once: a postscript is at most 255 bytes, and
/// most footers are far smaller than this.
const TAIL_BYTES: u64 = 256 * 1024;

/// What a file's tail says about its contents.
pub struct FileTail {
    pub types: Vec<Type>,
    /// Whether dates and timestamps are proleptic Gregorian (else hybrid, as Spark writes them).
    pub proleptic: bool,
    /// Each stripe's offset and rows.
    pub stripes: Vec<(u64, u64)>,
}

pub fn read_tail(path: &Path) -> SourceResult<FileTail> {
    let read = |e: std::io::Error| SourceError::read(path, e);
    let invalid = |what: &str| SourceError::read(path, format!("not an ORC file ({what})"));
    let mut file = std::fs::File::open(path).map_err(read)?;
    let len = file.metadata().map_err(read)?.len();
    let tail_len = len.min(TAIL_BYTES);
    file.seek(SeekFrom::Start(len - tail_len)).map_err(read)?;
    let mut tail = Vec::with_capacity(tail_len as usize);
    file.by_ref().take(tail_len).read_to_end(&mut tail).map_err(read)?;
    let ps_len = *tail.last().ok_or_else(|| invalid("empty"))? as usize;
    let ps_start = tail.len().checked_sub(1 + ps_len).ok_or_else(|| invalid("short postscript"))?;
    let postscript = PostScript::decode(&tail[ps_start..tail.len() - 1]).map_err(|e| invalid(&e.to_string()))?;
    if postscript.magic() != "ORC" {
        return Err(invalid("no ORC magic"));
    }
    let footer_len = postscript.footer_length() as usize;
    let footer_start = ps_start.checked_sub(footer_len);
    let footer_bytes = match footer_start {
        Some(start) => tail[start..ps_start].to_vec(),
        None => {
            // A footer larger than the tail read: read it from the file.
            let start = len.checked_sub((tail.len() - ps_start + footer_len) as u64).ok_or_else(|| invalid("short footer"))?;
            file.seek(SeekFrom::Start(start)).map_err(read)?;
            let mut bytes = vec![0; footer_len];
            file.read_exact(&mut bytes).map_err(read)?;
            bytes
        }
    };
    // The codec settings and stripes as orc-rust reads them.
    let reopened = std::fs::File::open(path).map_err(read)?;
    let builder = orc_rust::ArrowReaderBuilder::try_new(reopened).map_err(|e| SourceError::read(path, e))?;
    let metadata = builder.file_metadata();
    let stripes = metadata.stripe_metadatas().iter().map(|s| (s.offset(), s.number_of_rows())).collect();
    let compression = metadata.compression();
    let mut decoded = Vec::new();
    orc_rust::compression::Decompressor::new(bytes::Bytes::from(footer_bytes), compression, Vec::new())
        .read_to_end(&mut decoded)
        .map_err(read)?;
    let footer = Footer::decode(decoded.as_slice()).map_err(|e| invalid(&e.to_string()))?;
    let proleptic = footer.calendar() == orc_rust::proto::CalendarKind::ProlepticGregorian;
    Ok(FileTail { types: footer.types, proleptic, stripes })
}
