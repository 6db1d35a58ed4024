//! Reading what a worker pickles back for a row-at-a-time `udf` (pickle
//! protocol 5, as `CPickleSerializer` writes it): the values Spark's JVM
//! would get from its unpickler. Only plain data is understood — None,
//! booleans, ints, floats, strings, bytes, tuples, lists, dicts and
//! `decimal.Decimal`; any other object is refused with its class name.

use crate::error::{PythonError, PythonResult};
use crate::pickle_opcodes::*;

/// A value as the JVM side of Spark sees an unpickled Python object.
#[derive(Debug, Clone, PartialEq)]
pub enum PyValue {
    None,
    Bool(bool),
    /// An int that fits 32 bits (`java.lang.Integer`).
    Int(i32),
    /// An int that fits 64 bits (`java.lang.Long`).
    Long(i64),
    /// An int beyond 64 bits (`BigInteger`): no Spark type takes it.
    BigInt,
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    Tuple(Vec<PyValue>),
    List(Vec<PyValue>),
    Dict(Vec<(PyValue, PyValue)>),
    /// `decimal.Decimal`, by its text.
    Decimal(String),
    /// A class reference (before it is called).
    Global(String),
    /// An object of a class that is not plain data.
    Object(String),
}

enum Slot {
    Mark,
    Value(PyValue),
}

struct Machine<'a> {
    data: &'a [u8],
    pos: usize,
    stack: Vec<Slot>,
    memo: Vec<Option<PyValue>>,
}

fn bad(what: impl Into<String>) -> PythonError {
    PythonError::Protocol(format!("cannot read the UDF's pickled result: {}", what.into()))
}

