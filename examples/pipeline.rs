//! The tutorial's producer/consumer pipeline on real threads: a source, a `transform` stage and
//! a pool of sinks, connected by two bounded `Queue`s, joined with `task_done`/`join` and shut
//! down stage by stage. Its model, checked under loom and shuttle, is the corpus's
//! `tutorial/pipeline_every_item_once` (`models/src/tutorial.rs`).
//!
//! ```text
//! cargo run --example pipeline [ITEMS] [SINKS]
//! ```

use std::sync::Arc;
use threadcheck::thread::{self, Builder, JoinHandle};
use threadcheck::Queue;

fn main() {
    let mut args = std::env::args().skip(1);
    let items: u64 = args
        .next()
        .map_or(20, |a| a.parse().expect("ITEMS: a number"));
    let sinks: usize = args
        .next()
        .map_or(3, |a| a.parse().expect("SINKS: a number"));
    assert!(sinks > 0, "SINKS: at least one");

    // Small bounds, so each stage waits for its neighbours (back-pressure).
    let raw: Arc<Queue<u64>> = Arc::new(Queue::named("raw", 2));
    let squared: Arc<Queue<(u64, u64)>> = Arc::new(Queue::named("squared", 2));

    let transform = {
        let (raw, squared) = (raw.clone(), squared.clone());
        Builder::new().name("transform").spawn(move || {
            while let Ok(x) = raw.get() {
                squared
                    .put((x, x * x))
                    .expect("squared is shut down only by this stage");
                // Done after the hand-off: `raw.join()` then means "all passed on".
                raw.task_done().unwrap();
            }
            // End of stream, passed down the pipe.
            squared.shutdown(false);
        })
    };
    let sinks: Vec<JoinHandle<Vec<(u64, u64)>>> = (1..=sinks)
        .map(|i| {
            let squared = squared.clone();
            Builder::new().name(format!("sink-{i}")).spawn(move || {
                let mut got = Vec::new();
                while let Ok(pair) = squared.get() {
                    println!(
                        "{}: {} squared is {}",
                        thread::current().name(),
                        pair.0,
                        pair.1
                    );
                    got.push(pair);
                    squared.task_done().unwrap();
                }
                got
            })
        })
        .collect();

    for x in 1..=items {
        raw.put(x).unwrap();
    }
    raw.join(); // every item handed to `squared`
    squared.join(); // every item consumed
    raw.shutdown(false); // `transform` ends, and shuts `squared` down: the sinks end
    transform.join().unwrap();
    let mut all: Vec<(u64, u64)> = Vec::new();
    for s in sinks {
        all.extend(s.join().unwrap());
    }
    all.sort();
    let want: Vec<(u64, u64)> = (1..=items).map(|x| (x, x * x)).collect();
    assert_eq!(all, want, "an item was lost or consumed twice");
    assert_eq!(thread::active_count(), 1, "every stage has ended");
    println!("{items} items through 3 stages, each once; every stage ended");
}
