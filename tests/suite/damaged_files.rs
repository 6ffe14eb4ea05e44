//! End-to-end tests of damaged and unreadable database files: commands
//! that only read leave the file byte for byte as it was; a damaged file is
//! refused with a clear message (or, where the damage hit unused space,
//! read exactly as the undamaged one), never read as different data; a
//! file that cannot be read is an error naming it, never an empty company.

use crate::e2e;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use e2e::{Outcome, Sandbox};

/// How many damaged copies of the demo database are tried.
const COPIES: usize = 61;

/// The commands that only read, each run on every copy.
const READERS: &[&[&str]] = &[
    &["export", "departments"],
    &["export", "goals", "--format", "json"],
    &["export", "audit-log"],
    &["check", "goals"],
    &["scheduled", "list"],
    &["verify"],
];

fn read_bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
        .unwrap_or_else(|e| panic!("chmod {}: {e}", path.display()));
}

/// A small demo company in the sandbox's database file.
fn small_demo() -> Sandbox {
    let sandbox = Sandbox::new();
    sandbox.on_db(&["demo", "--employees", "20"]).success();
    sandbox
}

/// `bytes` with `len` bytes of xorshift noise from `seed` written at `offset`.
fn damaged(bytes: &[u8], offset: usize, len: usize, seed: u64) -> Vec<u8> {
    let mut copy = bytes.to_vec();
    let mut x = seed | 1;
    for byte in copy.iter_mut().skip(offset).take(len) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *byte = x.to_le_bytes()[0];
    }
    copy
}

/// What a run on a damaged copy came to.
#[derive(Default, Debug)]
struct Tally {
    refused: usize,
    found_by_verify: usize,
    identical: usize,
    /// Copies every command read exactly as the undamaged file.
    harmless_copies: usize,
}

impl Tally {
    /// Files `run` of `args` (whose undamaged run was `clean`) under one of
    /// the allowed outcomes, failing on any other.
    fn add(&mut self, args: &[&str], run: &Outcome, clean: &Outcome, db: &str) {
        match run.code {
            code if code == clean.code => {
                assert_eq!(
                    run.stdout, clean.stdout,
                    "{args:?} succeeded on a damaged copy with different data\n{}",
                    run.stderr
                );
                self.identical += 1;
            }
            Some(1) if args == ["verify"] => {
                assert!(
                    !run.stdout.is_empty(),
                    "verify found faults it did not name"
                );
                self.found_by_verify += 1;
            }
            Some(_) => {
                let told = &run.stderr;
                assert!(
                    told.contains(db),
                    "{args:?}: the refusal does not name the file: {told}"
                );
                if told.contains("record") || told.contains("damaged") {
                    assert!(
                        told.contains("hrdesk verify"),
                        "{args:?}: damage without a pointer to hrdesk verify: {told}"
                    );
                }
                assert!(!told.contains("panicked"), "{args:?}: {told}");
                self.refused += 1;
            }
            None => panic!("{args:?} was killed on a damaged copy: {}", run.stderr),
        }
    }
}

/// Where redb keeps its flags in the file's header, and the flag it sets
/// while a process has the file open to write (cleared when it closes it).
const FLAGS_AT: usize = 9;
const RECOVERY_REQUIRED: u8 = 2;

/// Whether `after` is `before` byte for byte, but for the engine's flag
/// that asks the next writer to recover the file: a write refused at
/// damage the engine meets only while writing (its free-space records,
/// which no read touches) leaves that one bit set. No record changes.
fn unchanged_but_marked_for_recovery(after: &[u8], before: &[u8]) -> bool {
    after.len() == before.len()
        && after
            .iter()
            .zip(before)
            .enumerate()
            .all(|(at, (&a, &b))| a == b || (at == FLAGS_AT && a == b | RECOVERY_REQUIRED))
}

