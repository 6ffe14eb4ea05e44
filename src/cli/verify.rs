//! `hrdesk verify [--format text|json] [--expect-head HASH]`: checks the
//! audit log's hash chain, every record against its seal and its entry's
//! tally, and every secondary key, reading only, beside open consoles.
//! Exit 0 intact, 1 with what is wrong, 2 when the file cannot be read.

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use clap::ValueEnum;
use serde::Serialize;

use super::{Access, Failure, open_store};
use crate::service::{Clock, LoginError, Session};
use crate::store::verify::{EntryFault, Fault, Verdict};
use crate::store::{StoreError, hex};
use crate::team::identity;
use crate::tr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum VerifyFormat {
    Text,
    Json,
}

/// Checks the database at `db` and reports in `format`.
pub fn run(
    db: &Path,
    format: VerifyFormat,
    expect_head: Option<&str>,
) -> Result<ExitCode, Failure> {
    let user = identity::operator_name()?;
    let store = open_store(db, Access::ReadOnly, &user)?;
    let verdict = match Session::login(store.clone(), &user, Clock::System) {
        Ok(session) => {
            session.join("verify")?;
            session.verify(expect_head)?
        }
        // Locally, the file's own account may check a file whose operator
        // records themselves were changed (it can read the file anyway);
        // over SSH, only an operator who may see the audit log.
        Err(LoginError::Store(StoreError::Tampered { .. }))
            if identity::key_operator().is_none() =>
        {
            store.verify(expect_head)?
        }
        Err(refused) => return Err(refused.into()),
    };
    report(&verdict, format)
}

/// Checks the database of the console's `session` (whose operator
/// must be allowed to see the audit log) and reports in `format`.
pub fn on_session(
    session: &Session,
    format: VerifyFormat,
    expect_head: Option<&str>,
) -> Result<ExitCode, Failure> {
    report(&session.verify(expect_head)?, format)
}

/// Writes `verdict` in `format`; exit 0 when intact, 1 when not.
fn report(verdict: &Verdict, format: VerifyFormat) -> Result<ExitCode, Failure> {
    match format {
        VerifyFormat::Text => {
            let text = text(verdict);
            write!(
                super::out::stdout(),
                "{}",
                crate::text::escape_controls(&text)
            )
            .map_err(super::export::write_failed)?
        }
        VerifyFormat::Json => {
            let json = serde_json::to_string_pretty(&json(verdict))
                .map_err(|e| Failure::new(Failure::USAGE, e.to_string()))?;
            say!("{json}");
        }
    }
    Ok(if verdict.intact() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The verdict in sentences, one per line.
fn text(verdict: &Verdict) -> String {
    let mut lines = Vec::new();
    match &verdict.broken {
        None => lines.push(tr!("verify.chain_intact", entries = verdict.entries)),
        Some(broken) => lines.push(match &broken.fault {
            EntryFault::Hash => tr!("verify.chain_hash", seq = broken.seq),
            EntryFault::Gap { previous } => {
                tr!("verify.chain_gap", seq = broken.seq, previous = previous)
            }
            EntryFault::Unreadable(detail) => {
                tr!("verify.chain_unreadable", seq = broken.seq, detail = detail)
            }
        }),
    }
    if verdict.findings.is_empty() {
        lines.push(tr!("verify.records_intact", records = verdict.records));
    }
    for finding in &verdict.findings {
        let key = finding.key.clone().unwrap_or_default();
        let entry = finding
            .entry
            .map_or_else(String::new, |seq| seq.to_string());
        let table = finding.table;
        lines.push(match &finding.fault {
            Fault::Changed => tr!("verify.changed", table = table, key = key, entry = entry),
            Fault::Unsealed => tr!("verify.unsealed", table = table, key = key),
            Fault::UnknownEntry => {
                tr!(
                    "verify.unknown_entry",
                    table = table,
                    key = key,
                    entry = entry
                )
            }
            Fault::Unaccounted => {
                tr!(
                    "verify.unaccounted",
                    table = table,
                    key = key,
                    entry = entry
                )
            }
            Fault::Missing { count } => {
                tr!(
                    "verify.missing",
                    table = table,
                    count = count,
                    entry = entry
                )
            }
            Fault::IndexMissing { index } => {
                tr!(
                    "verify.index_missing",
                    table = table,
                    key = key,
                    index = index
                )
            }
            Fault::IndexStale { index } => {
                tr!(
                    "verify.index_stale",
                    table = table,
                    key = key,
                    index = index
                )
            }
        });
    }
    if let Some(expected) = &verdict.expected {
        lines.push(match expected.found {
            Some(seq) => tr!("verify.expected_found", seq = seq),
            None => tr!(
                "verify.expected_missing",
                hash = expected.hash.escape_debug()
            ),
        });
    }
    lines.push(match verdict.head {
        Some((seq, hash)) => tr!("verify.head", seq = seq, hash = hex(&hash)),
        None => tr!("verify.no_head"),
    });
    lines.push(if verdict.intact() {
        tr!("verify.intact")
    } else {
        tr!("verify.not_intact")
    });
    let mut out = lines.join("\n");
    out.push('\n');
    out
}

#[derive(Serialize)]
struct VerdictOut {
    intact: bool,
    entries: u64,
    records: u64,
    head: Option<HeadOut>,
    broken_entry: Option<BrokenOut>,
    findings: Vec<FindingOut>,
    expected_head: Option<ExpectedOut>,
}

#[derive(Serialize)]
struct HeadOut {
    seq: u64,
    hash: String,
}

#[derive(Serialize)]
struct BrokenOut {
    seq: u64,
    fault: &'static str,
}

#[derive(Serialize)]
struct FindingOut {
    table: &'static str,
    key: Option<String>,
    entry: Option<u64>,
    fault: &'static str,
    index: Option<&'static str>,
    count: Option<u64>,
}

#[derive(Serialize)]
struct ExpectedOut {
    hash: String,
    found: Option<u64>,
}

fn json(verdict: &Verdict) -> VerdictOut {
    VerdictOut {
        intact: verdict.intact(),
        entries: verdict.entries,
        records: verdict.records,
        head: verdict.head.map(|(seq, hash)| HeadOut {
            seq,
            hash: hex(&hash),
        }),
        broken_entry: verdict.broken.as_ref().map(|b| BrokenOut {
            seq: b.seq,
            fault: match b.fault {
                EntryFault::Hash => "hash",
                EntryFault::Gap { .. } => "gap",
                EntryFault::Unreadable(_) => "unreadable",
            },
        }),
        findings: verdict
            .findings
            .iter()
            .map(|f| {
                let (fault, index, count) = match f.fault {
                    Fault::Changed => ("changed", None, None),
                    Fault::Unsealed => ("unsealed", None, None),
                    Fault::UnknownEntry => ("unknown_entry", None, None),
                    Fault::Unaccounted => ("unaccounted", None, None),
                    Fault::Missing { count } => ("missing", None, Some(count)),
                    Fault::IndexMissing { index } => ("index_missing", Some(index), None),
                    Fault::IndexStale { index } => ("index_stale", Some(index), None),
                };
                FindingOut {
                    table: f.table,
                    key: f.key.clone(),
                    entry: f.entry,
                    fault,
                    index,
                    count,
                }
            })
            .collect(),
        expected_head: verdict.expected.as_ref().map(|e| ExpectedOut {
            hash: e.hash.clone(),
            found: e.found,
        }),
    }
}
