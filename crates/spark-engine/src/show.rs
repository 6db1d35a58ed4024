//! `df.show()`: Spark's `Dataset.showString` text, cell by cell as Spark's
//! `ToPrettyString` prints values.

use chrono::{DateTime, NaiveDate};
use datafusion::arrow::array::{
    Array, ArrayRef, BinaryArray, BooleanArray, Date32Array, Decimal128Array,
    DurationMicrosecondArray, Float32Array, Float64Array, GenericListArray, Int8Array, Int16Array,
    Int32Array, Int64Array, LargeBinaryArray, MapArray, RecordBatch, StringArray, StructArray,
    TimestampMicrosecondArray,
};
use datafusion::arrow::datatypes::{DataType as ArrowType, TimeUnit};
use spark_plan::format::{java_double, java_float};

/// Formats one cell; `tz` is the session time zone.
pub fn format_cell(array: &ArrayRef, row: usize, tz: &str) -> String {
    format_value(array.as_ref(), row, tz, false)
}

fn format_value(a: &dyn Array, row: usize, tz: &str, nested: bool) -> String {
    if a.is_null(row) {
        return "NULL".into();
    }
    let _ = nested;
    match a.data_type() {
        ArrowType::Boolean => a.as_any().downcast_ref::<BooleanArray>().map(|x| x.value(row).to_string()),
        ArrowType::Int8 => a.as_any().downcast_ref::<Int8Array>().map(|x| x.value(row).to_string()),
        ArrowType::Int16 => a.as_any().downcast_ref::<Int16Array>().map(|x| x.value(row).to_string()),
        ArrowType::Int32 => a.as_any().downcast_ref::<Int32Array>().map(|x| x.value(row).to_string()),
        ArrowType::Int64 => a.as_any().downcast_ref::<Int64Array>().map(|x| x.value(row).to_string()),
        ArrowType::Float32 => a.as_any().downcast_ref::<Float32Array>().map(|x| java_float(x.value(row))),
        ArrowType::Float64 => a.as_any().downcast_ref::<Float64Array>().map(|x| java_double(x.value(row))),
        ArrowType::Decimal128(_, _) => a.as_any().downcast_ref::<Decimal128Array>().map(|x| x.value_as_string(row)),
        ArrowType::Utf8 => a.as_any().downcast_ref::<StringArray>().map(|x| x.value(row).to_string()),
        ArrowType::Binary => a.as_any().downcast_ref::<BinaryArray>().map(|x| hex_bytes(x.value(row))),
        ArrowType::LargeBinary => a.as_any().downcast_ref::<LargeBinaryArray>().map(|x| hex_bytes(x.value(row))),
        ArrowType::Date32 => a.as_any().downcast_ref::<Date32Array>().map(|x| format_date(x.value(row))),
        ArrowType::Timestamp(TimeUnit::Microsecond, zone) => a
            .as_any()
            .downcast_ref::<TimestampMicrosecondArray>()
            .map(|x| format_timestamp(x.value(row), zone.as_ref().map(|_| tz))),
        ArrowType::Duration(TimeUnit::Microsecond) => a
            .as_any()
            .downcast_ref::<DurationMicrosecondArray>()
            .map(|x| format_day_time_interval(x.value(row))),
        ArrowType::List(_) => a.as_any().downcast_ref::<GenericListArray<i32>>().map(|x| {
            let v = x.value(row);
            let items: Vec<String> = (0..v.len()).map(|i| format_value(v.as_ref(), i, tz, true)).collect();
            format!("[{}]", items.join(", "))
        }),
        ArrowType::Map(_, _) => a.as_any().downcast_ref::<MapArray>().map(|m| {
            let entries = m.value(row);
            let keys = entries.column(0);
            let values = entries.column(1);
            let items: Vec<String> = (0..entries.len())
                .map(|i| format!("{} -> {}", format_value(keys.as_ref(), i, tz, true), format_value(values.as_ref(), i, tz, true)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }),
        ArrowType::Struct(_) => a.as_any().downcast_ref::<StructArray>().map(|s| {
            let items: Vec<String> = s.columns().iter().map(|c| format_value(c.as_ref(), row, tz, true)).collect();
            format!("{{{}}}", items.join(", "))
        }),
        ArrowType::Null => Some("NULL".into()),
        _ => None,
    }
    .unwrap_or_else(|| {
        datafusion::arrow::util::display::array_value_to_string(&a.slice(row, 1), 0).unwrap_or_default()
    })
}

fn hex_bytes(b: &[u8]) -> String {
    format!("[{}]", b.iter().map(|x| format!("{x:02X}")).collect::<Vec<_>>().join(" "))
}

fn format_date(days: i32) -> String {
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|e| e.checked_add_signed(chrono::Duration::days(days as i64)))
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| days.to_string())
}

