//! SCTBench's `account`: a withdrawal that checks the balance, then takes the lock.

use crate::define_model;
use crate::harness::{Expect, Model};
use crate::lock::{join_all, spawn_n};
use threadcheck::sync::atomic::{AtomicIsize, Ordering};
use threadcheck::sync::Arc;
use threadcheck::Lock;

/// The account models: the bug and its twin.
pub const ALL: &[&Model] = &[&ACCOUNT, &ACCOUNT_LOCKED];

/// A bank account: a balance and the lock that guards it.
struct Account {
    lock: Lock,
    balance: AtomicIsize,
}

const START: isize = 100;
const AMOUNT: isize = 60;

impl Account {
    fn new() -> Self {
        Account {
            lock: Lock::named("account"),
            balance: AtomicIsize::new(START),
        }
    }

    /// `if self.balance >= amount: with self.lock: self.balance -= amount`
    fn withdraw_checked_outside(&self, amount: isize) -> bool {
        if self.balance.load(Ordering::SeqCst) < amount {
            return false;
        }
        // <- another withdrawal can pass the same check here.
        let _g = self.lock.acquire();
        let b = self.balance.load(Ordering::SeqCst);
        self.balance.store(b - amount, Ordering::SeqCst);
        true
    }

    /// `with self.lock: if self.balance >= amount: self.balance -= amount`
    fn withdraw_locked(&self, amount: isize) -> bool {
        let _g = self.lock.acquire();
        let b = self.balance.load(Ordering::SeqCst);
        if b < amount {
            return false;
        }
        self.balance.store(b - amount, Ordering::SeqCst);
        true
    }
}

fn customers(n: usize, withdraw: fn(&Account, isize) -> bool) {
    let acc = Arc::new(Account::new());
    let a = acc.clone();
    join_all(spawn_n(n, move |_| {
        withdraw(&a, AMOUNT);
    }));
    let b = acc.balance.load(Ordering::SeqCst);
    assert!(b >= 0, "account overdrawn: balance {b}");
}

define_model! {
    /// After SCTBench's `account` (a bank account shared by threads that deposit and
    /// withdraw). Each customer withdraws 60 from a balance of 100, in Python:
    /// `if acct.balance >= 60: with acct.lock: acct.balance -= 60`. The update is locked, the
    /// check is not: two customers can both see 100, then withdraw in turn, leaving -20.
    /// Check-then-act needs the check inside the lock: Panic("account overdrawn").
    pub ACCOUNT = "bugs/account" {
        about: "withdraw checks the balance outside the lock: two withdrawals overdraw it",
        expect: Expect::Panic("account overdrawn"),
        loom: [2],
        shuttle: 3,
        real: None,
        preemptions: None,
        run: account,
    }
}

fn account(n: usize) {
    customers(n, Account::withdraw_checked_outside);
}

define_model! {
    /// `bugs/account` fixed: the balance is checked and debited under one acquisition of
    /// the lock, so at most one 60 comes out of 100 however the customers interleave: Pass.
    pub ACCOUNT_LOCKED = "bugs/account_locked" {
        about: "withdraw checks and debits under one lock: never overdrawn",
        expect: Expect::Pass,
        loom: [2],
        shuttle: 3,
        real: Some(3),
        preemptions: None,
        run: account_locked,
    }
}

fn account_locked(n: usize) {
    customers(n, Account::withdraw_locked);
}
