//! The process's own main thread is `threadcheck::thread::main_thread()`, named `MainThread`
//! (Python's `threading.main_thread()`). libtest runs tests on threads of its own, so this
//! binary has no harness: its `main` is std's `main` thread. (Mutant killed: "is this std's
//! main thread?" answered false, which made the process's main thread a dummy.) Production
//! only: in the model builds each execution's main thread is the checker's.

fn main() {
    if threadcheck::backend() != "production" {
        println!(
            "process_main_thread: production only, skipped in {}",
            threadcheck::backend()
        );
        return;
    }
    let me = threadcheck::thread::current();
    assert_eq!(me, threadcheck::thread::main_thread());
    assert_eq!(me.name(), "MainThread");
    let other = std::thread::spawn(threadcheck::thread::current)
        .join()
        .unwrap();
    assert_ne!(
        other,
        threadcheck::thread::main_thread(),
        "another std thread is a dummy"
    );
    println!("process_main_thread: ok");
}
