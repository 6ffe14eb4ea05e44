//! The Bindings pane's actions and forms: binding an account, asking to
//! unbind (a reason; the employee confirms with the code the request
//! carries), entering a confirmation code, withdrawing a request (asks
//! first), forcing a departed employee's unbinding (a reason), expiring
//! an overdue request (asks first), revealing an account id, running the
//! audit and unbinding every departed employee's account it found (one
//! confirmation), and switching between the listings.

use super::Listing;
use crate::action::Action;
use crate::app::form::{ChoiceOption, Field, Form};
use crate::app::form::{Done, Refresh, Submitted};
use crate::app::form_reader::FormReader;
use crate::app::{App, Confirm, FormKind, Pending};
use crate::domain::binding::audit::{AuditSettings, DEFAULT_PENDING_DAYS, Finding, FindingKind};
use crate::domain::binding::{BindingError, BindingId, BindingState, Provider, UnbindReason};
use crate::service::OpError;
use crate::tr;

/// Which Bindings form is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BindingForm {
    Bind,
    RequestUnbind(BindingId),
    ConfirmCode,
    Force(BindingId),
}

/// Field ids of the Bindings forms.
mod ids {
    pub const EMP_NO: &str = "emp_no";
    pub const PROVIDER: &str = "provider";
    pub const ACCOUNT: &str = "external_id";
    pub const METHOD: &str = "method";
    pub const REASON: &str = "reason";
    pub const CODE: &str = "code";
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

fn read_reason(reader: &FormReader<'_>) -> UnbindReason {
    let code = reader.form.value(ids::REASON);
    UnbindReason::ALL
        .into_iter()
        .find(|r| r.code() == code)
        .unwrap_or(UnbindReason::AuditFinding)
}

impl App {
    /// Reads the Bindings pane again (it is read whenever it is opened).
    pub(in crate::app) fn reload_bindings(&mut self) {
        let page = self.page();
        if let Err(err) = self.bindings.reload(&self.session, page) {
            self.error(err.to_string());
        }
    }

    /// The Bindings pane's browse actions.
    pub(in crate::app) fn bindings_action(&mut self, action: Action) {
        if let Some(refused) = &self.bindings.refused {
            let refused = refused.clone();
            self.error(refused);
            return;
        }
        let result = match action {
            Action::Add => {
                self.open_bind_form();
                Ok(())
            }
            Action::ConfirmUnbind => {
                let fields = vec![Field::text(ids::CODE, tr!("binding.field.code"), "")];
                let kind = FormKind::Binding(BindingForm::ConfirmCode);
                self.form = Some(Form::new(kind, tr!("binding.form.confirm"), fields));
                Ok(())
            }
            Action::RequestUnbind | Action::ForceUnbind | Action::CancelUnbind => {
                self.on_selected(action);
                Ok(())
            }
            Action::ExpireUnbind => {
                self.ask_expire();
                Ok(())
            }
            Action::Reveal => self.reveal_account(),
            Action::Audit => self.run_audit(),
            Action::UnbindCritical => {
                self.ask_unbind_critical();
                Ok(())
            }
            Action::NextListing => {
                let next = match self.bindings.listing {
                    Listing::All => Listing::Pending,
                    Listing::Pending => Listing::Findings,
                    Listing::Findings | Listing::Search(_) => Listing::All,
                };
                self.show_listing(next);
                Ok(())
            }
            Action::Back => {
                self.bindings.query.clear();
                self.show_listing(Listing::All);
                Ok(())
            }
            _ => Ok(()),
        };
        if let Err(err) = result {
            self.error(err.to_string());
        }
    }

    /// Lists the bindings the search line names, or all when it is empty.
    pub(in crate::app) fn search_bindings(&mut self) {
        let text = self.bindings.query.text().trim().to_string();
        if text.is_empty() {
            self.show_listing(Listing::All);
        } else {
            self.show_listing(Listing::Search(text));
        }
    }