fn format_timestamp(us: i64, tz: Option<&str>) -> String {
    let secs = us.div_euclid(1_000_000);
    let micros = us.rem_euclid(1_000_000) as u32;
    let Some(utc) = DateTime::from_timestamp(secs, micros * 1000) else { return us.to_string() };
    let naive = match tz.and_then(|t| t.parse::<chrono_tz::Tz>().ok()) {
        Some(z) => utc.with_timezone(&z).naive_local(),
        None => utc.naive_utc(),
    };
    let base = naive.format("%Y-%m-%d %H:%M:%S").to_string();
    if micros == 0 {
        base
    } else {
        format!("{base}.{}", format!("{micros:06}").trim_end_matches('0'))
    }
}

/// Spark prints day-time intervals as `INTERVAL 'd hh:mm:ss[.f]' DAY TO SECOND`.
fn format_day_time_interval(us: i64) -> String {
    let sign = if us < 0 { "-" } else { "" };
    let a = us.unsigned_abs();
    let days = a / 86_400_000_000;
    let rem = a % 86_400_000_000;
    let h = rem / 3_600_000_000;
    let m = (rem / 60_000_000) % 60;
    let s = (rem / 1_000_000) % 60;
    let f = rem % 1_000_000;
    let frac = if f == 0 { String::new() } else { format!(".{}", format!("{f:06}").trim_end_matches('0')) };
    format!("INTERVAL '{sign}{days} {h:02}:{m:02}:{s:02}{frac}' DAY TO SECOND")
}

/// Spark's `SchemaUtils.escapeMetaCharacters`.
fn escape_meta(s: &str) -> String {
    s.replace('\n', "\\n")
        .replace('\r', "\\r")
        .replace('\t', "\\t")
        .replace('\u{c}', "\\f")
        .replace('\u{8}', "\\b")
        .replace('\u{b}', "\\v")
        .replace('\u{7}', "\\a")
}

/// Display width: East Asian wide and full-width characters count twice
/// (Spark's `Utils.stringHalfWidth`).
fn half_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let u = c as u32;
            let wide = matches!(u,
                0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF |
                0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x2FFFD | 0x30000..=0x3FFFD);
            if wide { 2 } else { 1 }
        })
        .sum()
}

fn truncate_cell(s: String, truncate: usize) -> String {
    if truncate > 0 && s.chars().count() > truncate {
        let keep = if truncate < 4 { truncate } else { truncate - 3 };
        let head: String = s.chars().take(keep).collect();
        if truncate < 4 { head } else { format!("{head}...") }
    } else {
        s
    }
}

fn pad(cell: &str, width: usize, left: bool) -> String {
    let fill = width.saturating_sub(half_width(cell));
    if left {
        format!("{}{}", " ".repeat(fill), cell)
    } else {
        format!("{}{}", cell, " ".repeat(fill))
    }
}

