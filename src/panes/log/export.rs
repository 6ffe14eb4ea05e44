//! Writing the entries shown (through the filter and the search) to a CSV
//! file (`x`): a form with the file's name, a new file made in the
//! exchange folder over SSH or the current directory locally, the same
//! columns `hrdesk export audit-log` writes, oldest entry first; the
//! export is itself logged, with what chose the entries and where they
//! went.

use std::path::Path;

use super::{ID, LogView};
use crate::app::changes::Changes;
use crate::app::desk::Desk;
use crate::app::form::{Done, Field, Form, FormReader, Submitted};
use crate::app::pane::Errand;
use crate::domain::audit::AuditEntry;
use crate::export::audit::AuditRow;
use crate::export::write_csv;
use crate::i18n::grouped;
use crate::team::exchange;
use crate::tr;

/// The export form's errand.
pub(super) struct ExportForm;

const FILE: &str = "file";

/// Where a relative name lands, in words.
fn landing() -> String {
    match exchange::folder() {
        Some(folder) => tr!("log.export.in_exchange", folder = folder.display()),
        None => {
            let here = std::env::current_dir()
                .map(|dir| dir.display().to_string())
                .unwrap_or_else(|_| ".".to_string());
            tr!("log.export.in_directory", folder = here)
        }
    }
}

/// Opens the form, the name made of the time now.
pub(super) fn open(view: &LogView, desk: &mut Desk) {
    let count = view.list.visible_len();
    if count == 0 {
        return desk.info(tr!("log.export.nothing"));
    }
    let now = crate::zone::current().local(desk.session.now());
    let name = format!("audit-log-{}.csv", now.format("%Y%m%d-%H%M%S"));
    let mut form = Form::new(
        Errand::new(ID, ExportForm),
        tr!("log.export.title", count = grouped(count as u64)),
        vec![Field::text(FILE, tr!("log.export.file"), &name)],
    );
    form.note = Some(landing());
    desk.form = Some(form);
}

/// Writes the entries shown to the file the form names, then logs it.
pub(super) fn submit(view: &mut LogView, form: &Form<Errand>, desk: &mut Desk) -> Submitted {
    let mut reader = FormReader::new(form);
    let name = reader.text(FILE);
    if name.is_empty() {
        reader.problem(FILE, tr!("staff.check.required"));
        return Err(reader.problems);
    }
    let (path, count) = {
        // Oldest first, as `hrdesk export audit-log` writes them.
        let mut entries: Vec<&AuditEntry> = view.list.visible().collect();
        entries.reverse();
        let rows: Vec<AuditRow> = entries.into_iter().map(AuditRow::of).collect();
        let path = write(Path::new(&name), &rows).map_err(|message| vec![(Some(FILE), message)])?;
        (path, rows.len())
    };
    let shown = path.display().to_string();
    let chosen = super::filter::words(&view.filter, view.list.query.text());
    if let Err(err) = desk.session.log_audit_log_export(count, &shown, &chosen) {
        // Not logged, not kept.
        let _ = std::fs::remove_file(&path);
        return Err(vec![(None, err.to_string())]);
    }
    view.read_on(desk);
    let message = tr!(
        "log.export.written",
        count = grouped(count as u64),
        path = shown
    );
    Ok(Done::wrote(message, Changes::default()))
}

/// Makes the file and writes `rows` to it; where it is, or why not.
fn write(name: &Path, rows: &[AuditRow]) -> Result<std::path::PathBuf, String> {
    exchange::write_new(name, |mut out| write_csv(&mut out, rows)).map_err(|e| e.to_string())
}
