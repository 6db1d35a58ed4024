//! Spark type names: `INT`, `DECIMAL(10,2)`, `ARRAY<STRING>`, `MAP<K,V>`,
//! `STRUCT<a: INT, b STRING>`, `INTERVAL DAY TO SECOND`, and DDL schemas.

use spark_plan::{DataType, StructField};

use crate::lexer::Tok;
use crate::parser::Parser;
use crate::{ParseError, ParseResult};

fn unsupported(name: &str) -> ParseError {
    ParseError::other(
        "UNSUPPORTED_DATATYPE",
        "0A000",
        format!("Unsupported data type \"{}\".", name.to_uppercase()),
    )
}

impl Parser {
    pub fn parse_data_type(&mut self) -> ParseResult<DataType> {
        let name = match self.advance() {
            Tok::Word(w) | Tok::Quoted(w) => w.to_ascii_lowercase(),
            _ => return self.error(),
        };
        let t = match name.as_str() {
            "boolean" | "bool" => DataType::Boolean,
            "tinyint" | "byte" => DataType::Byte,
            "smallint" | "short" => DataType::Short,
            "int" | "integer" => DataType::Integer,
            "bigint" | "long" => DataType::Long,
            "float" | "real" => DataType::Float,
            "double" => DataType::Double,
            "date" => DataType::Date,
            "timestamp" | "timestamp_ltz" => DataType::Timestamp,
            "timestamp_ntz" => DataType::TimestampNtz,
            "time" => {
                let mut precision = 6;
                if self.eat_sym("(") {
                    precision = self.parse_integer()?;
                    self.expect_sym(")")?;
                }
                DataType::Time(precision as u8)
            }
            "string" => {
                if self.eat_word("collate") {
                    self.parse_identifier()?;
                }
                DataType::String
            }
            "binary" => DataType::Binary,
            "void" => DataType::Null,
            "variant" => DataType::Variant,
            "char" | "character" | "varchar" => {
                self.expect_sym("(")?;
                let n = self.parse_integer()?;
                self.expect_sym(")")?;
                if name == "varchar" { DataType::VarChar(n as u32) } else { DataType::Char(n as u32) }
            }
            "decimal" | "dec" | "numeric" => {
                if self.eat_sym("(") {
                    let p = self.parse_integer()?;
                    let s = if self.eat_sym(",") { self.parse_integer()? } else { 0 };
                    self.expect_sym(")")?;
                    if !(1..=38).contains(&p) || s > p || s < 0 {
                        return Err(ParseError::other(
                            "DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION",
                            "22003",
                            format!("Decimal precision {p} exceeds max precision 38."),
                        ));
                    }
                    DataType::Decimal { precision: p as u8, scale: s as i8 }
                } else {
                    DataType::DEFAULT_DECIMAL
                }
            }
            "interval" => self.parse_interval_type()?,
            "array" => {
                self.expect_sym("<")?;
                let e = self.parse_data_type()?;
                self.expect_close_angle()?;
                DataType::array(e, true)
            }
            "map" => {
                self.expect_sym("<")?;
                let k = self.parse_data_type()?;
                self.expect_sym(",")?;
                let v = self.parse_data_type()?;
                self.expect_close_angle()?;
                DataType::map(k, v, true)
            }
            "struct" => {
                self.expect_sym("<")?;
                let mut fields = Vec::new();
                if !self.is_sym(">") {
                    loop {
                        let fname = self.parse_identifier_or_keyword()?;
                        if !self.eat_colon_glued_word() {
                            self.eat_sym(":");
                        }
                        let ft = self.parse_data_type()?;
                        let nullable = !self.eat_words(&["not", "null"]);
                        let mut f = StructField::new(fname, ft, nullable);
                        if self.eat_word("comment") {
                            if let Tok::Str(c) = self.advance() {
                                f.metadata = Some(format!("{{\"comment\":{}}}", json_string(&c)));
                            }
                        }
                        fields.push(f);
                        if !self.eat_sym(",") {
                            break;
                        }
                    }
                }
                self.expect_close_angle()?;
                DataType::Struct(fields)
            }
            other => return Err(unsupported(other)),
        };
        Ok(t)
    }

