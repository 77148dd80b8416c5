//! SCTBench's `bluetooth_driver`: a stop flag checked apart from the pending-I/O count.

use crate::define_model;
use crate::harness::{Expect, Model};
use crate::lock::{join_all, spawn_n};
use threadcheck::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use threadcheck::sync::Arc;
use threadcheck::{Event, Lock};

/// The bluetooth driver models: the bug and its twin.
pub const ALL: &[&Model] = &[&BLUETOOTH_DRIVER, &BLUETOOTH_DRIVER_FIXED];

/// The device: a count of I/O in flight (1 for the device itself), a stopping flag, the
/// event the last I/O sets, and whether the driver has stopped.
struct Device {
    lock: Lock,
    pending_io: AtomicUsize,
    stopping: AtomicBool,
    stopping_event: Event,
    stopped: AtomicBool,
}

impl Device {
    fn new() -> Self {
        Device {
            lock: Lock::named("pending_io"),
            pending_io: AtomicUsize::new(1),
            stopping: AtomicBool::new(false),
            stopping_event: Event::named("stopping_event"),
            stopped: AtomicBool::new(false),
        }
    }

    /// One I/O leaves: the last one out wakes the stopper.
    fn io_decrement(&self) {
        let left = {
            let _g = self.lock.acquire();
            let n = self.pending_io.load(Ordering::SeqCst) - 1;
            self.pending_io.store(n, Ordering::SeqCst);
            n
        };
        if left == 0 {
            self.stopping_event.set();
        }
    }

    /// The buggy entry: checks the flag, then counts itself in, in two steps.
    fn io_increment_racy(&self) -> bool {
        if self.stopping.load(Ordering::SeqCst) {
            return false;
        }
        // <- the stopper can set the flag and see the count reach 0 here.
        let _g = self.lock.acquire();
        let n = self.pending_io.load(Ordering::SeqCst);
        self.pending_io.store(n + 1, Ordering::SeqCst);
        true
    }

    /// The fixed entry: flag and count under one lock (the stopper sets the flag under it).
    fn io_increment_locked(&self) -> bool {
        let _g = self.lock.acquire();
        if self.stopping.load(Ordering::SeqCst) {
            return false;
        }
        let n = self.pending_io.load(Ordering::SeqCst);
        self.pending_io.store(n + 1, Ordering::SeqCst);
        true
    }

    fn dispatch(&self, increment: fn(&Device) -> bool) {
        if increment(self) {
            assert!(
                !self.stopped.load(Ordering::SeqCst),
                "bluetooth driver: I/O runs on a stopped device"
            );
            self.io_decrement();
        }
    }

    fn stop(&self, locked: bool) {
        if locked {
            let _g = self.lock.acquire();
            self.stopping.store(true, Ordering::SeqCst);
        } else {
            self.stopping.store(true, Ordering::SeqCst);
        }
        self.io_decrement();
        self.stopping_event.wait();
        self.stopped.store(true, Ordering::SeqCst);
    }
}

fn driver(n: usize, locked: bool) {
    let dev = Arc::new(Device::new());
    let d = dev.clone();
    let inc = if locked {
        Device::io_increment_locked
    } else {
        Device::io_increment_racy
    };
    let adders = spawn_n(n, move |_| d.dispatch(inc));
    dev.stop(locked);
    join_all(adders);
}

define_model! {
    /// After SCTBench's `bluetooth_driver` (Qadeer and Wu's model of a Windows Bluetooth
    /// driver). An I/O thread enters with `if not dev.stopping: dev.pending_io += 1` (the
    /// count under a lock, the flag check before it), works, and leaves by decrementing; the
    /// last one out sets `stopping_event`. The stopper sets `stopping`, drops the device's
    /// own count, waits for the event and marks the driver stopped. If the I/O thread is
    /// preempted between its check and its increment, the stopper sees the count reach 0 and
    /// stops the device under the I/O: Panic("bluetooth driver"). One I/O thread and the
    /// stopper (the main thread), as in SCTBench.
    pub BLUETOOTH_DRIVER = "bugs/bluetooth_driver" {
        about: "stop flag checked apart from the pending-I/O count: I/O runs on a stopped device",
        expect: Expect::Panic("bluetooth driver"),
        loom: [1],
        shuttle: 1,
        real: None,
        preemptions: None,
        run: bluetooth_driver,
    }
}

fn bluetooth_driver(n: usize) {
    driver(n, false);
}

define_model! {
    /// `bugs/bluetooth_driver` fixed: the I/O thread checks the flag and counts itself in
    /// under the same lock the stopper sets the flag under, so either it is counted before
    /// the stop (and the stopper waits for it) or it sees the flag and backs off: Pass.
    pub BLUETOOTH_DRIVER_FIXED = "bugs/bluetooth_driver_fixed" {
        about: "stop flag and pending-I/O count under one lock: no I/O after the stop",
        expect: Expect::Pass,
        loom: [1, 2],
        shuttle: 2,
        real: Some(2),
        preemptions: None,
        run: bluetooth_driver_fixed,
    }
}

fn bluetooth_driver_fixed(n: usize) {
    driver(n, true);
}
