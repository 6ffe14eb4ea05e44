//! redb trusts the pages it reads: damage inside a file (a page of the wrong
//! kind) makes it panic instead of returning an error. The shield runs store
//! work under `catch_unwind` and turns such a panic into
//! [`StoreError::Damaged`]; the panic filter keeps the panic itself quiet so
//! the person at the terminal sees one clear message, not a backtrace.

use std::any::Any;
use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};

use super::Location;
use super::error::StoreError;
use crate::tr;

thread_local! {
    static SHIELDED: Cell<bool> = const { Cell::new(false) };
}

/// Wraps the current panic hook so that panics inside the shield print
/// nothing. Install it after anything else that sets a hook (the terminal
/// set-up does), so that a shielded panic also skips their work.
pub fn install_panic_filter() {
    let previous = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if !SHIELDED.with(Cell::get) {
            previous(info);
        }
    }));
}

fn panic_text(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| tr!("store.unknown_failure"))
}

/// Runs `work`; a panic inside it becomes `StoreError::Damaged` for `location`.
pub(crate) fn shielded<T, E: From<StoreError>>(
    location: &Location,
    work: impl FnOnce() -> Result<T, E>,
) -> Result<T, E> {
    let outer = SHIELDED.with(|s| s.replace(true));
    let outcome = panic::catch_unwind(AssertUnwindSafe(work));
    SHIELDED.with(|s| s.set(outer));
    outcome.unwrap_or_else(|payload| {
        Err(StoreError::Damaged {
            location: location.to_string(),
            detail: panic_text(payload.as_ref()),
        }
        .into())
    })
}

#[cfg(test)]
mod tests {
    use std::fs::OpenOptions;
    use std::io::{Seek, SeekFrom, Write};

    use chrono::Utc;

    use super::*;
    use crate::store::Store;

    #[test]
    fn a_panic_becomes_a_damaged_error() {
        let location = Location::Memory;
        let err = shielded::<(), StoreError>(&location, || panic!("page kind 90")).unwrap_err();
        assert!(matches!(err, StoreError::Damaged { .. }));
        assert!(err.to_string().contains("page kind 90"), "{err}");
        assert_eq!(shielded::<_, StoreError>(&location, || Ok(7)).unwrap(), 7);
    }

    /// Damage inside a real file: whatever page is hit, reading it gives an
    /// error or the data, never a panic that escapes.
    #[test]
    fn damaged_pages_never_escape_as_panics() {
        let dir = tempfile::tempdir().unwrap();
        let clean = dir.path().join("clean.redb");
        {
            let store = Store::create(&clean, "admin", Utc::now()).unwrap();
            for i in 0..40 {
                store
                    .write("admin", Utc::now(), |w| {
                        let d = w.add_department(&format!("部门{i}"), None, None)?;
                        w.audit(crate::domain::audit::AuditRecord::new(
                            "t",
                            "department",
                            d.id,
                        ))
                    })
                    .unwrap();
            }
        }
        let size = std::fs::metadata(&clean).unwrap().len();
        let mut damaged_seen = 0;
        for offset in (4096..size).step_by(4096) {
            let path = dir.path().join(format!("damaged-{offset}.redb"));
            std::fs::copy(&clean, &path).unwrap();
            let mut file = OpenOptions::new().write(true).open(&path).unwrap();
            file.seek(SeekFrom::Start(offset)).unwrap();
            file.write_all(&[0x5a; 256]).unwrap();
            drop(file);
            let outcome = Store::open(&path).and_then(|store| {
                store.departments()?;
                store.audit_entries()?;
                store.operators()
            });
            if let Err(StoreError::Damaged { .. }) = outcome {
                damaged_seen += 1;
            }
        }
        assert!(
            damaged_seen > 0,
            "no page damage was detected in {size} bytes"
        );
    }
}