    /// `>` that may be glued to another one in `>>`.
    fn expect_close_angle(&mut self) -> ParseResult<()> {
        if self.eat_sym(">") {
            return Ok(());
        }
        if self.is_sym(">>") {
            // Split `>>` into two closers: consume it and leave one `>` pending.
            self.split_shift_right();
            return Ok(());
        }
        if self.is_sym(">=") {
            return self.error();
        }
        self.error()
    }

    fn parse_interval_type(&mut self) -> ParseResult<DataType> {
        let unit = |p: &mut Parser| -> Option<String> {
            match p.peek().clone() {
                Tok::Word(w) => {
                    let l = w.to_ascii_lowercase();
                    if ["year", "month", "day", "hour", "minute", "second"].contains(&l.as_str()) {
                        p.advance();
                        Some(l)
                    } else {
                        None
                    }
                }
                _ => None,
            }
        };
        let Some(start) = unit(self) else { return Ok(DataType::CalendarInterval) };
        let end = if self.eat_word("to") { unit(self).ok_or(()).or_else(|_| self.error())? } else { start.clone() };
        let dt = ["day", "hour", "minute", "second"];
        let ym = ["year", "month"];
        let pos = |u: &[&str], n: &str| u.iter().position(|x| *x == n).map(|p| p as u8);
        match (pos(&dt, &start), pos(&dt, &end), pos(&ym, &start), pos(&ym, &end)) {
            (Some(s), Some(e), _, _) if s <= e => Ok(DataType::DayTimeInterval { start: s, end: e }),
            (_, _, Some(s), Some(e)) if s <= e => Ok(DataType::YearMonthInterval { start: s, end: e }),
            _ => self.error(),
        }
    }

    /// `a INT, b STRING NOT NULL COMMENT '...'` (also `a: int`).
    pub fn parse_schema(&mut self) -> ParseResult<DataType> {
        let mut fields = Vec::new();
        if matches!(self.peek(), Tok::Eof) {
            return Ok(DataType::Struct(fields));
        }
        loop {
            let name = self.parse_identifier_or_keyword()?;
            self.eat_sym(":");
            let t = self.parse_data_type()?;
            let nullable = !self.eat_words(&["not", "null"]);
            let mut f = StructField::new(name, t, nullable);
            if self.eat_word("comment") {
                if let Tok::Str(c) = self.advance() {
                    f.metadata = Some(format!("{{\"comment\":{}}}", json_string(&c)));
                }
            }
            fields.push(f);
            if !self.eat_sym(",") {
                break;
            }
        }
        Ok(DataType::Struct(fields))
    }
}

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use crate::{parse_data_type, parse_schema};
    use spark_plan::DataType;

    #[test]
    fn types() {
        let t = parse_data_type("array<map<string,array<int>>>").unwrap_or(DataType::Null);
        assert_eq!(t.simple_string(), "array<map<string,array<int>>>");
        let s = parse_schema("a int, b struct<x: bigint, y string> not null").unwrap_or(DataType::Null);
        assert_eq!(s.simple_string(), "struct<a:int,b:struct<x:bigint,y:string>>");
        let s = parse_data_type("a int, b string").unwrap_or(DataType::Null);
        assert_eq!(s.simple_string(), "struct<a:int,b:string>");
        let glued = parse_schema("s struct<a:int,b:string>").unwrap_or(DataType::Null);
        assert_eq!(glued.simple_string(), "struct<s:struct<a:int,b:string>>");
        assert_eq!(
            parse_data_type("interval day to second").ok(),
            Some(DataType::DayTimeInterval { start: 0, end: 3 })
        );
    }
}
