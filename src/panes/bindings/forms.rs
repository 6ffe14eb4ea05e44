//! The Bindings pane's actions and forms: binding an account, asking to
//! unbind (a reason; the employee confirms with the code the request
//! carries), entering a confirmation code, withdrawing a request (asks
//! first), forcing a departed employee's unbinding (a reason), expiring
//! an overdue request (asks first), revealing an account id, running the
//! audit and unbinding every departed employee's account it found (one
//! confirmation), and switching between the listings.

use std::sync::Arc;

use super::{BindingsView, ID, Listed, Listing, Revealed};
use crate::action::Action;
use crate::app::changes::Changes;
use crate::app::desk::Desk;
use crate::app::form::FormReader;
use crate::app::form::{ChoiceOption, Field, Form};
use crate::app::form::{Done, Submitted};
use crate::app::job::{Loaded, Outcome};
use crate::app::pane::Errand;
use crate::app::{Confirm, Pending};
use crate::domain::binding::audit::{AuditSettings, DEFAULT_PENDING_DAYS, Finding, FindingKind};
use crate::domain::binding::{
    BindingError, BindingId, BindingState, Channel, Provider, UnbindReason,
};
use crate::service::{AuditReport, BindingFinder, OpError};
use crate::tr;

/// Which Bindings form is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BindingForm {
    Bind,
    RequestUnbind(BindingId),
    ConfirmCode,
    Force(BindingId),
}

/// What the Bindings pane asks before doing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ask {
    CancelUnbind(BindingId),
    ExpireUnbind(BindingId),
    UnbindCritical(Vec<Finding>),
}

/// Field ids of the Bindings forms.
pub(super) mod ids {
    pub const EMP_NO: &str = "emp_no";
    pub const PROVIDER: &str = "provider";
    pub const ACCOUNT: &str = "external_id";
    pub const METHOD: &str = "method";
    pub const REASON: &str = "reason";
    pub const CODE: &str = "code";
    pub const CHANNEL: &str = "channel";
}

fn reason_field(default: UnbindReason) -> Field {
    let options = UnbindReason::ALL
        .iter()
        .map(|r| ChoiceOption::new(r.code(), r.label()))
        .collect();
    Field::choice(
        ids::REASON,
        tr!("binding.field.reason"),
        options,
        default.code(),
    )
}

/// The confirmation form: the code the employee gave, and how.
pub(super) fn confirm_fields() -> Vec<Field> {
    let channels = Channel::ALL
        .iter()
        .map(|c| ChoiceOption::new(c.code(), c.label()))
        .collect();
    vec![
        Field::text(ids::CODE, tr!("binding.field.code"), ""),
        Field::choice(
            ids::CHANNEL,
            tr!("binding.field.channel"),
            channels,
            Channel::Phone.code(),
        ),
    ]
}

fn read_channel(reader: &FormReader<'_>) -> Channel {
    Channel::parse(reader.form.value(ids::CHANNEL)).unwrap_or(Channel::Phone)
}

fn read_reason(reader: &FormReader<'_>) -> UnbindReason {
    let code = reader.form.value(ids::REASON);
    UnbindReason::ALL
        .into_iter()
        .find(|r| r.code() == code)
        .unwrap_or(UnbindReason::AuditFinding)
}

impl BindingsView {
    /// Reads the Bindings pane again (it is read whenever it is opened).
    pub(super) fn reload_bindings(&mut self, desk: &mut Desk) {
        let page = desk.page();
        if let Err(err) = self.reload(&desk.session, page) {
            desk.error(err.to_string());
        }
    }

    /// Indexes every binding for the search, unless that is done or under
    /// way: inline when they are few, else as a job.
    pub(super) fn index_bindings(&mut self, desk: &mut Desk) {
        if self.finder.is_some() || self.indexing {
            return;
        }
        let count = desk.session.binding_count();
        let label = tr!("search.indexing_bindings");
        match desk.load(ID, label, count, |session, progress| {
            session.binding_finder(progress)
        }) {
            Loaded::Now(finder) => self.finder = Some(Arc::new(finder)),
            Loaded::Failed => {}
            Loaded::Job { started } => self.indexing = started,
        }
    }

