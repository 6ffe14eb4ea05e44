//! Third-party account bindings on the command line, for hr and admin only
//! (anyone else is refused with exit 3, and the attempt is logged):
//! `bindings confirm --code CODE --channel CHANNEL` (an employee's
//! confirmation of an unbinding, entered on their behalf, never by the
//! requester), `import bindings FILE` (all or nothing), `import
//! logins|confirmations FILE` (the good rows applied and the others
//! skipped, exit 1 when any was; all or nothing with `--strict`), `audit
//! bindings` (exit 0 clean, 1 with findings, for cron) and `export
//! bindings` (accounts masked unless an admin asks `--reveal`, which is
//! logged before anything is written; every request and step kept). The
//! outbox of notices is `notices.rs`.

use std::process::ExitCode;

use clap::Subcommand;
use serde::Serialize;

use super::export::{joined_lines, print_batches, print_lines, print_pieces, rfc3339, stream_rows};
use super::goals::ReportFormat;
use super::sheet::{print_problems, report, sheet_failure, sheet_text, source_name};
use super::{Failure, Format, LogArgs, SheetArgs, read_file};
use crate::domain::binding::audit::{
    AuditSettings, DEFAULT_PENDING_DAYS, DEFAULT_STALE_DAYS, Finding, FindingKind, Severity,
};
use crate::domain::binding::{Binding, Channel, Provider, StateView, UnbindHow, mask_external_id};
use crate::domain::cleanup::parse_date;
use crate::domain::employee::Employee;
use crate::import::{ConfirmationsColumn, LoginsColumn, SheetColumn, SheetRows, read_bindings};
use crate::service::{AuditReport, OpError, RowsOutcome, Session, SheetMode, ToldAudit};
use crate::tr;

/// `hrdesk bindings …`.
#[derive(Debug, Subcommand)]
pub enum BindingsCommand {
    #[command(about = tr!("cli.help.bindings_confirm"))]
    Confirm {
        #[arg(long, value_name = "CODE", help = tr!("cli.help.code"))]
        code: String,
        #[arg(long, value_name = "CHANNEL", value_parser = parse_channel, help = tr!("cli.help.channel"))]
        channel: Channel,
    },
}

/// `hrdesk audit …`.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    #[command(about = tr!("cli.help.audit_bindings"))]
    Bindings {
        #[arg(long, value_name = "DATE", help = tr!("cli.help.as_of"))]
        as_of: Option<String>,
        #[arg(long, value_name = "N", default_value_t = DEFAULT_STALE_DAYS, help = tr!("cli.help.stale_days"))]
        stale_days: u32,
        #[arg(long, value_name = "N", default_value_t = DEFAULT_PENDING_DAYS, help = tr!("cli.help.pending_days"))]
        pending_days: u32,
        #[arg(long, value_enum, default_value_t = ReportFormat::Text, help = tr!("cli.help.report_format"))]
        format: ReportFormat,
    },
}

/// A `--channel` value, or the channels there are.
fn parse_channel(text: &str) -> Result<Channel, String> {
    Channel::parse(text).ok_or_else(|| {
        tr!(
            "binding_cli.bad_channel",
            value = text,
            channels = Channel::codes()
        )
    })
}

/// `bindings confirm --code CODE --channel CHANNEL`: the operator enters
/// the employee's code on their behalf, naming how they heard it; unbinds
/// the request with that code and says what was unbound (the account
/// masked). An unknown code is exit 1; the requester is refused.
pub fn run(session: &Session, command: BindingsCommand) -> Result<ExitCode, Failure> {
    let BindingsCommand::Confirm { code, channel } = command;
    let binding = session.confirm_unbind(&code, channel)?;
    let rows = session.binding_rows(&[binding.id])?;
    let (emp_no, name) = person(rows.first().and_then(|r| r.employee.as_ref()));
    print_lines([tr!(
        "binding_cli.confirmed",
        binding = binding.id,
        emp_no = emp_no,
        name = name,
        provider = binding.provider.label(),
        account = mask_external_id(&binding.external_id),
        channel = channel.label()
    )])?;
    Ok(ExitCode::SUCCESS)
}

/// An employee's number and name, or what stands for someone gone.
pub(super) fn person(employee: Option<&Employee>) -> (String, String) {
    named(employee.map(|e| (e.emp_no.as_str(), e.name.as_str())))
}