    /// Lists `listing`, from its start.
    pub(in crate::app) fn show_listing(&mut self, listing: Listing) {
        self.bindings.listing = listing;
        self.bindings.rows.clear();
        self.bindings.offset = 0;
        self.bindings.selected = 0;
        self.reload_bindings();
    }

    fn open_bind_form(&mut self) {
        let providers = Provider::ALL
            .iter()
            .map(|p| ChoiceOption::new(p.code(), p.label()))
            .collect();
        let emp_no = self
            .bindings
            .selected_row()
            .and_then(|r| r.employee.as_ref())
            .map(|e| e.emp_no.clone())
            .unwrap_or_default();
        let fields = vec![
            Field::text(ids::EMP_NO, tr!("staff.field.emp_no"), &emp_no),
            Field::choice(
                ids::PROVIDER,
                tr!("binding.field.provider"),
                providers,
                Provider::WeCom.code(),
            ),
            Field::text(ids::ACCOUNT, tr!("binding.field.account"), ""),
            Field::text(ids::METHOD, tr!("binding.field.method"), "manual"), // data: stored code
        ];
        let kind = FormKind::Binding(BindingForm::Bind);
        self.form = Some(Form::new(kind, tr!("binding.form.bind"), fields));
    }

    /// Opens what `action` does to the selected binding.
    fn on_selected(&mut self, action: Action) {
        let Some(row) = self.bindings.selected_row() else {
            self.info(tr!("binding.select_first"));
            return;
        };
        let id = row.binding.id;
        let provider = row.binding.provider.label();
        match action {
            Action::RequestUnbind => {
                let title = tr!("binding.form.request", id = id, provider = provider);
                let kind = FormKind::Binding(BindingForm::RequestUnbind(id));
                let fields = vec![reason_field(UnbindReason::ChangedAccount)];
                self.form = Some(Form::new(kind, title, fields));
            }
            Action::ForceUnbind => {
                let title = tr!("binding.form.force", id = id, provider = provider);
                let kind = FormKind::Binding(BindingForm::Force(id));
                let fields = vec![reason_field(UnbindReason::Departure)];
                self.form = Some(Form::new(kind, title, fields));
            }
            _ => {
                if !matches!(row.binding.state, BindingState::PendingUnbind { .. }) {
                    self.info(tr!("binding.not_pending"));
                    return;
                }
                self.confirm = Some(Confirm {
                    title: tr!("binding.confirm.cancel_title"),
                    message: tr!("binding.confirm.cancel", id = id),
                    on_yes: Pending::CancelUnbind(id),
                });
            }
        }
    }

    fn ask_expire(&mut self) {
        let Some(row) = self.bindings.selected_row() else {
            self.info(tr!("binding.select_first"));
            return;
        };
        let id = row.binding.id;
        self.confirm = Some(Confirm {
            title: tr!("binding.confirm.expire_title"),
            message: tr!(
                "binding.confirm.expire",
                id = id,
                days = DEFAULT_PENDING_DAYS
            ),
            on_yes: Pending::ExpireUnbind(id),
        });
    }

    fn reveal_account(&mut self) -> Result<(), OpError> {
        let Some(row) = self.bindings.selected_row() else {
            return Ok(());
        };
        let id = row.binding.id;
        if self
            .bindings
            .revealed
            .as_ref()
            .is_some_and(|(r, _)| *r == id)
        {
            self.bindings.revealed = None;
            return Ok(());
        }
        let account = self.session.reveal_external_id(id)?;
        self.bindings.revealed = Some((id, account));
        self.info(tr!("binding.revealed", id = id));
        Ok(())
    }

    /// Runs the audit as of today and lists its findings.
    fn run_audit(&mut self) -> Result<(), OpError> {
        let report = self
            .session
            .audit_bindings(AuditSettings::new(self.today()))?;
        let total = report.findings.len();
        let critical = report.run.counts[0];
        self.bindings.findings = report.findings;
        self.show_listing(Listing::Findings);
        self.info(if total == 0 {
            tr!("binding.audit_clean")
        } else {
            tr!("binding.audit_found", count = total, critical = critical)
        });
        Ok(())
    }

