//! The gRPC codec: prost, with a bound on message nesting checked before
//! decoding. prost decodes nested messages recursively (its own limit of 100
//! is switched off because long DataFrame chains nest far deeper), so a
//! hostile or runaway plan could otherwise overflow the stack and abort the
//! whole server. The check walks the wire format iteratively.

use std::marker::PhantomData;

use bytes::Buf;
use prost::Message;
use tonic::Status;
use tonic::codec::{BufferSettings, Codec, DecodeBuf, Decoder, EncodeBuf, Encoder};

/// Deepest message nesting accepted: a relation or an expression is two
/// message levels, so this admits every plan within `spark_plan::limits`
/// (and a little framing) and stops decoding far deeper ones early.
pub const MAX_NESTING: usize = 2 * (spark_plan::limits::MAX_RELATION_DEPTH + spark_plan::limits::MAX_EXPRESSION_DEPTH) + 64;

/// Returns the nesting depth of a protobuf message, counting every
/// length-delimited field that parses as a message, or `None` when it exceeds `limit`.
pub fn nesting_depth(buf: &[u8], limit: usize) -> Option<usize> {
    // Each frame: (end of its content, depth). A frame whose content does not
    // parse as a message is simply abandoned (it was a string or bytes).
    let mut stack: Vec<(usize, usize, usize)> = vec![(0, buf.len(), 0)];
    let mut max = 0;
    while let Some((mut pos, end, depth)) = stack.pop() {
        max = max.max(depth);
        if depth > limit {
            return None;
        }
        while pos < end {
            let Some((key, n)) = varint(&buf[pos..end]) else { break };
            pos += n;
            match key & 7 {
                0 => match varint(&buf[pos..end]) {
                    Some((_, n)) => pos += n,
                    None => break,
                },
                1 => pos += 8,
                5 => pos += 4,
                2 => {
                    let Some((len, n)) = varint(&buf[pos..end]) else { break };
                    pos += n;
                    let Ok(len) = usize::try_from(len) else { break };
                    if len > end.saturating_sub(pos) {
                        break;
                    }
                    if len > 0 {
                        // Resume this frame after the child, then look into the child.
                        stack.push((pos + len, end, depth));
                        stack.push((pos, pos + len, depth + 1));
                        pos = end;
                        continue;
                    }
                }
                _ => break,
            }
        }
    }
    Some(max)
}

fn varint(b: &[u8]) -> Option<(u64, usize)> {
    let mut v: u64 = 0;
    for (i, byte) in b.iter().enumerate().take(10) {
        v |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return Some((v, i + 1));
        }
    }
    None
}

#[derive(Debug, Clone)]
pub struct SparkCodec<T, U> {
    _pd: PhantomData<(T, U)>,
}

impl<T, U> Default for SparkCodec<T, U> {
    fn default() -> Self {
        Self { _pd: PhantomData }
    }
}

impl<T, U> Codec for SparkCodec<T, U>
where
    T: Message + Send + 'static,
    U: Message + Default + Send + 'static,
{
    type Encode = T;
    type Decode = U;
    type Encoder = SparkEncoder<T>;
    type Decoder = SparkDecoder<U>;

    fn encoder(&mut self) -> Self::Encoder {
        SparkEncoder { _pd: PhantomData }
    }

    fn decoder(&mut self) -> Self::Decoder {
        SparkDecoder { _pd: PhantomData }
    }
}

#[derive(Debug)]
pub struct SparkEncoder<T> {
    _pd: PhantomData<T>,
}

impl<T: Message> Encoder for SparkEncoder<T> {
    type Item = T;
    type Error = Status;

    fn encode(&mut self, item: T, buf: &mut EncodeBuf<'_>) -> Result<(), Status> {
        item.encode(buf).map_err(|e| Status::internal(format!("encoding failed: {e}")))
    }

    fn buffer_settings(&self) -> BufferSettings {
        BufferSettings::default()
    }
}

/// Decodes one request, refusing nesting beyond `MAX_NESTING` first (prost
/// decodes recursively).
pub fn decode_message<U: Message + Default>(bytes: bytes::Bytes) -> Result<U, crate::error::ServerError> {
    if nesting_depth(&bytes, MAX_NESTING).is_none() {
        return Err(crate::error::plan_too_deep_error(spark_plan::limits::TooDeep::Relations));
    }
    U::decode(bytes).map_err(|e| crate::error::ServerError::invalid_plan(format!("the request is not a valid Spark Connect message: {e}")))
}

#[derive(Debug)]
pub struct SparkDecoder<U> {
    _pd: PhantomData<U>,
}

impl<U: Message + Default> Decoder for SparkDecoder<U> {
    type Item = U;
    type Error = Status;

    fn decode(&mut self, buf: &mut DecodeBuf<'_>) -> Result<Option<U>, Status> {
        decode_message(buf.copy_to_bytes(buf.remaining())).map(Some).map_err(Status::from)
    }

    fn buffer_settings(&self) -> BufferSettings {
        BufferSettings::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Wraps a payload in `levels` nested length-delimited fields.
    fn nested(levels: usize) -> Vec<u8> {
        let mut msg = vec![0x08, 0x01];
        for _ in 0..levels {
            let mut outer = vec![0x0a];
            let mut len = msg.len();
            while len >= 0x80 {
                outer.push((len as u8 & 0x7f) | 0x80);
                len >>= 7;
            }
            outer.push(len as u8);
            outer.extend_from_slice(&msg);
            msg = outer;
        }
        msg
    }

    #[test]
    fn depth() {
        assert_eq!(nesting_depth(&nested(3), 100), Some(3));
        assert_eq!(nesting_depth(&nested(200), 100), None);
        assert_eq!(nesting_depth(&nested(20_000), MAX_NESTING), None);
        assert_eq!(nesting_depth(b"", 10), Some(0));
    }
}