/// Spark's `showString(numRows, truncate, vertical)` over at most
/// `num_rows + 1` fetched rows (the extra one tells whether there is more).
pub fn show_string(names: &[String], batches: &[RecordBatch], num_rows: usize, truncate: usize, vertical: bool, tz: &str) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    'outer: for b in batches {
        for r in 0..b.num_rows() {
            if rows.len() > num_rows {
                break 'outer;
            }
            rows.push(b.columns().iter().map(|c| truncate_cell(escape_meta(&format_cell(c, r, tz)), truncate)).collect());
        }
    }
    let has_more = rows.len() > num_rows;
    rows.truncate(num_rows);
    let header: Vec<String> = names.iter().map(|n| escape_meta(n)).collect();
    let mut sb = String::new();
    let min_width = 3;
    if !vertical {
        let mut widths: Vec<usize> = header.iter().map(|h| half_width(h).max(min_width)).collect();
        for row in &rows {
            for (i, c) in row.iter().enumerate() {
                widths[i] = widths[i].max(half_width(c));
            }
        }
        let sep: String = format!("+{}+\n", widths.iter().map(|w| "-".repeat(*w)).collect::<Vec<_>>().join("+"));
        let line = |cells: &[String]| -> String {
            let padded: Vec<String> = cells.iter().zip(&widths).map(|(c, w)| pad(c, *w, truncate > 0)).collect();
            format!("|{}|\n", padded.join("|"))
        };
        sb.push_str(&sep);
        sb.push_str(&line(&header));
        sb.push_str(&sep);
        for row in &rows {
            sb.push_str(&line(row));
        }
        sb.push_str(&sep);
    } else {
        let name_width = header.iter().map(|h| half_width(h)).fold(min_width, usize::max);
        let data_width = rows.iter().flat_map(|r| r.iter().map(|c| half_width(c))).fold(min_width, usize::max);
        for (i, row) in rows.iter().enumerate() {
            let head = format!("-RECORD {i}");
            let total = name_width + data_width + 5;
            let dashes = total.saturating_sub(head.chars().count());
            sb.push_str(&head);
            sb.push_str(&"-".repeat(dashes));
            sb.push('\n');
            for (j, cell) in row.iter().enumerate() {
                sb.push_str(&format!(" {} | {} \n", pad(&header[j], name_width, false), pad(cell, data_width, false)));
            }
        }
    }
    if vertical && rows.is_empty() {
        sb.push_str("(0 rows)\n");
    } else if has_more {
        let word = if num_rows == 1 { "row" } else { "rows" };
        sb.push_str(&format!("only showing top {num_rows} {word}"));
    }
    sb
}

/// Spark's `htmlString` for notebooks (`_repr_html_`).
pub fn html_string(names: &[String], batches: &[RecordBatch], num_rows: usize, truncate: usize, tz: &str) -> String {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let mut rows: Vec<Vec<String>> = Vec::new();
    for b in batches {
        for r in 0..b.num_rows() {
            rows.push(b.columns().iter().map(|c| truncate_cell(format_cell(c, r, tz), truncate)).collect());
        }
    }
    let has_more = rows.len() > num_rows;
    rows.truncate(num_rows);
    let mut sb = String::from("<table border='1'>\n");
    sb.push_str(&format!("<tr><th>{}</th></tr>\n", names.iter().map(|n| esc(n)).collect::<Vec<_>>().join("</th><th>")));
    for row in rows {
        sb.push_str(&format!("<tr><td>{}</td></tr>\n", row.iter().map(|c| esc(c)).collect::<Vec<_>>().join("</td><td>")));
    }
    sb.push_str("</table>\n");
    if has_more {
        let word = if num_rows == 1 { "row" } else { "rows" };
        sb.push_str(&format!("only showing top {num_rows} {word}\n"));
    }
    sb
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use datafusion::arrow::array::{Int64Array, StringArray};
    use datafusion::arrow::datatypes::{Field, Schema};

    use super::*;

    #[test]
    fn simple_table() {
        let schema = Arc::new(Schema::new(vec![Field::new("id", ArrowType::Int64, false), Field::new("name", ArrowType::Utf8, true)]));
        let b = RecordBatch::try_new(
            schema,
            vec![Arc::new(Int64Array::from(vec![1, 2])), Arc::new(StringArray::from(vec![Some("a"), None]))],
        )
        .unwrap_or_else(|_| RecordBatch::new_empty(Arc::new(Schema::empty())));
        let s = show_string(&["id".into(), "name".into()], &[b], 20, 20, false, "UTC");
        assert_eq!(s, "+---+----+\n| id|name|\n+---+----+\n|  1|   a|\n|  2|NULL|\n+---+----+\n");
        assert_eq!(truncate_cell("abcdefghij".into(), 5), "ab...");
        assert_eq!(format_day_time_interval(90_061_000_000), "INTERVAL '1 01:01:01' DAY TO SECOND");
    }
}