/// The number and name a binding's employee is shown by, or that there
/// is none.
fn named(who: Option<(&str, &str)>) -> (String, String) {
    who.map_or_else(
        || ("-".to_string(), tr!("binding_cli.no_employee")),
        |(number, name)| (number.to_string(), name.to_string()),
    )
}

/// A clean sheet's summary: what was imported, or would be by a dry run.
fn clean_summary(dry_run: bool, what: String) -> String {
    if dry_run {
        tr!("binding_cli.import.dry_run", what = what)
    } else {
        tr!("binding_cli.import.done", what = what)
    }
}

/// `import bindings FILE [--provider P]`: the documented sheet or a
/// provider console's member export; a `--provider` that names none is a
/// usage error.
pub fn import_bindings(
    session: &Session,
    sheet: &SheetArgs,
    provider: Option<&str>,
) -> Result<ExitCode, Failure> {
    let given = provider
        .map(|text| {
            Provider::parse(text).ok_or_else(|| {
                let reason = tr!("binding_import.provider", value = text);
                Failure::new(
                    Failure::USAGE,
                    tr!("binding_cli.bad_provider", reason = reason),
                )
            })
        })
        .transpose()?;
    session.may_edit_bindings("binding.import")?;
    let bytes = read_file(sheet)?;
    let rows = read_bindings(&bytes, given.is_some())
        .map_err(|e| Failure::new(Failure::INVALID, format!("{}: {e}", sheet.file.display())))?;
    let outcome = session.import_bindings(&rows, given, sheet.dry_run)?;
    report(&sheet.file, outcome, |rows, people| {
        let what = tr!("binding_cli.import.bindings", rows = rows, people = people);
        clean_summary(sheet.dry_run, what)
    })
}

/// Imports a provider's log and prints the outcome: all or nothing when
/// `--strict`; else the skipped rows, each problem as `FILE:LINE: column:
/// reason (skipped)`, then how many rows were applied and skipped (exit 1
/// when any was). `what` tells the changes' counts.
fn import_log<C: SheetColumn>(
    session: &Session,
    log: &LogArgs,
    import: impl FnOnce(&Session, SheetRows<'_, C>, SheetMode<'_>) -> Result<RowsOutcome<C>, OpError>,
    what: impl Fn(usize, usize) -> String,
) -> Result<ExitCode, Failure> {
    let sheet = &log.sheet;
    session.may_edit_bindings("binding.import")?;
    let text = sheet_text::<C>(sheet)?;
    let source = source_name(&sheet.file);
    let mode = SheetMode {
        dry_run: sheet.dry_run,
        strict: log.strict,
        source: &source,
    };
    let imported = import(session, text.sheet_rows(), mode);
    let lenient = match imported.map_err(|err| sheet_failure(&sheet.file, err))? {
        RowsOutcome::Strict(outcome) => {
            return report(&sheet.file, outcome, |rows, people| {
                clean_summary(sheet.dry_run, what(rows, people))
            });
        }
        RowsOutcome::Lenient(lenient) => lenient,
    };
    let reasons: Vec<String> = lenient
        .skipped
        .iter()
        .map(|p| tr!("binding_cli.import.skipped_row", reason = p.message))
        .collect();
    print_problems(
        &sheet.file,
        lenient
            .skipped
            .iter()
            .zip(&reasons)
            .map(|(p, reason)| (p.line, p.column.map(C::code), reason.as_str())),
    )?;
    let what = what(lenient.changes, lenient.people);
    let (applied, skipped) = (lenient.applied, lenient.skipped_rows());
    let summary = if sheet.dry_run {
        tr!(
            "binding_cli.import.would_apply",
            what = what,
            applied = applied,
            skipped = skipped
        )
    } else {
        tr!(
            "binding_cli.import.applied",
            what = what,
            applied = applied,
            skipped = skipped
        )
    };
    print_lines([summary])?;
    Ok(if skipped == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(Failure::INVALID)
    })
}

/// `import logins FILE [--strict]`.
pub fn import_logins(session: &Session, log: &LogArgs) -> Result<ExitCode, Failure> {
    import_log::<LoginsColumn>(
        session,
        log,
        |s, rows, mode| s.import_logins(rows, mode),
        |rows, people| tr!("binding_cli.import.logins", rows = rows, people = people),
    )
}