#[test]
fn damaged_copies_are_refused_or_read_unchanged_and_never_written() {
    let sandbox = small_demo();
    let db = sandbox.db();
    let db_arg = sandbox.db_arg();
    let pristine = read_bytes(&db);
    let clean: Vec<Outcome> = READERS
        .iter()
        .map(|args| {
            let run = sandbox.on_db(args);
            assert!(matches!(run.code, Some(0 | 1)), "{args:?}: {}", run.stderr);
            assert_eq!(
                read_bytes(&db),
                pristine,
                "{args:?} wrote to a file it only reads"
            );
            run
        })
        .collect();
    let mut tally = Tally::default();
    let mut writers_refused = std::collections::BTreeMap::<&str, usize>::new();
    let mut writers_refused_at_a_record = std::collections::BTreeMap::<&str, usize>::new();
    let step = pristine.len() / COPIES;
    for copy in 0..COPIES {
        let len = 16 + copy % 49;
        let bytes = damaged(&pristine, copy * step, len, copy as u64 + 0x9E37_79B9);
        std::fs::write(&db, &bytes).expect("write a damaged copy");
        let identical_before = tally.identical;
        for (args, clean) in READERS.iter().zip(&clean) {
            let run = sandbox.on_db(args);
            assert!(
                read_bytes(&db) == bytes,
                "{args:?} changed damaged copy {copy} (offset {})",
                copy * step
            );
            tally.add(args, &run, clean, &db_arg);
        }
        if tally.identical - identical_before == READERS.len() {
            tally.harmless_copies += 1;
        }
        // A command that may write is refused without writing, wherever
        // it meets the damage (opening the file, or a record at login or
        // later), or runs. `export staff` by the admin writes only its
        // own audit entry; the copy is put back before the next command.
        for args in [&["export", "staff"][..], &["apply-due"]] {
            let run = sandbox.on_db(args);
            if run.code == Some(0) {
                std::fs::write(&db, &bytes).expect("restore the damaged copy");
                continue;
            }
            assert!(
                unchanged_but_marked_for_recovery(&read_bytes(&db), &bytes),
                "a refused {args:?} changed damaged copy {copy}: {}",
                run.stderr
            );
            *writers_refused.entry(args[0]).or_default() += 1;
            if run.stderr.contains("record") {
                *writers_refused_at_a_record.entry(args[0]).or_default() += 1;
            }
        }
    }
    println!(
        "{COPIES} damaged copies × {} commands: {tally:?}",
        READERS.len()
    );
    println!(
        "refused unwritten by commands that may write: {writers_refused:?}, \
         of which at a record: {writers_refused_at_a_record:?}"
    );
    assert!(tally.refused > 0 && tally.identical > 0, "{tally:?}");
    assert!(
        writers_refused_at_a_record
            .get("export")
            .is_some_and(|n| *n > 0),
        "no copy was refused at a record by export staff: {writers_refused_at_a_record:?}"
    );
}

#[test]
fn commands_that_only_read_work_on_a_file_only_its_owner_may_read() {
    let sandbox = small_demo();
    let db = sandbox.db();
    chmod(&db, 0o400);
    let before = read_bytes(&db);
    for args in READERS {
        let run = sandbox.on_db(args);
        assert!(matches!(run.code, Some(0 | 1)), "{args:?}: {}", run.stderr);
    }
    sandbox.on_db(&["sessions"]).success();
    assert!(read_bytes(&db) == before, "a reading command wrote");
    chmod(&db, 0o600);
}

#[test]
fn a_damaged_record_is_refused_pointing_to_verify() {
    let sandbox = small_demo();
    let db = sandbox.db();
    let pristine = read_bytes(&db);
    // Every offset until one lands in the departments' records.
    let refused = (4096..pristine.len())
        .step_by(512)
        .find_map(|offset| {
            let bytes = damaged(&pristine, offset, 32, offset as u64);
            std::fs::write(&db, &bytes).expect("write");
            let run = sandbox.on_db(&["export", "departments"]);
            assert!(read_bytes(&db) == bytes, "offset {offset} was written");
            (run.code == Some(2) && run.stderr.contains("record")).then_some(run)
        })
        .expect("some damage reaches a department record");
    refused.stderr_has(&[&sandbox.db_arg(), "hrdesk verify", "backup"]);
}

#[test]
fn a_file_that_cannot_be_read_is_an_error_naming_it_not_an_empty_company() {
    let sandbox = small_demo();
    let db = sandbox.db();
    chmod(&db, 0o000);
    if std::fs::File::open(&db).is_ok() {
        // As root, permissions do not stop reading: nothing to show here.
        println!("skipped: this account reads files whatever their permissions");
        chmod(&db, 0o600);
        return;
    }
    for args in [&["export", "departments"][..], &["verify"], &["apply-due"]] {
        sandbox.on_db(args).code(2).stderr_has(&[&sandbox.db_arg()]);
    }
    chmod(&db, 0o600);
}

#[test]
fn a_file_a_killed_writer_left_unclean_is_recovered_and_read() {
    let sandbox = small_demo();
    let db = sandbox.db();
    let clean = sandbox.on_db(&["export", "departments"]);
    clean.success();
    let mut bytes = read_bytes(&db);
    // redb's header: its 9-byte magic number, then the flags byte, where
    // 2 marks a file whose writer has not closed it (as a killed one leaves it).
    bytes[9] |= 2;
    std::fs::write(&db, &bytes).expect("write the unclean file");
    let recovered = sandbox.on_db(&["export", "departments"]);
    recovered.success();
    assert_eq!(recovered.stdout, clean.stdout);
    let after = read_bytes(&db);
    assert_eq!(after[9] & 2, 0, "the recovery was not kept");
    sandbox.on_db(&["verify"]).success();
    assert!(
        read_bytes(&db) == after,
        "a recovered file was written again"
    );
}
