//! Transactions and savepoints as guards: one that is dropped without being
//! committed (or released) rolls its work back, so that an early return or
//! a panic can never leave half a command in the store or a transaction
//! open behind the caller's back.
use std::ops::Deref;

use super::{Result, Store};

/// A transaction on the store. `S` is whatever holds the store: a borrow
/// for a transaction inside one call, a shared handle (`Rc<Store>`) for
/// one that spans commands, such as a batch's group or a `begin` block.
#[must_use = "a transaction that is dropped rolls back"]
pub struct Transaction<S: Deref<Target = Store>> {
    store: S,
    open: bool,
}

impl<S: Deref<Target = Store>> Transaction<S> {
    /// A write transaction, holding the write lock from its start.
    pub fn write(store: S) -> Result<Self> {
        store.begin()?;
        Ok(Transaction { store, open: true })
    }

    /// A read transaction: every read in it sees one snapshot of the store,
    /// whatever other processes commit meanwhile.
    pub fn read(store: S) -> Result<Self> {
        store.begin_read()?;
        Ok(Transaction { store, open: true })
    }

    /// Makes the work durable. A commit that fails is rolled back, so that
    /// no transaction stays open.
    pub fn commit(mut self) -> Result<()> {
        self.open = false;
        let committed = self.store.commit();
        if committed.is_err() && self.store.in_transaction() {
            let _ = self.store.rollback();
        }
        committed
    }

    /// Undoes the work.
    pub fn rollback(mut self) -> Result<()> {
        self.open = false;
        if self.store.in_transaction() {
            self.store.rollback()
        } else {
            Ok(())
        }
    }

    /// Whether the transaction still exists: SQLite rolls a whole
    /// transaction back by itself after some disk errors.
    pub fn is_alive(&self) -> bool {
        self.store.in_transaction()
    }
}

impl<S: Deref<Target = Store>> Drop for Transaction<S> {
    fn drop(&mut self) {
        if self.open && self.store.in_transaction() {
            let _ = self.store.rollback();
        }
    }
}

/// One unit of work inside an open transaction: released, it joins the
/// transaction; rolled back or dropped, it leaves no trace and the
/// transaction goes on.
#[must_use = "a savepoint that is dropped rolls back"]
pub struct Savepoint<'a> {
    store: &'a Store,
    open: bool,
}

impl<'a> Savepoint<'a> {
    pub fn new(store: &'a Store) -> Result<Self> {
        store.savepoint()?;
        Ok(Savepoint { store, open: true })
    }

    pub fn release(mut self) -> Result<()> {
        self.open = false;
        self.store.release_savepoint()
    }

    pub fn rollback(mut self) -> Result<()> {
        self.open = false;
        self.store.rollback_to_savepoint()
    }
}

impl Drop for Savepoint<'_> {
    fn drop(&mut self) {
        if self.open && self.store.in_transaction() {
            let _ = self.store.rollback_to_savepoint();
        }
    }
}

/// All or nothing for one piece of work: a transaction of its own, or a
/// savepoint inside the transaction already open.
#[must_use = "atomic work that is dropped rolls back"]
pub enum Atomic<'a> {
    Own(Transaction<&'a Store>),
    Nested(Savepoint<'a>),
}

impl<'a> Atomic<'a> {
    pub fn begin(store: &'a Store) -> Result<Self> {
        Ok(if store.in_transaction() {
            Atomic::Nested(Savepoint::new(store)?)
        } else {
            Atomic::Own(Transaction::write(store)?)
        })
    }

    /// Keeps the work: commits it, or joins it to the open transaction.
    pub fn keep(self) -> Result<()> {
        match self {
            Atomic::Own(tx) => tx.commit(),
            Atomic::Nested(savepoint) => savepoint.release(),
        }
    }

    pub fn undo(self) -> Result<()> {
        match self {
            Atomic::Own(tx) => tx.rollback(),
            Atomic::Nested(savepoint) => savepoint.rollback(),
        }
    }
}