/// `import confirmations FILE [--strict]`.
pub fn import_confirmations(session: &Session, log: &LogArgs) -> Result<ExitCode, Failure> {
    import_log::<ConfirmationsColumn>(
        session,
        log,
        |s, rows, mode| s.import_confirmations(rows, mode),
        |rows, people| {
            tr!(
                "binding_cli.import.confirmations",
                rows = rows,
                people = people
            )
        },
    )
}

/// `audit bindings`: runs the audit (its run is recorded), prints it and
/// exits 1 when anything was found. A bad `--as-of` is a usage error.
pub fn run_audit(session: &Session, command: AuditCommand) -> Result<ExitCode, Failure> {
    let AuditCommand::Bindings {
        as_of,
        stale_days,
        pending_days,
        format,
    } = command;
    let as_of = match as_of {
        None => session.today(),
        Some(text) => parse_date(&text).map_err(|err| {
            Failure::new(
                Failure::USAGE,
                tr!("binding_cli.bad_as_of", value = text, reason = err),
            )
        })?,
    };
    let settings = AuditSettings {
        as_of,
        stale_days,
        pending_days,
    };
    let told = session.audit_bindings_told(settings)?;
    let report = &told.report;
    // The findings are told a batch at a time: a million findings are
    // never held as text.
    match format {
        ReportFormat::Text => print_lines([audit_summary(report)])?,
        ReportFormat::Json => print_pieces([JsonFindings::head(report, settings)?])?,
    }
    let labels = Labels::new();
    print_batches(&report.findings, FINDINGS_PER_BATCH, |at, batch| {
        Ok(match format {
            ReportFormat::Text => joined_lines(batch.iter().map(|f| audit_line(f, &told, &labels))),
            ReportFormat::Json => {
                let findings: Vec<FindingOut> =
                    batch.iter().map(|f| finding_out(f, &told)).collect();
                JsonFindings::items(at == 0, &findings)?
            }
        })
    })?;
    if format == ReportFormat::Json {
        print_pieces([JsonFindings::tail(!report.findings.is_empty())])?;
    }
    Ok(if report.findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(Failure::INVALID)
    })
}

/// One finding as reports show it.
#[derive(Serialize)]
struct FindingOut {
    severity: &'static str,
    kind: &'static str,
    binding_id: u64,
    emp_no: String,
    name: String,
    provider: &'static str,
    /// Masked.
    account: String,
    /// For a duplicate, the binding that held the account first.
    other_binding_id: Option<u64>,
    /// Days unused (unused, never used) or past the deadline (overdue).
    days: Option<i64>,
}

fn finding_out(finding: &Finding, told: &ToldAudit) -> FindingOut {
    let (emp_no, name) = told.people.who(finding.employee).map_or_else(
        || ("-".to_string(), tr!("binding_cli.no_employee")),
        |(emp_no, name)| (emp_no.to_string(), name.to_string()),
    );
    FindingOut {
        severity: finding.kind.severity().code(),
        kind: finding.kind.code(),
        binding_id: finding.binding.0,
        emp_no,
        name,
        provider: finding.provider.code(),
        account: told
            .accounts
            .get(finding.binding)
            .unwrap_or_default()
            .to_string(),
        other_binding_id: finding.other.map(|b| b.0),
        days: finding.days,
    }
}

/// How many findings are told at a time.
const FINDINGS_PER_BATCH: usize = 4096;

/// The audit for people: a summary line of counts per kind, then
/// ([`audit_line`]) one line per finding, most severe first.
fn audit_summary(report: &AuditReport) -> String {
    let counts = FindingKind::ALL
        .iter()
        .zip(report.run.counts)
        .map(|(kind, n)| tr!("binding_cli.audit.count", kind = kind.label(), count = n))
        .collect::<Vec<_>>()
        .join(&tr!("binding_cli.audit.joiner"));
    tr!(
        "binding_cli.audit.summary",
        as_of = report.run.as_of,
        count = report.findings.len(),
        counts = counts
    )
}

