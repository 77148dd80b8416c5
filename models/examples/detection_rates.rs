//! How quickly shuttle's schedulers find the tutorial's two-lock deadlock: over 1000 seeds,
//! how many find it within 1, 10, 100 and 1000 iterations, for each scheduler column of
//! `threadcheck stats`: random, PCT d=1..3 and DFS with lock-order checking off (the
//! schedulers alone), then `lock-order` (one iteration per seed, lock-order checking on), at
//! any thread count. `threadcheck stats` measures the same for every bug model at its own
//! size; this example picks the size.
//!
//! ```sh
//! cargo run -p threadcheck-corpus --release --features shuttle --example detection_rates [SEEDS] [THREADS]
//! ```
use std::time::Instant;
use threadcheck_corpus::harness::{run_with, Model, Threads};
use threadcheck_corpus::lock::TWO_LOCK_DEADLOCK;
use threadcheck_corpus::stats::{self, Column, Finding, MARKS};

fn main() {
    if threadcheck::backend() != "shuttle" {
        eprintln!("run with --features shuttle");
        std::process::exit(2);
    }
    let mut args = std::env::args().skip(1);
    let seeds: u64 = args
        .next()
        .map(|s| s.parse().expect("SEEDS: a number"))
        .unwrap_or(1000);
    let threads: usize = args
        .next()
        .map(|s| s.parse().expect("THREADS: a number"))
        .unwrap_or(TWO_LOCK_DEADLOCK.threads.shuttle);
    // The model at the chosen size: stats runs shuttle's columns at `threads.shuttle`.
    let model: &'static Model = Box::leak(Box::new(Model {
        threads: Threads {
            shuttle: threads,
            ..TWO_LOCK_DEADLOCK.threads
        },
        ..TWO_LOCK_DEADLOCK
    }));
    println!("two_lock_deadlock, {threads} threads, {seeds} seeds: seeds that found the deadlock within N iterations");
    println!(
        "{:<10} {:>6} {:>6} {:>6} {:>6} {:>8} {:>9}",
        "scheduler", "<=1", "<=10", "<=100", "<=1000", "median", "seconds"
    );
    for column in Column::SCHEDULERS.into_iter().chain([Column::LockOrder]) {
        let start = Instant::now();
        let findings: Vec<Finding> = if column.seeded() {
            (0..seeds)
                .map(|seed| stats::run_seed(model, column, seed))
                .collect()
        } else {
            let c = column.checker(0).expect("a scheduler has a checker");
            let o = run_with(model, &c, threads, stats::builder(model, &c));
            vec![stats::finding(model, &o)]
        };
        let cell = stats::cell(model, column, &findings, start.elapsed().as_secs_f64());
        let median = cell.median.map_or_else(|| "-".into(), |m| m.to_string());
        print!("{:<10}", column.title());
        for (i, _) in MARKS.iter().enumerate() {
            print!(" {:>6}", cell.within[i]);
        }
        println!(" {median:>8} {:>9.1}", cell.seconds);
    }
}
