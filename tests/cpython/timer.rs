//! `test_threading.py`: TimerTests; and the two-step `Timer(interval, f)` / `start()` /
//! `cancel()` / `is_alive()` behaviour of `threading.py`.

use super::*;
use std::sync::Arc;
use threadcheck::{Event, Timer, TimerError};

/// Issue 17435: a timer's arguments were shared mutable defaults. Here a timer's arguments
/// are its closure's captures, owned by it: two timers calling the same spy each see their
/// own (empty) arguments.
#[test]
fn timer_init_immutable_default_args() {
    check(|| {
        let callback_args = log();
        let event = Arc::new(Event::new());
        let spy = |args: Vec<&'static str>| {
            let (a, e) = (callback_args.clone(), event.clone());
            move || {
                a.push(args);
                e.set();
            }
        };
        let timer1 = Timer::new(ms(10), spy(Vec::new()));
        timer1.start().unwrap();
        event.wait();
        event.clear();
        let timer2 = Timer::new(ms(10), spy(Vec::new()));
        timer2.start().unwrap();
        event.wait();
        assert_eq!(callback_args.get(), vec![Vec::<&str>::new(); 2]);
        assert!(timer1.join() && timer2.join());
    });
}

/// `threading.py`: `cancel()` before `start()` means the function never runs, and starting
/// twice is an error.
#[test]
fn timer_cancel_before_start() {
    check(|| {
        let t = Timer::new(ms(1), || panic!("a cancelled timer fired"));
        assert!(!t.is_alive());
        assert!(t.cancel());
        assert_eq!(t.start(), Ok(()));
        assert!(!t.is_alive());
        threadcheck::sleep(ms(5));
        assert!(!t.join());
    });
}

#[test]
fn timer_start_twice() {
    check(|| {
        let t = Timer::new(ms(1), || {});
        t.start().unwrap();
        assert!(t.is_alive() || t.finished());
        assert_eq!(t.start(), Err(TimerError::AlreadyStarted));
        assert!(t.join());
        assert!(!t.is_alive());
        assert_eq!(t.interval(), ms(1));
    });
}
