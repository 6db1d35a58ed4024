//! Hadoop's block compression stream (`BlockCompressorStream`), which its
//! lz4 and snappy codecs write: the input is cut into blocks, and each block
//! is written as its uncompressed length (4 bytes, big-endian) followed by
//! its compressed chunks, each a 4-byte big-endian length and a raw lz4 or
//! snappy block. A stream may hold many blocks; an empty stream is one
//! block of length zero.

use std::io::{Error, ErrorKind, Write};

/// The raw block codec inside the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockCodec {
    Lz4,
    Snappy,
}

/// Hadoop's default codec buffer (`io.compression.codec.{lz4,snappy}.buffersize`).
const BUFFER_SIZE: usize = 256 * 1024;

impl BlockCodec {
    /// The most input Hadoop compresses into one block: the buffer less the
    /// codec's worst-case expansion.
    fn max_input(self) -> usize {
        match self {
            Self::Lz4 => BUFFER_SIZE - (BUFFER_SIZE / 255 + 16),
            Self::Snappy => BUFFER_SIZE - (BUFFER_SIZE / 6 + 32),
        }
    }

    fn compress(self, input: &[u8]) -> std::io::Result<Vec<u8>> {
        match self {
            Self::Lz4 => Ok(lz4_flex::block::compress(input)),
            Self::Snappy => snap::raw::Encoder::new().compress_vec(input).map_err(|e| Error::new(ErrorKind::InvalidData, e)),
        }
    }

    fn decompress(self, chunk: &[u8], at_most: usize) -> std::io::Result<Vec<u8>> {
        match self {
            Self::Lz4 => lz4_flex::block::decompress(chunk, at_most).map_err(|e| Error::new(ErrorKind::InvalidData, e)),
            Self::Snappy => snap::raw::Decoder::new().decompress_vec(chunk).map_err(|e| Error::new(ErrorKind::InvalidData, e)),
        }
    }

    /// Inflates a whole stream.
    pub fn decode_stream(self, mut raw: &[u8]) -> std::io::Result<Vec<u8>> {
        let mut out = Vec::new();
        while !raw.is_empty() {
            let block_len = take_len(&mut raw)?;
            let mut produced = 0;
            while produced < block_len {
                let chunk_len = take_len(&mut raw)?;
                let chunk = raw.get(..chunk_len).ok_or_else(truncated)?;
                raw = &raw[chunk_len..];
                let inflated = self.decompress(chunk, block_len - produced)?;
                if inflated.is_empty() {
                    return Err(Error::new(ErrorKind::InvalidData, "empty compressed chunk"));
                }
                produced += inflated.len();
                out.extend_from_slice(&inflated);
            }
            if produced != block_len {
                return Err(Error::new(ErrorKind::InvalidData, "block longer than its stated length"));
            }
        }
        Ok(out)
    }
}

fn truncated() -> Error {
    Error::new(ErrorKind::UnexpectedEof, "truncated compressed block")
}

fn take_len(raw: &mut &[u8]) -> std::io::Result<usize> {
    let bytes: [u8; 4] = raw.get(..4).and_then(|b| b.try_into().ok()).ok_or_else(truncated)?;
    *raw = &raw[4..];
    usize::try_from(u32::from_be_bytes(bytes)).map_err(|e| Error::new(ErrorKind::InvalidData, e))
}

/// A writer of the block stream: buffers a block's input, then writes it framed.
pub struct BlockWriter<W: Write> {
    inner: W,
    codec: BlockCodec,
    pending: Vec<u8>,
    wrote_block: bool,
}

impl<W: Write> BlockWriter<W> {
    pub fn new(inner: W, codec: BlockCodec) -> Self {
        Self { inner, codec, pending: Vec::with_capacity(codec.max_input()), wrote_block: false }
    }

    fn write_block(&mut self) -> std::io::Result<()> {
        let len = u32::try_from(self.pending.len()).map_err(|e| Error::new(ErrorKind::InvalidInput, e))?;
        self.inner.write_all(&len.to_be_bytes())?;
        if !self.pending.is_empty() {
            let compressed = self.codec.compress(&self.pending)?;
            let clen = u32::try_from(compressed.len()).map_err(|e| Error::new(ErrorKind::InvalidInput, e))?;
            self.inner.write_all(&clen.to_be_bytes())?;
            self.inner.write_all(&compressed)?;
        }
        self.pending.clear();
        self.wrote_block = true;
        Ok(())
    }

    /// Writes the last block and gives back the inner writer.
    pub fn finish(mut self) -> std::io::Result<W> {
        if !self.pending.is_empty() || !self.wrote_block {
            self.write_block()?;
        }
        self.inner.flush()?;
        Ok(self.inner)
    }
}

impl<W: Write> Write for BlockWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let room = self.codec.max_input() - self.pending.len();
        let n = buf.len().min(room);
        self.pending.extend_from_slice(&buf[..n]);
        if self.pending.len() == self.codec.max_input() {
            self.write_block()?;
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_stream_is_one_empty_block() -> std::io::Result<()> {
        let bytes = BlockWriter::new(Vec::new(), BlockCodec::Snappy).finish()?;
        assert_eq!(bytes, vec![0, 0, 0, 0]);
        assert!(BlockCodec::Snappy.decode_stream(&bytes)?.is_empty());
        Ok(())
    }

    #[test]
    fn truncated_stream_is_an_error() -> std::io::Result<()> {
        let mut w = BlockWriter::new(Vec::new(), BlockCodec::Lz4);
        w.write_all(b"hello hello hello")?;
        let bytes = w.finish()?;
        assert!(BlockCodec::Lz4.decode_stream(&bytes[..bytes.len() - 2]).is_err());
        assert_eq!(BlockCodec::Lz4.decode_stream(&bytes)?, b"hello hello hello");
        Ok(())
    }
}