    /// The job indexing the bindings ended with `outcome`: what the search
    /// line holds is listed.
    pub(super) fn indexed(&mut self, outcome: Outcome, desk: &mut Desk) {
        let Ok(outcome) = outcome.downcast::<Result<BindingFinder, OpError>>() else {
            return;
        };
        self.indexing = false;
        match *outcome {
            Ok(finder) => {
                self.finder = Some(Arc::new(finder));
                self.search_bindings(desk);
            }
            Err(OpError::Cancelled) => {}
            Err(err) => desk.error(err.to_string()),
        }
    }

    /// The bindings `text` finds (none until they are indexed).
    pub(super) fn found(&self, text: &str) -> Vec<Listed> {
        self.finder
            .as_ref()
            .map(|finder| finder.find(text))
            .unwrap_or_default()
            .into_iter()
            .map(|id| Listed { id, finding: None })
            .collect()
    }

    /// Lists the bindings the search line names, or all when it is empty.
    pub(super) fn search_bindings(&mut self, desk: &mut Desk) {
        let text = self.query.text().trim().to_string();
        if text.is_empty() {
            self.show_listing(desk, Listing::All);
        } else {
            self.show_listing(desk, Listing::Search(text));
        }
    }

    /// Lists `listing`, from its start.
    pub(super) fn show_listing(&mut self, desk: &mut Desk, listing: Listing) {
        self.listing = listing;
        self.rows.clear();
        self.offset = 0;
        self.selected = 0;
        self.reload_bindings(desk);
    }

    pub(super) fn open_bind_form(&mut self, desk: &mut Desk) {
        let providers = Provider::ALL
            .iter()
            .map(|p| ChoiceOption::new(p.code(), p.label()))
            .collect();
        let emp_no = self
            .selected_row()
            .and_then(|r| r.employee.as_ref())
            .map(|e| e.emp_no.clone())
            .unwrap_or_default();
        let fields = vec![
            Field::person(ids::EMP_NO, tr!("staff.field.emp_no"), &emp_no),
            Field::choice(
                ids::PROVIDER,
                tr!("binding.field.provider"),
                providers,
                Provider::WeCom.code(),
            ),
            Field::text(ids::ACCOUNT, tr!("binding.field.account"), ""),
            Field::text(ids::METHOD, tr!("binding.field.method"), "manual"), // data: stored code
        ];
        let kind = Errand::new(ID, BindingForm::Bind);
        desk.form = Some(Form::new(kind, tr!("binding.form.bind"), fields));
    }

    /// Opens what `action` does to the selected binding.
    pub(super) fn on_selected(&mut self, desk: &mut Desk, action: Action) {
        let Some(row) = self.selected_row() else {
            desk.info(tr!("binding.select_first"));
            return;
        };
        let id = row.binding.id;
        let provider = row.binding.provider.label();
        match action {
            Action::RequestUnbind => {
                let title = tr!("binding.form.request", id = id, provider = provider);
                let kind = Errand::new(ID, BindingForm::RequestUnbind(id));
                let fields = vec![reason_field(UnbindReason::ChangedAccount)];
                desk.form = Some(Form::new(kind, title, fields));
            }
            Action::ForceUnbind => {
                let title = tr!("binding.form.force", id = id, provider = provider);
                let kind = Errand::new(ID, BindingForm::Force(id));
                let fields = vec![reason_field(UnbindReason::Departure)];
                desk.form = Some(Form::new(kind, title, fields));
            }
            _ => {
                if !matches!(row.binding.state, BindingState::PendingUnbind { .. }) {
                    desk.info(tr!("binding.not_pending"));
                    return;
                }
                desk.ask(Confirm {
                    title: tr!("binding.confirm.cancel_title"),
                    message: tr!("binding.confirm.cancel", id = id),
                    on_yes: Pending::Pane(Errand::new(ID, Ask::CancelUnbind(id))),
                });
            }
        }
    }