impl<'a> Machine<'a> {
    fn take(&mut self, n: usize) -> PythonResult<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|e| *e <= self.data.len()).ok_or_else(|| bad("truncated"))?;
        let s = &self.data[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn byte(&mut self) -> PythonResult<u8> {
        Ok(self.take(1)?[0])
    }

    fn u32(&mut self) -> PythonResult<usize> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }

    fn u64(&mut self) -> PythonResult<usize> {
        let b = self.take(8)?;
        usize::try_from(u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])).map_err(|_| bad("length"))
    }

    fn line(&mut self) -> PythonResult<String> {
        let rest = &self.data[self.pos..];
        let n = rest.iter().position(|b| *b == b'\n').ok_or_else(|| bad("unterminated line"))?;
        let s = String::from_utf8_lossy(&rest[..n]).into_owned();
        self.pos += n + 1;
        Ok(s)
    }

    fn push(&mut self, v: PyValue) {
        self.stack.push(Slot::Value(v));
    }

    fn pop(&mut self) -> PythonResult<PyValue> {
        match self.stack.pop() {
            Some(Slot::Value(v)) => Ok(v),
            _ => Err(bad("stack underflow")),
        }
    }

    /// The values above the topmost mark, which is removed.
    fn pop_mark(&mut self) -> PythonResult<Vec<PyValue>> {
        let at = self.stack.iter().rposition(|s| matches!(s, Slot::Mark)).ok_or_else(|| bad("no mark"))?;
        let items = self.stack.split_off(at + 1);
        self.stack.pop();
        Ok(items.into_iter().filter_map(|s| if let Slot::Value(v) = s { Some(v) } else { None }).collect())
    }

    fn top(&mut self) -> PythonResult<&mut PyValue> {
        match self.stack.last_mut() {
            Some(Slot::Value(v)) => Ok(v),
            _ => Err(bad("stack underflow")),
        }
    }

    fn memo_put(&mut self, i: usize) -> PythonResult<()> {
        let v = match self.stack.last() {
            Some(Slot::Value(v)) => v.clone(),
            _ => return Err(bad("memo of nothing")),
        };
        if self.memo.len() <= i {
            self.memo.resize(i + 1, None);
        }
        self.memo[i] = Some(v);
        Ok(())
    }

    fn memo_get(&mut self, i: usize) -> PythonResult<()> {
        let v = self.memo.get(i).cloned().flatten().ok_or_else(|| bad("unknown memo"))?;
        self.push(v);
        Ok(())
    }

    fn run(mut self) -> PythonResult<PyValue> {
        loop {
            let op = self.byte()?;
            match op {
                PROTO => {
                    self.byte()?;
                }
                FRAME => {
                    self.take(8)?;
                }
                STOP => return self.pop(),
                MARK => self.stack.push(Slot::Mark),
                POP => {
                    self.stack.pop();
                }
                POP_MARK => {
                    self.pop_mark()?;
                }
                NONE => self.push(PyValue::None),
                NEWTRUE => self.push(PyValue::Bool(true)),
                NEWFALSE => self.push(PyValue::Bool(false)),
                BININT => {
                    let b = self.take(4)?;
                    self.push(PyValue::Int(i32::from_le_bytes([b[0], b[1], b[2], b[3]])));
                }
                BININT1 => {
                    let b = self.byte()?;
                    self.push(PyValue::Int(i32::from(b)));
                }
                BININT2 => {
                    let b = self.take(2)?;
                    self.push(PyValue::Int(i32::from(u16::from_le_bytes([b[0], b[1]]))));
                }
                LONG1 | LONG4 => {
                    let n = if op == LONG1 { usize::from(self.byte()?) } else { self.u32()? };
                    let b = self.take(n)?;
                    self.push(long(b));
                }
                BINFLOAT => {
                    let b = self.take(8)?;
                    self.push(PyValue::Float(f64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])));
                }
                SHORT_BINUNICODE | BINUNICODE | BINUNICODE8 => {
                    let n = match op {
                        SHORT_BINUNICODE => usize::from(self.byte()?),
                        BINUNICODE => self.u32()?,
                        _ => self.u64()?,
                    };
                    let b = self.take(n)?;
                    self.push(PyValue::Str(String::from_utf8_lossy(b).into_owned()));
                }
                SHORT_BINBYTES | BINBYTES | BINBYTES8 | BYTEARRAY8 => {
                    let n = match op {
                        SHORT_BINBYTES => usize::from(self.byte()?),
                        BINBYTES => self.u32()?,
                        _ => self.u64()?,
                    };
                    let b = self.take(n)?.to_vec();
                    self.push(PyValue::Bytes(b));
                }
                EMPTY_TUPLE => self.push(PyValue::Tuple(vec![])),
                TUPLE1 | TUPLE2 | TUPLE3 => {
                    let n = usize::from(op - TUPLE1 + 1);
                    let mut items = (0..n).map(|_| self.pop()).collect::<PythonResult<Vec<_>>>()?;
                    items.reverse();
                    self.push(PyValue::Tuple(items));
                }
                TUPLE => {
                    let items = self.pop_mark()?;
                    self.push(PyValue::Tuple(items));
                }
                EMPTY_LIST => self.push(PyValue::List(vec![])),
                LIST => {
                    let items = self.pop_mark()?;
                    self.push(PyValue::List(items));
                }
                APPEND => {
                    let v = self.pop()?;
                    match self.top()? {
                        PyValue::List(l) => l.push(v),
                        _ => return Err(bad("append to a non-list")),
                    }
                }
                APPENDS => {
                    let items = self.pop_mark()?;
                    match self.top()? {
                        PyValue::List(l) => l.extend(items),
                        _ => return Err(bad("append to a non-list")),
                    }
                }
                EMPTY_DICT => self.push(PyValue::Dict(vec![])),
                DICT => {
                    let items = self.pop_mark()?;
                    self.push(PyValue::Dict(pairs(items)));
                }
                SETITEM => {
                    let v = self.pop()?;
                    let k = self.pop()?;
                    match self.top()? {
                        PyValue::Dict(d) => d.push((k, v)),
                        _ => return Err(bad("setitem on a non-dict")),
                    }
                }
                SETITEMS => {
                    let items = self.pop_mark()?;
                    match self.top()? {
                        PyValue::Dict(d) => d.extend(pairs(items)),
                        _ => return Err(bad("setitems on a non-dict")),
                    }
                }
                EMPTY_SET => self.push(PyValue::Object("set".into())),
                ADDITEMS => {
                    self.pop_mark()?;
                }
                FROZENSET => {
                    self.pop_mark()?;
                    self.push(PyValue::Object("frozenset".into()));
                }
                GLOBAL => {
                    let module = self.line()?;
                    let name = self.line()?;
                    self.push(PyValue::Global(format!("{module}.{name}")));
                }
                STACK_GLOBAL => {
                    let name = self.pop()?;
                    let module = self.pop()?;
                    match (module, name) {
                        (PyValue::Str(m), PyValue::Str(n)) => self.push(PyValue::Global(format!("{m}.{n}"))),
                        _ => return Err(bad("a global without names")),
                    }
                }
                REDUCE | NEWOBJ => {
                    let args = self.pop()?;
                    let callable = self.pop()?;
                    self.push(construct(callable, args));
                }
                NEWOBJ_EX => {
                    self.pop()?;
                    let args = self.pop()?;
                    let callable = self.pop()?;
                    self.push(construct(callable, args));
                }
                BUILD => {
                    self.pop()?;
                }
                MEMOIZE => {
                    let i = self.memo.len();
                    self.memo_put(i)?;
                }
                BINPUT => {
                    let i = usize::from(self.byte()?);
                    self.memo_put(i)?;
                }
                LONG_BINPUT => {
                    let i = self.u32()?;
                    self.memo_put(i)?;
                }
                BINGET => {
                    let i = usize::from(self.byte()?);
                    self.memo_get(i)?;
                }
                LONG_BINGET => {
                    let i = self.u32()?;
                    self.memo_get(i)?;
                }
                other => return Err(bad(format!("opcode 0x{other:02x}"))),
            }
        }
    }
}

fn pairs(items: Vec<PyValue>) -> Vec<(PyValue, PyValue)> {
    let mut it = items.into_iter();
    let mut out = vec![];
    while let (Some(k), Some(v)) = (it.next(), it.next()) {
        out.push((k, v));
    }
    out
}

