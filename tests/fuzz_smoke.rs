//! The short fuzz pass CI runs: the seed corpus of `fuzz/` and random
//! mutations of it through the same entry points as the cargo-fuzz targets,
//! for a fixed budget. Any panic fails the test; an input that takes more
//! than ten seconds is reported as a hang.

use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Total time per target (set FUZZ_SMOKE_SECONDS to change it).
fn budget() -> Duration {
    Duration::from_secs(std::env::var("FUZZ_SMOKE_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(15))
}

/// xorshift64*: reproducible mutations from a fixed seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// A random edit of `input`: flip, insert, delete, duplicate or splice.
fn mutate(rng: &mut Rng, input: &[u8], other: &[u8], interesting: &[&[u8]]) -> Vec<u8> {
    let mut out = input.to_vec();
    for _ in 0..=rng.below(4) {
        let at = rng.below(out.len() + 1);
        match rng.below(6) {
            0 if !out.is_empty() => {
                let i = rng.below(out.len());
                out[i] ^= 1 << rng.below(8);
            }
            1 => out.insert(at.min(out.len()), rng.next() as u8),
            2 if !out.is_empty() => {
                let end = (at + rng.below(8)).min(out.len());
                out.drain(at.min(end)..end);
            }
            3 if !out.is_empty() => {
                let start = rng.below(out.len());
                let end = (start + rng.below(32)).min(out.len());
                let chunk = out[start..end].to_vec();
                let pos = at.min(out.len());
                out.splice(pos..pos, chunk);
            }
            4 if !other.is_empty() => {
                let start = rng.below(other.len());
                let end = (start + rng.below(64)).min(other.len());
                let pos = at.min(out.len());
                out.splice(pos..pos, other[start..end].iter().copied());
            }
            _ => {
                let word = interesting[rng.below(interesting.len())];
                let pos = at.min(out.len());
                out.splice(pos..pos, word.iter().copied());
            }
        }
    }
    out
}

/// Runs `work` with a time limit; a panic fails the test with the input.
fn run_one(work: fn(&[u8]), input: Vec<u8>) {
    let (tx, rx) = mpsc::channel();
    let shown = String::from_utf8_lossy(&input).chars().take(200).collect::<String>();
    std::thread::spawn(move || {
        let outcome = std::panic::catch_unwind(|| work(&input));
        let _ = tx.send(outcome.is_ok());
    });
    match rx.recv_timeout(Duration::from_secs(10)) {
        Ok(true) => {}
        Ok(false) => panic!("the input panicked: {shown:?}"),
        Err(_) => panic!("the input took more than 10 s: {shown:?}"),
    }
}

fn fuzz(seeds: Vec<Vec<u8>>, interesting: &[&[u8]], work: fn(&[u8])) -> usize {
    let mut rng = Rng(0x5EED_1234_ABCD_0001);
    for s in &seeds {
        run_one(work, s.clone());
    }
    let started = Instant::now();
    let mut runs = seeds.len();
    while started.elapsed() < budget() && !seeds.is_empty() {
        let a = &seeds[rng.below(seeds.len())];
        let b = &seeds[rng.below(seeds.len())];
        run_one(work, mutate(&mut rng, a, b, interesting));
        runs += 1;
    }
    runs
}

fn corpus() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus").leak()
}

#[test]
fn sql_parser_and_resolver_survive_mutations() {
    let seeds: Vec<Vec<u8>> = std::fs::read_to_string(corpus().join("sql/seeds.sql"))
        .unwrap_or_default()
        .lines()
        .map(|l| l.as_bytes().to_vec())
        .collect();
    assert!(seeds.len() > 50);
    let words: &[&[u8]] = &[b"(", b")", b"SELECT ", b" FROM ", b"'", b"`", b",", b" OVER (", b"CASE WHEN ", b" AS ", b"*", b"-", b"\\", b"1e309", b"9223372036854775808", b"INTERVAL '", b"x'", b" WITHIN GROUP (ORDER BY 1)"];
    let runs = fuzz(seeds, words, |d| spark_connect_server::fuzzing::sql_text(&String::from_utf8_lossy(d)));
    eprintln!("{runs} SQL inputs");
}

#[test]
fn plan_decoding_conversion_and_resolution_survive_mutations() {
    let mut seeds = Vec::new();
    for entry in std::fs::read_dir(corpus().join("plan")).into_iter().flatten().flatten() {
        if entry.path().extension().is_some_and(|e| e == "bin") {
            seeds.push(std::fs::read(entry.path()).unwrap_or_default());
        }
    }
    assert!(seeds.len() >= 5);
    let words: &[&[u8]] = &[b"\x0a\x00", b"\x12\x02", b"\xff\xff\xff\xff\x0f", b"\x1a\x05\x0a\x03abc", b"\x00"];
    let runs = fuzz(seeds, words, spark_connect_server::fuzzing::execute_plan_bytes);
    eprintln!("{runs} plan inputs");
}