    fn ask_unbind_critical(&mut self) {
        let critical: Vec<Finding> = self
            .bindings
            .findings
            .iter()
            .filter(|f| f.kind == FindingKind::DepartedEmployee)
            .copied()
            .collect();
        if critical.is_empty() {
            self.info(tr!("binding.no_critical"));
            return;
        }
        self.confirm = Some(Confirm {
            title: tr!("binding.confirm.critical_title"),
            message: tr!("binding.confirm.critical", count = critical.len()),
            on_yes: Pending::UnbindCritical(critical),
        });
    }

    /// Carries out a confirmed Bindings question.
    pub(in crate::app) fn run_binding_pending(&mut self, pending: Pending) {
        let result = match pending {
            Pending::CancelUnbind(id) => self
                .session
                .cancel_unbind(id)
                .map(|_| tr!("binding.cancelled", id = id)),
            Pending::ExpireUnbind(id) => self
                .session
                .expire_unbind(id, DEFAULT_PENDING_DAYS)
                .map(|_| tr!("binding.expired", id = id)),
            Pending::UnbindCritical(findings) => {
                let done = self.session.unbind_departed(&findings);
                if done.is_ok() {
                    // Every finding of an account now unbound is settled.
                    let unbound: foldhash::HashSet<BindingId> =
                        findings.iter().map(|f| f.binding).collect();
                    self.bindings
                        .findings
                        .retain(|f| !unbound.contains(&f.binding));
                }
                done.map(|count| tr!("binding.critical_unbound", count = count))
            }
            _ => return,
        };
        match result {
            Ok(message) => {
                self.reload_bindings();
                self.info(message);
            }
            Err(err) => self.error(err.to_string()),
        }
    }

    /// Submits a Bindings form.
    pub(in crate::app) fn submit_binding(
        &mut self,
        form: &Form<FormKind>,
        which: BindingForm,
    ) -> Submitted {
        use ids::*;
        let reader = FormReader::new(form);
        let session = &self.session;
        let result =
            match which {
                BindingForm::Bind => return self.submit_bind(reader),
                BindingForm::RequestUnbind(id) => session
                    .request_unbind(id, read_reason(&reader))
                    .map(|b| match &b.state {
                        BindingState::PendingUnbind { code, .. } => {
                            tr!("binding.requested", id = id, code = code)
                        }
                        _ => String::new(),
                    }),
                BindingForm::Force(id) => session
                    .force_unbind(id, read_reason(&reader))
                    .map(|_| tr!("binding.forced", id = id)),
                BindingForm::ConfirmCode => session
                    .confirm_unbind(&reader.text(CODE))
                    .map(|b| tr!("binding.confirmed", id = b.id)),
            };
        let field = match which {
            BindingForm::ConfirmCode => Some(CODE),
            _ => None,
        };
        result
            .map(|message| Done {
                message,
                select: None,
                refresh: Refresh::Bindings,
            })
            .map_err(|err| vec![(field, err.to_string())])
    }

    fn submit_bind(&mut self, mut reader: FormReader<'_>) -> Submitted {
        use ids::*;
        let emp_no = reader.text(EMP_NO);
        let employee = match self.session.find_employee(&emp_no) {
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
            bound_at: self.session.now(),
            last_used: None,
            method,
        };
        match self.session.bind(new) {
            Ok(bound) => {
                // The new binding is the last of all: show it there.
                self.bindings.listing = Listing::All;
                let page = self.page();
                let shown = self
                    .bindings
                    .reload(&self.session, page)
                    .and_then(|()| self.bindings.navigate(Action::Last, &self.session, page));
                if let Err(err) = shown {
                    return Err(vec![(None, err.to_string())]);
                }
                Ok(Done {
                    message: tr!("binding.bound", id = bound.id, name = employee.name),
                    select: None,
                    refresh: Refresh::Nothing,
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
