//! `sentences(text[, language, country])`: the text split into sentences
//! and each into words, as Java's sentence and word `BreakIterator`s split
//! them for Spark (the locale does not change the rules here): a sentence
//! ends after `!`, `?` or `。`, after a line break, and after `.` unless a
//! lowercase word follows; words are runs of letters and digits (also `_`),
//! joined across one `'`, `.`, `-` or `,` between them (`don't`, `e.g`,
//! `x-ray`, `1,000`), split where the script changes between Han, Hiragana
//! and Katakana; what does not start with a letter or digit is dropped.

use std::sync::Arc;

use datafusion::arrow::array::{Array, ListBuilder, StringBuilder};
use datafusion::arrow::datatypes::{DataType, Field};
use datafusion::common::Result;
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

use crate::{arg_arrays, bytes_at, columnar};

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '。' | '！' | '？')
}

fn is_closing(c: char) -> bool {
    matches!(c, '"' | '\'' | ')' | ']' | '}' | '»' | '”' | '’')
}

/// The sentences of `text`, as character ranges.
pub fn split_sentences(text: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let (mut start, mut i) = (0usize, 0usize);
    while i < chars.len() {
        let (_, c) = chars[i];
        let mut end = None;
        if c == '\n' || c == '\r' || c == '\u{2029}' {
            end = Some(i + 1);
        } else if is_terminator(c) {
            let mut j = i + 1;
            while j < chars.len() && (is_terminator(chars[j].1) || is_closing(chars[j].1)) {
                j += 1;
            }
            let mut k = j;
            while k < chars.len() && chars[k].1.is_whitespace() && chars[k].1 != '\n' {
                k += 1;
            }
            let wide = matches!(c, '。' | '！' | '？');
            let at_end = k == chars.len();
            if wide || (k > j) || at_end {
                let lowercase_next = chars.get(k).is_some_and(|(_, n)| n.is_lowercase());
                if !(c == '.' && lowercase_next) && (k > j || wide || at_end) {
                    end = Some(k);
                }
            }
            if end.is_none() {
                i = j.max(i + 1);
                continue;
            }
        }
        if let Some(e) = end {
            let byte_end = chars.get(e).map_or(text.len(), |(b, _)| *b);
            out.push(&text[chars[start].0.min(text.len())..byte_end]);
            start = e;
            i = e;
        } else {
            i += 1;
        }
    }
    if start < chars.len() {
        out.push(&text[chars[start].0..]);
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Script {
    Han,
    Hiragana,
    Katakana,
    Other,
}

fn script(c: char) -> Script {
    match c as u32 {
        0x3040..=0x309F => Script::Hiragana,
        0x30A0..=0x30FF | 0x31F0..=0x31FF => Script::Katakana,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF => Script::Han,
        _ => Script::Other,
    }
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The words of a sentence.
pub fn split_words(sentence: &str) -> Vec<String> {
    let chars: Vec<char> = sentence.chars().collect();
    let mut words = Vec::new();
    let mut current = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if is_word_char(c) {
            let continues = current.chars().last().is_none_or(|p| script(p) == script(c));
            if !continues {
                words.push(std::mem::take(&mut current));
            }
            current.push(c);
        } else {
            let prev = current.chars().last();
            let next = chars.get(i + 1).copied();
            let joins = match (prev, next) {
                (Some(p), Some(n)) if is_word_char(p) && is_word_char(n) => match c {
                    '\'' | '.' | '’' => true,
                    '-' => p.is_alphanumeric() && n.is_alphanumeric(),
                    ',' => p.is_ascii_digit() && n.is_ascii_digit(),
                    _ => false,
                },
                _ => false,
            };
            if joins {
                current.push(c);
            } else if !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
        }
        i += 1;
    }
    if !current.is_empty() {
        words.push(current);
    }
    words.into_iter().filter(|w| w.chars().next().is_some_and(char::is_alphanumeric)).collect()
}

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct SparkSentences {
    signature: Signature,
}

impl SparkSentences {
    pub fn udf() -> Arc<ScalarUDF> {
        Arc::new(ScalarUDF::new_from_impl(Self { signature: Signature::variadic_any(Volatility::Immutable) }))
    }
}

fn result_type() -> DataType {
    DataType::List(Arc::new(Field::new("item", DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))), true)))
}

impl ScalarUDFImpl for SparkSentences {
    fn name(&self) -> &str {
        "sentences"
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(result_type())
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let (arrays, scalar) = arg_arrays(&args)?;
        let mut out = ListBuilder::new(ListBuilder::new(StringBuilder::new()));
        for i in 0..args.number_rows {
            let Some(text) = bytes_at(arrays[0].as_ref(), i) else {
                out.append(false);
                continue;
            };
            let text = String::from_utf8_lossy(text);
            for sentence in split_sentences(&text) {
                for w in split_words(sentence) {
                    out.values().values().append_value(w);
                }
                out.values().append(true);
            }
            out.append(true);
        }
        let array = out.finish();
        debug_assert_eq!(array.len(), args.number_rows);
        columnar(Arc::new(array), scalar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<Vec<String>> {
        split_sentences(text).into_iter().map(split_words).collect()
    }

    #[test]
    fn like_spark() {
        assert_eq!(sentences("Hi there! Good morning."), vec![vec!["Hi", "there"], vec!["Good", "morning"]]);
        assert_eq!(sentences("Mr. Smith went to Washington. He said: hi"), vec![vec!["Mr"], vec!["Smith", "went", "to", "Washington"], vec!["He", "said", "hi"]]);
        assert_eq!(sentences("one two  three...four"), vec![vec!["one", "two", "three", "four"]]);
        assert_eq!(
            sentences("see e.g. this one. and lower next! Really? yes"),
            vec![vec!["see", "e.g", "this", "one", "and", "lower", "next"], vec!["Really"], vec!["yes"]]
        );
        assert_eq!(
            sentences("x-ray -dash- a_b c#d 1,000 1.5.6 don't 'quoted' über straße 日本語です。次の文"),
            vec![
                vec!["x-ray", "dash", "a_b", "c", "d", "1,000", "1.5.6", "don't", "quoted", "über", "straße", "日本語", "です"],
                vec!["次", "の", "文"]
            ]
        );
        assert!(sentences("").is_empty());
        assert_eq!(sentences("   "), vec![Vec::<String>::new()]);
        assert_eq!(sentences("!!!"), vec![Vec::<String>::new()]);
    }
}