/// The words a text report repeats on every line, looked up once: each
/// severity's, kind's and provider's name, and the name of no one.
struct Labels {
    severities: Vec<(Severity, String)>,
    kinds: Vec<(FindingKind, String)>,
    providers: Vec<(Provider, String)>,
    no_employee: String,
}

impl Labels {
    fn new() -> Self {
        Labels {
            severities: Severity::ALL.iter().map(|&s| (s, s.label())).collect(),
            kinds: FindingKind::ALL.iter().map(|&k| (k, k.label())).collect(),
            providers: Provider::ALL.iter().map(|&p| (p, p.label())).collect(),
            no_employee: tr!("binding_cli.no_employee"),
        }
    }

    fn of<T: PartialEq>(labels: &[(T, String)], item: T) -> &str {
        labels
            .iter()
            .find(|(at, _)| *at == item)
            .map_or("", |(_, label)| label)
    }
}

/// One finding's line in the audit for people.
fn audit_line(finding: &Finding, told: &ToldAudit, labels: &Labels) -> String {
    let (emp_no, name) = told
        .people
        .who(finding.employee)
        .unwrap_or(("-", &labels.no_employee));
    let kind = Labels::of(&labels.kinds, finding.kind);
    let mut line = tr!(
        "binding_cli.audit.line",
        severity = Labels::of(&labels.severities, finding.kind.severity()),
        kind = finding.describe_as(kind),
        binding = finding.binding,
        emp_no = emp_no,
        name = name,
        provider = Labels::of(&labels.providers, finding.provider),
        account = told.accounts.get(finding.binding).unwrap_or_default()
    );
    if let Some(other) = finding.other {
        line.push_str(&tr!("binding_cli.audit.also_held", other = other));
    }
    line
}

/// The audit for scripts, but its findings: they follow it, a batch at a
/// time ([`JsonFindings`]), as one pretty-printed object would have them.
#[derive(Serialize)]
struct AuditHead {
    as_of: String,
    settings: SettingsOut,
    counts: Counts,
    findings: [(); 0],
}

/// Findings of each kind (in [`FindingKind::ALL`] order), as an object
/// keyed by kind code in that order.
struct Counts([usize; 6]);

impl Serialize for Counts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(FindingKind::ALL.iter().map(|k| k.code()).zip(self.0))
    }
}

#[derive(Serialize)]
struct SettingsOut {
    stale_days: u32,
    pending_days: u32,
}

/// The audit as one pretty-printed JSON object, written in pieces: its
/// head, its findings a batch at a time, its end.
struct JsonFindings;

/// How deep a finding of the `findings` array is indented.
const FINDING_INDENT: &str = "    ";

impl JsonFindings {
    /// Everything up to the `findings` array's opening bracket.
    fn head(report: &AuditReport, settings: AuditSettings) -> Result<String, Failure> {
        let head = AuditHead {
            as_of: settings.as_of.to_string(),
            settings: SettingsOut {
                stale_days: settings.stale_days,
                pending_days: settings.pending_days,
            },
            counts: Counts(report.run.counts),
            findings: [],
        };
        Ok(Self::open(pretty(&head)?))
    }

    /// A pretty-printed object whose last field is an empty array, up to
    /// that array (its brackets and the object's end come later).
    fn open(whole: String) -> String {
        match whole.strip_suffix("[]\n}") {
            Some(open) => open.to_string(),
            None => whole,
        }
    }

    /// The findings of one batch (the `first` opens the array), each
    /// indented as an item of the array.
    fn items(first: bool, findings: &[impl Serialize]) -> Result<String, Failure> {
        let mut out = String::new();
        for (at, finding) in findings.iter().enumerate() {
            out.push_str(if first && at == 0 { "[\n" } else { ",\n" });
            let item = pretty(finding)?;
            out.push_str(FINDING_INDENT);
            out.push_str(&item.replace('\n', &format!("\n{FINDING_INDENT}")));
        }
        Ok(out)
    }

    /// The array's and the object's ends, after `any` findings or none.
    fn tail(any: bool) -> String {
        if any { "\n  ]\n}\n" } else { "[]\n}\n" }.to_string()
    }
}

fn pretty(value: &impl Serialize) -> Result<String, Failure> {
    serde_json::to_string_pretty(value)
        .map_err(|e| Failure::new(Failure::USAGE, tr!("cli.write_failed", reason = e)))
}

