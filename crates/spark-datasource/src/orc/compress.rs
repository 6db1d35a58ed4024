//! ORC's compression: every stream (and the stripe footers, the metadata
//! and the file footer) is cut into chunks of the compression block size,
//! each compressed on its own and preceded by a 3-byte little-endian header
//! holding `length * 2 + is_original` (a chunk that would not shrink is
//! stored as it is).

use std::io::Write;

use orc_rust::proto::CompressionKind;

/// The codecs this server writes (Spark's `compression` option values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrcCodec {
    None,
    Zlib,
    Snappy,
    Lz4,
    Lzo,
    Zstd,
}

/// Spark's ORC compression block size (`orc.compress.size`).
pub const BLOCK_SIZE: usize = 256 * 1024;

impl OrcCodec {
    pub fn kind(self) -> CompressionKind {
        match self {
            Self::None => CompressionKind::None,
            Self::Zlib => CompressionKind::Zlib,
            Self::Snappy => CompressionKind::Snappy,
            Self::Lz4 => CompressionKind::Lz4,
            Self::Lzo => CompressionKind::Lzo,
            Self::Zstd => CompressionKind::Zstd,
        }
    }

    /// The codec's part of a file name (`.zstd.orc`); none when uncompressed.
    pub fn file_infix(self) -> &'static str {
        match self {
            Self::None => "",
            Self::Zlib => ".zlib",
            Self::Snappy => ".snappy",
            Self::Lz4 => ".lz4",
            Self::Lzo => ".lzo",
            Self::Zstd => ".zstd",
        }
    }

    fn compress_chunk(self, chunk: &[u8]) -> std::io::Result<Vec<u8>> {
        match self {
            Self::None => Ok(chunk.to_vec()),
            Self::Zlib => {
                // ORC's ZLIB is a raw deflate stream, without zlib's header.
                let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
                e.write_all(chunk)?;
                e.finish()
            }
            Self::Snappy => snap::raw::Encoder::new().compress_vec(chunk).map_err(std::io::Error::other),
            Self::Lz4 => Ok(lz4_flex::block::compress(chunk)),
            Self::Lzo => lzokay_native::compress(chunk).map_err(|e| std::io::Error::other(format!("{e:?}"))),
            Self::Zstd => zstd::bulk::compress(chunk, 3),
        }
    }

    /// A whole stream, compressed chunk by chunk (as it is when uncompressed).
    pub fn compress(self, data: &[u8]) -> std::io::Result<Vec<u8>> {
        if self == Self::None {
            return Ok(data.to_vec());
        }
        let mut out = Vec::with_capacity(data.len() / 2 + 16);
        for chunk in data.chunks(BLOCK_SIZE) {
            let compressed = self.compress_chunk(chunk)?;
            let (body, original) = if compressed.len() < chunk.len() { (compressed.as_slice(), 0) } else { (chunk, 1) };
            let header = (body.len() << 1) | original;
            out.extend_from_slice(&[header as u8, (header >> 8) as u8, (header >> 16) as u8]);
            out.extend_from_slice(body);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incompressible_chunks_are_stored_original() -> std::io::Result<()> {
        let out = OrcCodec::Zstd.compress(&[1, 2, 3])?;
        // 3 bytes, original: header 3 * 2 + 1 = 7.
        assert_eq!(out, vec![7, 0, 0, 1, 2, 3]);
        let zeros = OrcCodec::Snappy.compress(&[0; 1000])?;
        assert_eq!(zeros[0] & 1, 0);
        assert!(zeros.len() < 100);
        Ok(())
    }
}
