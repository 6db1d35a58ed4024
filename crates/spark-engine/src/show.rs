//! `df.show()`: Spark's `Dataset.showString` text, cell by cell as Spark's
//! `ToPrettyString` prints values.

use datafusion::arrow::array::{ArrayRef, RecordBatch};
use spark_functions::value_text::{TextStyle, value_text};

/// Formats one cell as Spark's `ToPrettyString` does; `tz` is the session
/// time zone.
pub fn format_cell(array: &ArrayRef, row: usize, tz: &str) -> String {
    value_text(array.as_ref(), row, tz, TextStyle::Show)
}

/// An ANSI interval with the fields its column's type names
/// (`INTERVAL '03' HOUR`); None for other columns and NULLs.
fn interval_cell(array: &ArrayRef, spark_type: Option<&spark_plan::DataType>, row: usize) -> Option<String> {
    use datafusion::arrow::array::AsArray;
    use datafusion::arrow::datatypes::{DurationMicrosecondType, IntervalYearMonthType};
    if array.is_null(row) {
        return None;
    }
    match spark_type? {
        spark_plan::DataType::DayTimeInterval { start, end } => {
            let micros = array.as_primitive_opt::<DurationMicrosecondType>()?.value(row);
            Some(spark_functions::interval_text::day_time_text(micros, *start, *end))
        }
        spark_plan::DataType::YearMonthInterval { start, end } => {
            let months = array.as_primitive_opt::<IntervalYearMonthType>()?.value(row);
            Some(spark_functions::interval_text::year_month_text(i64::from(months), *start, *end))
        }
        _ => None,
    }
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
pub fn show_string(names: &[String], types: &[spark_plan::DataType], batches: &[RecordBatch], num_rows: usize, truncate: usize, vertical: bool, tz: &str) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    'outer: for b in batches {
        for r in 0..b.num_rows() {
            if rows.len() > num_rows {
                break 'outer;
            }
            let cells = b.columns().iter().enumerate().map(|(i, c)| {
                let text = interval_cell(c, types.get(i), r).unwrap_or_else(|| format_cell(c, r, tz));
                truncate_cell(escape_meta(&text), truncate)
            });
            rows.push(cells.collect());
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
    use datafusion::arrow::datatypes::{DataType as ArrowType, Field, Schema};

    use super::*;

    #[test]
    fn simple_table() {
        let schema = Arc::new(Schema::new(vec![Field::new("id", ArrowType::Int64, false), Field::new("name", ArrowType::Utf8, true)]));
        let b = RecordBatch::try_new(
            schema,
            vec![Arc::new(Int64Array::from(vec![1, 2])), Arc::new(StringArray::from(vec![Some("a"), None]))],
        )
        .unwrap_or_else(|_| RecordBatch::new_empty(Arc::new(Schema::empty())));
        let s = show_string(&["id".into(), "name".into()], &[], &[b], 20, 20, false, "UTC");
        assert_eq!(s, "+---+----+\n| id|name|\n+---+----+\n|  1|   a|\n|  2|NULL|\n+---+----+\n");
        assert_eq!(truncate_cell("abcdefghij".into(), 5), "ab...");
    }
}
