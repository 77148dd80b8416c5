//! How quickly shuttle's schedulers find the tutorial's two-lock deadlock: over 1000 seeds,
//! how many find it within 1, 10 and 100 iterations, for PCT (depth 2 and 3) and random, with
//! lock-order checking off (the schedulers alone) and on (the default).
//!
//! ```sh
//! cargo run -p threadcheck-corpus --release --features shuttle --example detection_rates [SEEDS] [THREADS]
//! ```
use threadcheck_corpus::harness::{run_with, Checker, Verdict};
use threadcheck_corpus::lock::TWO_LOCK_DEADLOCK;

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
    println!("two_lock_deadlock, {threads} threads, {seeds} seeds: seeds that found the deadlock within N iterations");
    println!(
        "{:<14} {:>10} {:>8} {:>8} {:>8} {:>10}",
        "scheduler", "lock order", "<=1", "<=10", "<=100", "seconds"
    );
    for lock_order in [false, true] {
        for (name, mk) in [
            (
                "pct depth 2",
                (|seed| Checker::Pct {
                    iterations: 100,
                    depth: 2,
                    seed: Some(seed),
                }) as fn(u64) -> Checker,
            ),
            ("pct depth 3", |seed| Checker::Pct {
                iterations: 100,
                depth: 3,
                seed: Some(seed),
            }),
            ("random", |seed| Checker::Random {
                iterations: 100,
                seed: Some(seed),
            }),
        ] {
            let start = std::time::Instant::now();
            let mut within = [0u64; 3];
            for seed in 0..seeds {
                let checker = mk(seed);
                let b = checker.builder(&TWO_LOCK_DEADLOCK).lock_order(lock_order);
                let o = run_with(&TWO_LOCK_DEADLOCK, &checker, threads, b);
                if let Verdict::Deadlock(_) = o.verdict {
                    for (i, limit) in [1, 10, 100].iter().enumerate() {
                        if o.executions <= *limit {
                            within[i] += 1;
                        }
                    }
                }
            }
            println!(
                "{:<14} {:>10} {:>8} {:>8} {:>8} {:>10.1}",
                name,
                if lock_order { "on" } else { "off" },
                within[0],
                within[1],
                within[2],
                start.elapsed().as_secs_f64()
            );
        }
    }
}