    pub(super) fn ask_expire(&mut self, desk: &mut Desk) {
        let Some(row) = self.selected_row() else {
            desk.info(tr!("binding.select_first"));
            return;
        };
        let id = row.binding.id;
        desk.ask(Confirm {
            title: tr!("binding.confirm.expire_title"),
            message: tr!(
                "binding.confirm.expire",
                id = id,
                days = DEFAULT_PENDING_DAYS
            ),
            on_yes: Pending::Pane(Errand::new(ID, Ask::ExpireUnbind(id))),
        });
    }

    /// Unmasks the selected binding's account id and, for a pending
    /// request someone else made, its code (admin only; each logged); a
    /// second press masks them again.
    pub(super) fn reveal_account(&mut self, desk: &mut Desk) -> Result<(), OpError> {
        let Some(row) = self.selected_row() else {
            return Ok(());
        };
        let id = row.binding.id;
        let pending_of_other = row
            .binding
            .requested_by()
            .is_some_and(|by| by != desk.session.operator().user);
        if self.revealed.as_ref().is_some_and(|r| r.id == id) {
            self.revealed = None;
            return Ok(());
        }
        let account = desk.session.reveal_external_id(id)?;
        let code = if pending_of_other {
            Some(desk.session.reveal_code(id)?)
        } else {
            None
        };
        desk.info(if code.is_some() {
            tr!("binding.revealed_code", id = id)
        } else {
            tr!("binding.revealed", id = id)
        });
        self.revealed = Some(Revealed { id, account, code });
        Ok(())
    }

    /// Runs the audit as of today, as a job (see [`crate::app::job`]).
    pub(super) fn run_audit(desk: &mut Desk) {
        let settings = AuditSettings::new(desk.today());
        desk.run_job(ID, tr!("job.auditing"), move |session, progress| {
            session.audit_bindings_with(settings, progress)
        });
    }

    /// Lists what the audit found.
    pub(super) fn audited(&mut self, desk: &mut Desk, report: AuditReport) {
        let total = report.findings.len();
        let critical = report.run.counts[0];
        self.findings = report.findings;
        self.show_listing(desk, Listing::Findings);
        desk.info(if total == 0 {
            tr!("binding.audit_clean")
        } else {
            tr!("binding.audit_found", count = total, critical = critical)
        });
    }

    /// Asks before unbinding every departed employee's account among the
    /// findings, counting only those still live with their employee still
    /// departed as the store has them now (a colleague may have acted
    /// since the audit).
    pub(super) fn ask_unbind_critical(&mut self, desk: &mut Desk) -> Result<(), OpError> {
        let departed: Vec<Finding> = self
            .findings
            .iter()
            .filter(|f| f.kind == FindingKind::DepartedEmployee)
            .copied()
            .collect();
        let ids: Vec<BindingId> = departed.iter().map(|f| f.binding).collect();
        let still: foldhash::HashSet<BindingId> = desk
            .session
            .binding_rows(&ids)?
            .into_iter()
            .filter(|row| row.is_critical())
            .map(|row| row.binding.id)
            .collect();
        let critical: Vec<Finding> = departed
            .into_iter()
            .filter(|f| still.contains(&f.binding))
            .collect();
        if critical.is_empty() {
            desk.info(tr!("binding.no_critical"));
            return Ok(());
        }
        desk.ask(Confirm {
            title: tr!("binding.confirm.critical_title"),
            message: tr!("binding.confirm.critical", count = critical.len()),
            on_yes: Pending::Pane(Errand::new(ID, Ask::UnbindCritical(critical))),
        });
        Ok(())
    }

    /// Drops the findings of accounts no longer live (unbound here or by
    /// a colleague since the audit): they are settled.
    fn settle_findings(&mut self, desk: &Desk) -> Result<(), OpError> {
        let ids: Vec<BindingId> = self.findings.iter().map(|f| f.binding).collect();
        let live: foldhash::HashSet<BindingId> = desk
            .session
            .binding_rows(&ids)?
            .into_iter()
            .filter(|row| row.binding.state.is_live())
            .map(|row| row.binding.id)
            .collect();
        self.findings.retain(|f| live.contains(&f.binding));
        Ok(())
    }

