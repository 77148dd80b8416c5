//! Spawning model threads.
//!
//! Models spawn through `threadcheck::thread::spawn` rather than std's, loom's or shuttle's
//! `thread::spawn`: it picks the build's backend, and in the model builds it lets the
//! model clock know how many threads are alive (time may only pass on its own when every
//! one of them is blocked).

use crate::rt;

/// An owned permission to join a spawned thread.
#[derive(Debug)]
pub struct JoinHandle<T>(rt::thread::JoinHandle<T>, u64);

impl<T> JoinHandle<T> {
    /// Waits for the thread to finish; `Err` carries its panic payload.
    pub fn join(self) -> std::thread::Result<T> {
        // The model clock counts a joining thread as blocked until the child exits.
        crate::clock::joining(self.1);
        rt::thread::join(self.0)
    }
}

/// Thread factory, for naming threads (`Thread-1`, as Python's `threading` does).
///
/// # Examples
/// ```
/// let h = threadcheck::thread::Builder::new().name("Thread-1").spawn(|| 7);
/// assert_eq!(h.join().unwrap(), 7);
/// ```
#[derive(Debug, Default)]
pub struct Builder {
    name: Option<String>,
}

impl Builder {
    /// A builder with no name set.
    pub fn new() -> Self {
        Builder::default()
    }

    /// Names the thread; the name appears in counterexamples.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Spawns the thread.
    pub fn spawn<F, T>(self, f: F) -> JoinHandle<T>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        // The parent registers with the event trace before its child can.
        crate::trace::touch();
        let token = crate::clock::thread_spawning();
        let h = rt::thread::spawn(self.name, move || {
            struct Exit(u64);
            impl Drop for Exit {
                fn drop(&mut self) {
                    crate::clock::thread_exiting(self.0);
                }
            }
            let _exit = Exit(token);
            crate::check::thread_body(None, f)
        });
        JoinHandle(h, token)
    }
}

/// Spawns a thread on the build's backend (std, loom or shuttle).
///
/// # Examples
/// ```
/// let h = threadcheck::thread::spawn(|| 1 + 1);
/// assert_eq!(h.join().unwrap(), 2);
/// ```
pub fn spawn<F, T>(f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    Builder::new().spawn(f)
}

/// Yields to the scheduler (a scheduling point under loom and shuttle).
pub fn yield_now() {
    rt::thread::yield_now()
}
