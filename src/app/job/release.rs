//! Letting go of large values off the console's thread. A table of a
//! million rows takes a while to free, and the console need not wait for
//! it: [`drop_aside`] hands it to one thread that frees what it is given
//! in turn and then gives the freed pages back to the system. A job that
//! reads a large table first waits until everything let go before it is
//! freed ([`wait_for_releases`]), so that a table read never stands in
//! memory beside the one it replaces.

use std::any::Any;
use std::sync::OnceLock;
use std::sync::mpsc::{self, Sender};
use std::thread;

/// What the releasing thread is handed.
enum Release {
    /// A value to free.
    Drop(Box<dyn Any + Send>),
    /// Said back once everything handed over before it is freed.
    Done(Sender<()>),
}

/// The way to the releasing thread, started when first needed.
fn lane() -> &'static Sender<Release> {
    static LANE: OnceLock<Sender<Release>> = OnceLock::new();
    LANE.get_or_init(|| {
        let (send, receive) = mpsc::channel::<Release>();
        thread::spawn(move || {
            // Whether something was freed since the pages were last given back.
            let mut freed = false;
            while let Ok(first) = receive.recv() {
                let mut next = Some(first);
                while let Some(release) = next {
                    match release {
                        Release::Drop(old) => {
                            drop(old);
                            freed = true;
                        }
                        Release::Done(said) => {
                            give_back_if(&mut freed);
                            let _ = said.send(());
                        }
                    }
                    next = receive.try_recv().ok();
                }
                // Nothing more waits to be freed.
                give_back_if(&mut freed);
            }
        });
        send
    })
}

/// Gives the freed pages back to the system if something was `freed`
/// since they last were.
fn give_back_if(freed: &mut bool) {
    if std::mem::take(freed) {
        crate::memory::give_back();
    }
}

/// Sends `release` to the releasing thread; `false` when it is gone.
fn send(release: Release) -> bool {
    lane().send(release).is_ok()
}

/// Lets go of `old` on the releasing thread.
pub fn drop_aside<T: Send + 'static>(old: T) {
    // A value never sent is freed here.
    send(Release::Drop(Box::new(old)));
}

/// Waits until everything let go so far is freed.
pub fn wait_for_releases() {
    let (said, done) = mpsc::channel();
    if send(Release::Done(said)) {
        let _ = done.recv();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn what_is_let_go_is_freed_before_the_wait_ends() {
        let held = Arc::new(());
        for _ in 0..3 {
            drop_aside(Arc::clone(&held));
        }
        wait_for_releases();
        assert_eq!(Arc::strong_count(&held), 1, "every copy let go was freed");
    }
}
