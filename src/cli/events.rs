//! `hrdesk import events FILE [--dry-run]`: lifecycle events from a sheet
//! (a reorganisation, a batch of departures), all or nothing, each checked
//! as the console's forms check it; problems as `FILE:LINE: column: reason`.

use std::process::ExitCode;

use super::export::print_lines;
use super::sheet::{refuse, sheet_failure, sheet_text, source_name};
use super::{Failure, SheetArgs};
use crate::import::EventsColumn;
use crate::service::access::Permission;
use crate::service::{EventsOutcome, Session};
use crate::tr;

pub fn import_events(session: &Session, sheet: &SheetArgs) -> Result<ExitCode, Failure> {
    session
        .require(Permission::EditStaff)
        .map_err(crate::service::OpError::from)?;
    let text = sheet_text::<EventsColumn>(sheet)?;
    let file = sheet.file.as_path();
    let imported = session.import_events(text.sheet_rows(), &source_name(file), sheet.dry_run);
    match imported.map_err(|err| sheet_failure(file, err))? {
        EventsOutcome::Problems(problems) => refuse(file, &problems),
        EventsOutcome::Clean(tally) => {
            let (recorded, departures) = (tally.recorded, tally.departures);
            let (scheduled, hired) = (tally.scheduled, tally.hired);
            print_lines([if sheet.dry_run {
                tr!(
                    "staff.events.dry_run",
                    recorded = recorded,
                    departures = departures,
                    scheduled = scheduled,
                    hired = hired
                )
            } else {
                tr!(
                    "staff.events.done",
                    recorded = recorded,
                    departures = departures,
                    scheduled = scheduled,
                    hired = hired
                )
            }])?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
