//! `hrdesk export unbind-notices [--resend] [--format csv|json]`: the
//! outbox of unbinding notices for the messaging job (or a letter), one
//! row per pending request with the employee, the provider, the masked
//! account, the code and the deadline. Only an admin runs it (the service
//! account's cron job); the notices are marked sent, each logged, only
//! once the whole output has been written; a notice already sent comes
//! again only with `--resend`. The operator's own requests are withheld.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;

use super::bindings::person;
use super::export::{rfc3339, write_failed, write_rows};
use super::{Failure, Format};
use crate::domain::binding::audit::DEFAULT_PENDING_DAYS;
use crate::domain::binding::mask_external_id;
use crate::service::{OutboxNotice, Session};
use crate::tr;

/// One notice as the messaging job reads it; times in RFC 3339.
#[derive(Serialize)]
struct NoticeOut {
    binding_id: u64,
    emp_no: String,
    name: String,
    provider: &'static str,
    /// Masked: the provider knows the account; the code is what matters.
    account: String,
    code: String,
    reason: &'static str,
    requested_at: String,
    deadline: String,
    /// How often it went out before (0: the first time).
    times_sent: usize,
}

fn notice_out(notice: &OutboxNotice) -> NoticeOut {
    let (emp_no, name) = person(notice.employee.as_ref());
    let reason = match notice.binding.state.view() {
        crate::domain::binding::StateView::PendingUnbind { reason, .. } => reason.code(),
        _ => "",
    };
    NoticeOut {
        binding_id: notice.binding.id.0,
        emp_no,
        name,
        provider: notice.binding.provider.code(),
        account: mask_external_id(&notice.binding.external_id),
        code: notice.code.clone(),
        reason,
        requested_at: rfc3339(notice.requested_at),
        deadline: rfc3339(notice.deadline),
        times_sent: notice.times_sent,
    }
}

/// Writes the outbox to stdout and, once all of it was written, marks its
/// notices sent; says on stderr how many, and how many were withheld.
pub fn export_unbind_notices(
    session: &Session,
    format: Format,
    resend: bool,
) -> Result<ExitCode, Failure> {
    if format == Format::Md {
        return Err(Failure::new(
            Failure::USAGE,
            tr!("binding_cli.notices_format"),
        ));
    }
    let outbox = session.unbind_outbox(resend, DEFAULT_PENDING_DAYS)?;
    let rows: Vec<NoticeOut> = outbox.notices.iter().map(notice_out).collect();
    let mut bytes = Vec::new();
    write_rows(&mut bytes, &rows, format)?;
    let mut out = super::out::stdout();
    out.write_all(&bytes)
        .and_then(|()| out.flush())
        .map_err(|err| write_failed(tr!("binding_cli.notices_unsent", reason = err)))?;
    let marked = session.mark_notices_sent(&outbox.notices)?;
    super::out::note(&tr!(
        "binding_cli.notices_sent",
        count = marked,
        withheld = outbox.withheld
    ));
    Ok(ExitCode::SUCCESS)
}