    /// Carries out a confirmed Bindings question.
    pub(super) fn run_binding_pending(&mut self, desk: &mut Desk, pending: &Ask) {
        let result = match *pending {
            Ask::CancelUnbind(id) => desk
                .session
                .cancel_unbind(id)
                .map(|_| tr!("binding.cancelled", id = id)),
            Ask::ExpireUnbind(id) => desk
                .session
                .expire_unbind(id, DEFAULT_PENDING_DAYS)
                .map(|_| tr!("binding.expired", id = id)),
            Ask::UnbindCritical(ref findings) => {
                desk.session.unbind_departed(findings).and_then(|count| {
                    self.settle_findings(desk)?;
                    Ok(tr!("binding.critical_unbound", count = count))
                })
            }
        };
        match result {
            Ok(message) => {
                desk.wrote(Changes::bindings());
                desk.info(message);
            }
            Err(err) => desk.error(err.to_string()),
        }
    }

    /// Submits a Bindings form.
    pub(super) fn submit_binding(
        &mut self,
        desk: &mut Desk,
        form: &Form<Errand>,
        which: BindingForm,
    ) -> Submitted {
        use ids::*;
        let reader = FormReader::new(form);
        let session = &desk.session;
        let result = match which {
            BindingForm::Bind => return self.submit_bind(desk, reader),
            BindingForm::RequestUnbind(id) => session
                .request_unbind(id, read_reason(&reader))
                .map(|_| tr!("binding.requested", id = id)),
            BindingForm::Force(id) => session
                .force_unbind(id, read_reason(&reader))
                .map(|_| tr!("binding.forced", id = id)),
            BindingForm::ConfirmCode => {
                let channel = read_channel(&reader);
                session
                    .confirm_unbind(&reader.text(CODE), channel)
                    .map(|b| tr!("binding.confirmed", id = b.id, channel = channel.label()))
            }
        };
        let field = match which {
            BindingForm::ConfirmCode => Some(CODE),
            _ => None,
        };
        result
            .map(|message| Done {
                message,
                select: None,
                changed: Changes::bindings(),
            })
            .map_err(|err| vec![(field, err.to_string())])
    }

    fn submit_bind(&mut self, desk: &mut Desk, mut reader: FormReader<'_>) -> Submitted {
        use ids::*;
        let emp_no = reader.text(EMP_NO);
        let employee = match desk.session.find_employee(&emp_no) {
            Ok(Some(employee)) => Some(employee),
            Ok(None) if emp_no.is_empty() => {
                reader.problem(EMP_NO, tr!("staff.check.required"));
                None
            }
            Ok(None) => {
                reader.problem(EMP_NO, tr!("staff.check.no_employee", emp_no = emp_no));
                None
            }
            Err(err) => return Err(vec![(None, err.to_string())]),
        };
        let account = reader.text(ACCOUNT);
        let provider = Provider::parse(reader.form.value(PROVIDER)).unwrap_or(Provider::WeCom);
        let Some(employee) = employee else {
            return Err(reader.problems);
        };
        let method = match reader.text(METHOD) {
            text if text.is_empty() => "manual".to_string(), // data: stored code
            text => text,
        };
        let new = crate::service::NewBinding {
            employee: employee.id,
            provider,
            external_id: account,
            bound_at: desk.session.now(),
            last_used: None,
            method,
        };
        match desk.session.bind(new) {
            Ok(bound) => {
                // The new binding is the last of all: show it there.
                self.listing = Listing::All;
                let page = desk.page();
                let shown = self
                    .reload(&desk.session, page)
                    .and_then(|()| self.navigate(Action::Last, &desk.session, page));
                if let Err(err) = shown {
                    return Err(vec![(None, err.to_string())]);
                }
                Ok(Done {
                    message: tr!("binding.bound", id = bound.id, name = employee.name),
                    select: None,
                    changed: Changes::default(),
                })
            }
            Err(err) => {
                let field = match &err {
                    OpError::Binding(BindingError::AlreadyBound { .. }) => Some(PROVIDER),
                    OpError::Binding(BindingError::Departed { .. }) => Some(EMP_NO),
                    OpError::Binding(_) => Some(ACCOUNT),
                    _ => None,
                };
                Err(vec![(field, err.to_string())])
            }
        }
    }
}