/// A little-endian two's-complement integer of any width.
fn long(b: &[u8]) -> PyValue {
    if b.is_empty() {
        return PyValue::Int(0);
    }
    if b.len() > 8 {
        let negative = b[b.len() - 1] & 0x80 != 0;
        let fill = if negative { 0xff } else { 0 };
        if b[8..].iter().any(|x| *x != fill) || (b[7] & 0x80 != 0) != negative {
            return PyValue::BigInt;
        }
    }
    let negative = b[b.len().min(8) - 1] & 0x80 != 0;
    let mut buf = [if negative { 0xff } else { 0 }; 8];
    buf[..b.len().min(8)].copy_from_slice(&b[..b.len().min(8)]);
    let v = i64::from_le_bytes(buf);
    // Pyrolite reads LONG1 as a Long even when it would fit an int.
    PyValue::Long(v)
}

/// What calling a class gives: the plain types the JVM knows, else an
/// opaque object.
fn construct(callable: PyValue, args: PyValue) -> PyValue {
    let PyValue::Global(name) = callable else { return PyValue::Object("a call".into()) };
    let args = match args {
        PyValue::Tuple(a) => a,
        other => vec![other],
    };
    match (name.as_str(), args.as_slice()) {
        ("decimal.Decimal", [PyValue::Str(s)]) => PyValue::Decimal(s.clone()),
        ("builtins.bytearray" | "__builtin__.bytearray", [PyValue::Bytes(b)]) => PyValue::Bytes(b.clone()),
        ("builtins.bytearray" | "__builtin__.bytearray", []) => PyValue::Bytes(vec![]),
        ("_codecs.encode", [PyValue::Str(s), PyValue::Str(_)]) => PyValue::Bytes(s.chars().map(|c| c as u32 as u8).collect()),
        ("builtins.bytes" | "__builtin__.bytes", []) => PyValue::Bytes(vec![]),
        _ => PyValue::Object(name),
    }
}

/// One pickled object.
pub fn unpickle(data: &[u8]) -> PythonResult<PyValue> {
    Machine { data, pos: 0, stack: vec![], memo: vec![] }.run()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_python_pickles_of_plain_data() -> PythonResult<()> {
        // pickle.dumps([1, None, 2**40, -3, 1.5, 'hé', b'\x01', (True, False), {'k': [1]}], 5)
        let data = b"\x80\x05\x958\x00\x00\x00\x00\x00\x00\x00]\x94(K\x01N\x8a\x06\x00\x00\x00\x00\x00\x01J\xfd\xff\xff\xffG?\xf8\x00\x00\x00\x00\x00\x00\x8c\x03h\xc3\xa9\x94C\x01\x01\x94\x88\x89\x86\x94}\x94\x8c\x01k\x94]\x94K\x01ase.";
        let v = unpickle(data)?;
        assert_eq!(
            v,
            PyValue::List(vec![
                PyValue::Int(1),
                PyValue::None,
                PyValue::Long(1 << 40),
                PyValue::Int(-3),
                PyValue::Float(1.5),
                PyValue::Str("hé".into()),
                PyValue::Bytes(vec![1]),
                PyValue::Tuple(vec![PyValue::Bool(true), PyValue::Bool(false)]),
                PyValue::Dict(vec![(PyValue::Str("k".into()), PyValue::List(vec![PyValue::Int(1)]))]),
            ])
        );
        Ok(())
    }

    #[test]
    fn decimals_and_big_ints() -> PythonResult<()> {
        // pickle.dumps([decimal.Decimal('1.25'), 2**70, -2**63], 5)
        let data = b"\x80\x05\x95;\x00\x00\x00\x00\x00\x00\x00]\x94(\x8c\x07decimal\x94\x8c\x07Decimal\x94\x93\x94\x8c\x041.25\x94\x85\x94R\x94\x8a\t\x00\x00\x00\x00\x00\x00\x00\x00@\x8a\x08\x00\x00\x00\x00\x00\x00\x00\x80e.";
        let v = unpickle(data)?;
        assert_eq!(v, PyValue::List(vec![PyValue::Decimal("1.25".into()), PyValue::BigInt, PyValue::Long(i64::MIN)]));
        Ok(())
    }

    #[test]
    fn protocol_2_bytearrays() -> PythonResult<()> {
        // pickle.dumps([bytearray(b'ab')], 2)
        let data = b"\x80\x02]q\x00c__builtin__\nbytearray\nq\x01c_codecs\nencode\nq\x02X\x02\x00\x00\x00abq\x03X\x06\x00\x00\x00latin1q\x04\x86q\x05Rq\x06\x85q\x07Rq\x08a.";
        assert_eq!(unpickle(data)?, PyValue::List(vec![PyValue::Bytes(b"ab".to_vec())]));
        Ok(())
    }

    #[test]
    fn truncated_input_is_an_error() {
        assert!(unpickle(b"\x80\x05]\x94(K").is_err());
    }
}
