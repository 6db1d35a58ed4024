//! Compressed text files, as Spark reads and writes them through Hadoop's
//! codecs: the codec is chosen by the file's extension when reading, and by
//! the `compression` option when writing. gzip, deflate and bzip2 are their
//! standard streams; Hadoop's lz4 and snappy codecs frame raw blocks in
//! their own block stream ([`crate::block_stream`]).

use std::io::{Read, Write};
use std::path::Path;

use crate::block_stream::{BlockCodec, BlockWriter};
use crate::{SourceError, SourceResult};

/// One of Hadoop's compression codecs for line files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    Gzip,
    Deflate,
    Bzip2,
    Lz4,
    Snappy,
}

impl Codec {
    /// The codec of a `compression` option value; `Ok(None)` for none.
    pub fn named(name: &str) -> Option<Option<Self>> {
        Some(Some(match name {
            "none" | "uncompressed" => return Some(None),
            "gzip" => Self::Gzip,
            "deflate" => Self::Deflate,
            "bzip2" => Self::Bzip2,
            "lz4" => Self::Lz4,
            "snappy" => Self::Snappy,
            _ => return None,
        }))
    }

    /// The codec's file extension (Hadoop's `getDefaultExtension`), without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Gzip => "gz",
            Self::Deflate => "deflate",
            Self::Bzip2 => "bz2",
            Self::Lz4 => "lz4",
            Self::Snappy => "snappy",
        }
    }

    /// The codec a file's extension names.
    pub fn of_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?;
        [Self::Gzip, Self::Deflate, Self::Bzip2, Self::Lz4, Self::Snappy].into_iter().find(|c| c.extension() == ext)
    }

    /// A writer compressing into `inner`; `finish` it to end the stream.
    pub fn encoder<W: Write + Send + 'static>(self, inner: W) -> Encoder<W> {
        match self {
            Self::Gzip => Encoder::Gzip(flate2::write::GzEncoder::new(inner, flate2::Compression::default())),
            Self::Deflate => Encoder::Deflate(flate2::write::ZlibEncoder::new(inner, flate2::Compression::default())),
            Self::Bzip2 => Encoder::Bzip2(bzip2::write::BzEncoder::new(inner, bzip2::Compression::best())),
            Self::Lz4 => Encoder::Block(BlockWriter::new(inner, BlockCodec::Lz4)),
            Self::Snappy => Encoder::Block(BlockWriter::new(inner, BlockCodec::Snappy)),
        }
    }

    /// Inflates a whole file's bytes.
    fn decode(self, raw: &[u8]) -> std::io::Result<Vec<u8>> {
        let mut out = Vec::new();
        match self {
            Self::Gzip => flate2::read::MultiGzDecoder::new(raw).read_to_end(&mut out).map(|_| out),
            Self::Deflate => flate2::read::ZlibDecoder::new(raw).read_to_end(&mut out).map(|_| out),
            Self::Bzip2 => bzip2::read::MultiBzDecoder::new(raw).read_to_end(&mut out).map(|_| out),
            Self::Lz4 => BlockCodec::Lz4.decode_stream(raw),
            Self::Snappy => BlockCodec::Snappy.decode_stream(raw),
        }
    }
}

/// A compressing writer of one of the codecs.
pub enum Encoder<W: Write> {
    Gzip(flate2::write::GzEncoder<W>),
    Deflate(flate2::write::ZlibEncoder<W>),
    Bzip2(bzip2::write::BzEncoder<W>),
    Block(BlockWriter<W>),
}

impl<W: Write> Encoder<W> {
    pub fn writer(&mut self) -> &mut dyn Write {
        match self {
            Self::Gzip(w) => w,
            Self::Deflate(w) => w,
            Self::Bzip2(w) => w,
            Self::Block(w) => w,
        }
    }

    /// Ends the compressed stream and gives back the inner writer.
    pub fn finish(self) -> std::io::Result<W> {
        match self {
            Self::Gzip(w) => w.finish(),
            Self::Deflate(w) => w.finish(),
            Self::Bzip2(w) => w.finish(),
            Self::Block(w) => w.finish(),
        }
    }
}

/// Whether the file's extension names a compression codec this reader inflates.
pub fn is_compressed(path: &Path) -> bool {
    Codec::of_path(path).is_some()
}

/// The file's bytes, inflated when its extension names a codec.
pub fn read_file(path: &Path) -> SourceResult<Vec<u8>> {
    let raw = std::fs::read(path).map_err(|e| SourceError::read(path, e))?;
    match Codec::of_path(path) {
        Some(codec) => codec.decode(&raw).map_err(|e| SourceError::read(path, e)),
        None => Ok(raw),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(codec: Codec, data: &[u8]) -> SourceResult<()> {
        let dir = std::env::temp_dir().join(format!("scs-codec-{}-{:?}", std::process::id(), codec));
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join(format!("a.csv.{}", codec.extension()));
        let mut enc = codec.encoder(Vec::new());
        enc.writer().write_all(data).map_err(|e| SourceError::read(&path, e))?;
        std::fs::write(&path, enc.finish().map_err(|e| SourceError::read(&path, e))?).map_err(|e| SourceError::read(&path, e))?;
        assert!(is_compressed(&path));
        assert_eq!(read_file(&path)?, data, "{codec:?}");
        let _ = std::fs::remove_dir_all(&dir);
        Ok(())
    }

    #[test]
    fn every_codec_round_trips() -> SourceResult<()> {
        let big: Vec<u8> = (0..700_000u32).flat_map(|i| format!("{i},{}\n", i % 7).into_bytes()).collect();
        for codec in [Codec::Gzip, Codec::Deflate, Codec::Bzip2, Codec::Lz4, Codec::Snappy] {
            round_trip(codec, b"x,1\n")?;
            round_trip(codec, b"")?;
            round_trip(codec, &big)?;
        }
        Ok(())
    }

    #[test]
    fn names_and_extensions() {
        assert_eq!(Codec::named("none"), Some(None));
        assert_eq!(Codec::named("snappy"), Some(Some(Codec::Snappy)));
        assert_eq!(Codec::named("zip"), None);
        assert_eq!(Codec::of_path(Path::new("part-0.csv.bz2")), Some(Codec::Bzip2));
        assert_eq!(Codec::of_path(Path::new("part-0.csv")), None);
    }
}
