#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ezla_sim::fuzzing::sim_request(data));
