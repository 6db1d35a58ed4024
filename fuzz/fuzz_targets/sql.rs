//! Arbitrary text as SQL: parsing and resolution must never panic, hang or
//! overflow.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        spark_connect_server::fuzzing::sql_text(text);
    }
});