/// One binding in the export; times in RFC 3339. Confirmation codes are
/// never exported (the outbox sends them: `export unbind-notices`).
#[derive(Serialize)]
struct BindingOut {
    id: u64,
    emp_no: String,
    name: String,
    provider: &'static str,
    /// Masked unless revealed.
    external_id: String,
    state: &'static str,
    bound_at: String,
    last_used: Option<String>,
    method: String,
    /// Why an unbinding was asked for (pending or unbound).
    reason: Option<&'static str>,
    /// The last unbind request, pending or since ended.
    requested_at: Option<String>,
    requested_by: Option<String>,
    /// How an unbinding ended: confirmed (by the employee), on_behalf
    /// (entered by an operator, with the channel), forced or expired.
    unbound_how: Option<&'static str>,
    channel: Option<&'static str>,
    unbound_by: Option<String>,
    unbound_at: Option<String>,
    /// Every step after binding, oldest first: `time state by`, `; `-separated.
    history: String,
}

fn binding_out(binding: &Binding, employee: Option<(&str, &str)>, reveal: bool) -> BindingOut {
    let (emp_no, name) = named(employee);
    let requested = binding.last_requested();
    let (reason, how, unbound_by, unbound_at) = match binding.state.view() {
        StateView::Active => (None, None, None, None),
        StateView::PendingUnbind { reason, .. } => (Some(reason.code()), None, None, None),
        StateView::Unbound {
            reason,
            how,
            by,
            at,
        } => (
            Some(reason.code()),
            Some(how),
            Some(by.to_string()),
            Some(rfc3339(at)),
        ),
    };
    let history = binding
        .history
        .iter()
        .map(|step| format!("{} {} {}", rfc3339(step.at), step.state.code(), step.by))
        .collect::<Vec<_>>()
        .join("; ");
    BindingOut {
        id: binding.id.0,
        emp_no,
        name,
        provider: binding.provider.code(),
        external_id: if reveal {
            binding.external_id.clone()
        } else {
            mask_external_id(&binding.external_id)
        },
        state: binding.state.code(),
        bound_at: rfc3339(binding.bound_at),
        last_used: binding.last_used.map(rfc3339),
        method: binding.method.clone(),
        reason,
        requested_at: requested.map(|(at, _)| rfc3339(at)),
        requested_by: requested.map(|(_, by)| by.to_string()),
        unbound_how: how.map(UnbindHow::code),
        channel: how.and_then(UnbindHow::channel).map(Channel::code),
        unbound_by,
        unbound_at,
        history,
    }
}

/// `export bindings [--reveal]`: the export is logged (and a reveal by
/// anyone but an admin refused) before anything is written.
/// `export bindings`: every binding as it is read (logged first).
pub fn export_bindings(session: &Session, format: Format, reveal: bool) -> Result<(), Failure> {
    stream_rows(format, |rows| {
        Ok(session.export_bindings(reveal, |binding, employee| {
            rows.push(&binding_out(&binding, employee, reveal))
        })?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Item {
        name: &'static str,
        days: Option<i64>,
    }

    #[derive(Serialize)]
    struct Doc<T> {
        as_of: &'static str,
        findings: T,
    }

    /// Written in pieces, batch by batch, the document is byte for byte
    /// the one pretty-printed whole, with and without findings.
    #[test]
    fn a_document_written_in_batches_is_the_one_written_whole() {
        for count in [0, 1, 5] {
            let items: Vec<Item> = (0..count)
                .map(|i| Item {
                    name: "张三 \"q\"\n",
                    days: (i % 2 == 0).then_some(i),
                })
                .collect();
            let whole = pretty(&Doc {
                as_of: "2026-12-07",
                findings: &items,
            })
            .expect("whole")
                + "\n";
            let mut pieces = JsonFindings::open(
                pretty(&Doc {
                    as_of: "2026-12-07",
                    findings: [(); 0],
                })
                .expect("head"),
            );
            for (at, batch) in items.chunks(2).enumerate() {
                pieces.push_str(&JsonFindings::items(at == 0, batch).expect("items"));
            }
            pieces.push_str(&JsonFindings::tail(count > 0));
            assert_eq!(pieces, whole, "{count} findings");
        }
    }
}
