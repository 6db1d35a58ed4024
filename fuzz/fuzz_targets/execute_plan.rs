//! Arbitrary bytes as an ExecutePlan request: protobuf decoding, conversion
//! to the plan IR and resolution must never panic, hang or overflow.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    spark_connect_server::fuzzing::execute_plan_bytes(data);
});
