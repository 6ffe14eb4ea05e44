//! The Vendors pane's entry forms: what the selected vendor's demo and
//! pilot showed with the evaluators' marks, and a new selection project
//! with its criteria (with their scales) and bands written one line each
//! (see `domain::vendor::text`), what a vendor not piloted comes to, the
//! quarters the implementation falls due in and the cost lines that rise.
//! Every problem is shown on its field.

use super::forms::VendorForm;
use super::{ID, VendorsView};
use crate::app::changes::Changes;
use crate::app::desk::Desk;
use crate::app::form::{ChoiceOption, Field, Form};
use crate::app::form::{Done, FieldErrors, FormReader, Submitted};
use crate::app::pane::Errand;
use crate::domain::cleanup::{parse_money, parse_number};
use crate::domain::employee::format_money;
use crate::domain::vendor::case::retail_case;
use crate::domain::vendor::rules::{RuleError, check_project, check_vendor};
use crate::domain::vendor::text::{
    bands_text, criteria_text, items, parse_bands, parse_criteria, parse_ratings, ratings_text,
};
use crate::domain::vendor::{
    DemoResult, Deployment, Escalation, Pilot, Project, ProjectId, Quarter, Unpiloted, Vendor,
    VendorId, scorecard,
};
use crate::service::OpError;
use crate::tr;

/// Field ids of the entry forms; the ids of numbers are the names the
/// vendor rules give them, so a refusal lands on its field.
mod ids {
    pub const MATCHED: &str = "matched";
    pub const USABILITY: &str = "usability";
    pub const COMPATIBILITY: &str = "compatibility";
    pub const DEPARTMENT: &str = "department";
    pub const WEEKS: &str = "weeks";
    pub const CRASHES: &str = "crashes";
    pub const TASK: &str = "task";
    pub const DAYS_BEFORE: &str = "days_before";
    pub const DAYS_AFTER: &str = "days_after";
    pub const SATISFACTION: &str = "satisfaction_pct";
    pub const RATINGS: &str = "ratings";
    pub const NAME: &str = "name";
    pub const HEADCOUNT: &str = "headcount";
    pub const INDUSTRY: &str = "industry";
    pub const DEPLOYMENT: &str = "deployment";
    pub const MODULES: &str = "modules";
    pub const BUDGET: &str = "annual_budget";
    pub const HORIZON: &str = "horizon_years";
    pub const GROWTH: &str = "growth_pct";
    pub const CRITERIA: &str = "criteria";
    pub const BANDS: &str = "bands";
    pub const UNPILOTED: &str = "unpiloted";
    pub const IMPLEMENTATION: &str = "implementation_quarters";
    pub const ESCALATION: &str = "escalation";
    /// The demo's fields: all blank means no demo.
    pub const DEMO: [&str; 3] = [MATCHED, USABILITY, COMPATIBILITY];
    /// The pilot's fields: all blank means no pilot.
    pub const PILOT: [&str; 7] = [
        DEPARTMENT,
        WEEKS,
        CRASHES,
        TASK,
        DAYS_BEFORE,
        DAYS_AFTER,
        SATISFACTION,
    ];
}

/// A whole number of at least 0.
fn count(text: &str) -> Result<u32, String> {
    parse_number(text)
        .ok()
        .filter(|n| n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(n))
        .map(|n| n as u32)
        .ok_or_else(|| tr!("vendor.pane.count", value = text))
}

/// The quarters of year 1 written `1;3` (or `Q1;Q3`).
fn quarters(text: &str) -> Result<Vec<u8>, String> {
    items(text)
        .iter()
        .map(|q| {
            q.trim_start_matches(['Q', 'q'])
                .parse()
                .map_err(|_| tr!("vendor.pane.quarter_value", value = q))
        })
        .collect()
}

/// The cost lines that rise, written `software;maintenance`.
fn rising(text: &str) -> Result<Escalation, String> {
    let mut rises = Escalation::NONE;
    for line in items(text) {
        match line.to_lowercase().as_str() {
            "software" => rises.software = true,
            "training" => rises.training = true,
            "maintenance" => rises.maintenance = true,
            _ => return Err(tr!("vendor.pane.cost_line", value = line)),
        }
    }
    Ok(rises)
}

/// The cost lines that rise, as the form writes them.
fn rising_text(rises: Escalation) -> String {
    rises
        .lines()
        .into_iter()
        .filter_map(|(line, rises)| rises.then_some(line))
        .collect::<Vec<_>>()
        .join(";")
}

/// The field a refusal of the vendor rules belongs to, when one of `form`'s.
fn field_of(form: &Form<Errand>, err: &RuleError) -> Option<&'static str> {
    let field = match err {
        RuleError::OutOfRange { field, .. } if form.fields.iter().any(|f| f.id == *field) => field,
        RuleError::OutOfRange {
            field: "rating", ..
        }
        | RuleError::UnknownRubric(_) => ids::RATINGS,
        RuleError::NoName | RuleError::NameTaken(_) => ids::NAME,
        RuleError::Criteria(_) => ids::CRITERIA,
        _ => return None,
    };
    Some(field)
}

/// A session's refusal placed on its field.
fn placed(form: &Form<Errand>, err: OpError) -> FieldErrors {
    let field = match &err {
        OpError::Vendor(rule) => field_of(form, rule),
        _ => None,
    };
    vec![(field, err.to_string())]
}

/// Whether every one of `fields` is blank.
fn blank(reader: &FormReader<'_>, fields: &[&str]) -> bool {
    fields.iter().all(|id| reader.text(id).is_empty())
}

/// A number as the form shows it: blank when there is none.
fn shown(value: Option<impl ToString>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

impl VendorsView {
    /// Opens the demo and pilot form of the selected vendor.
    pub(super) fn open_results_form(&mut self, desk: &mut Desk) {
        let vendor = self.selected_vendor().and_then(|id| {
            let report = self.report.as_ref()?;
            report.vendors.iter().find(|v| v.id == id)
        });
        let Some(vendor) = vendor else {
            desk.info(tr!("vendor.pane.none"));
            return;
        };
        let demo = vendor.demo.as_ref();
        let pilot = vendor.pilot.as_ref();
        let entries = [
            (
                ids::MATCHED,
                tr!("vendor.pane.field_matched"),
                shown(demo.map(|d| d.matched.join(";"))),
            ),
            (
                ids::USABILITY,
                tr!("vendor.pane.field_usability"),
                shown(demo.map(|d| d.usability)),
            ),
            (
                ids::COMPATIBILITY,
                tr!("vendor.pane.field_compatibility"),
                shown(demo.map(|d| d.compatibility)),
            ),
            (
                ids::DEPARTMENT,
                tr!("vendor.pane.field_department"),
                shown(pilot.map(|p| p.department.clone())),
            ),
            (
                ids::WEEKS,
                tr!("vendor.pane.field_weeks"),
                shown(pilot.map(|p| p.weeks)),
            ),
            (
                ids::CRASHES,
                tr!("vendor.pane.field_crashes"),
                shown(pilot.map(|p| p.crashes)),
            ),
            (
                ids::TASK,
                tr!("vendor.pane.field_task"),
                shown(pilot.map(|p| p.task.clone())),
            ),
            (
                ids::DAYS_BEFORE,
                tr!("vendor.pane.field_days_before"),
                shown(pilot.map(|p| p.days_before)),
            ),
            (
                ids::DAYS_AFTER,
                tr!("vendor.pane.field_days_after"),
                shown(pilot.map(|p| p.days_after)),
            ),
            (
                ids::SATISFACTION,
                tr!("vendor.pane.field_satisfaction"),
                shown(pilot.map(|p| p.satisfaction_pct)),
            ),
            (
                ids::RATINGS,
                tr!("vendor.pane.field_ratings"),
                ratings_text(&vendor.ratings),
            ),
        ];
        let fields = entries
            .into_iter()
            .map(|(id, label, value)| Field::text(id, label, &value))
            .collect();
        let kind = Errand::new(ID, VendorForm::Results(vendor.id));
        let title = tr!("vendor.pane.results_title", vendor = vendor.name);
        desk.form = Some(Form::new(kind, title, fields));
    }

    /// Reads the demo and pilot form and saves the vendor.
    pub(super) fn submit_results(
        &mut self,
        desk: &mut Desk,
        form: &Form<Errand>,
        id: VendorId,
    ) -> Submitted {
        let found = self.report.as_ref().and_then(|report| {
            let vendor = report.vendors.iter().find(|v| v.id == id)?;
            Some((vendor.clone(), report.project.clone()))
        });
        let Some((stored, project)) = found else {
            return Err(vec![(None, tr!("vendor.pane.none"))]);
        };
        let mut reader = FormReader::new(form);
        let demo = read_demo(&mut reader);
        let pilot = read_pilot(&mut reader);
        let ratings = reader.optional(ids::RATINGS, parse_ratings);
        if !reader.problems.is_empty() {
            return Err(reader.problems);
        }
        let base = Vendor {
            demo: None,
            pilot: None,
            ratings: Vec::new(),
            ..stored
        };
        let parts = [
            Vendor {
                demo: demo.clone(),
                ..base.clone()
            },
            Vendor {
                pilot: pilot.clone(),
                ..base.clone()
            },
            Vendor {
                ratings: ratings.clone().unwrap_or_default(),
                ..base.clone()
            },
        ];
        for part in &parts {
            if let Err(err) = check_vendor(part, &project) {
                reader
                    .problems
                    .push((field_of(form, &err), err.to_string()));
            }
        }
        if !reader.problems.is_empty() {
            return Err(reader.problems);
        }
        let vendor = Vendor {
            demo,
            pilot,
            ratings: ratings.unwrap_or_default(),
            ..base
        };
        let saved = desk
            .session
            .update_vendor(vendor)
            .map_err(|err| placed(form, err))?;
        Ok(Done {
            message: tr!("vendor.pane.results_saved", vendor = saved.name),
            select: None,
            changed: Changes::vendors(),
        })
    }

    /// Opens the project form: to `edit` the project on screen, all of it
    /// filled in; or for a new one, its criteria and bands those of the
    /// project on screen (or the retail case's).
    pub(super) fn open_project_form(&mut self, desk: &mut Desk, edit: bool) {
        let on_screen = self.project().cloned();
        if edit && on_screen.is_none() {
            desk.info(tr!("vendor.pane.none"));
            return;
        }
        let template = on_screen.clone().unwrap_or_else(|| retail_case().0);
        let (name, headcount, budget) = match &on_screen {
            Some(project) if edit => (
                project.name.clone(),
                project.headcount.to_string(),
                format_money(project.annual_budget),
            ),
            _ => Default::default(),
        };
        let deployments = [Deployment::Saas, Deployment::PrivateCloud]
            .map(|d| ChoiceOption::new(d.code(), deployment_label(d)))
            .to_vec();
        let horizons = super::forms::numbered(3, |years| tr!("vendor.pane.horizon", years = years));
        let unpiloted = [Unpiloted::Reweight, Unpiloted::Disqualify]
            .map(|u| ChoiceOption::new(u.code(), u.label()))
            .to_vec();
        let due: Vec<String> = template
            .implementation_quarters
            .iter()
            .map(u8::to_string)
            .collect();
        let fields = vec![
            Field::text(ids::NAME, tr!("vendor.pane.field_name"), &name),
            Field::text(
                ids::HEADCOUNT,
                tr!("vendor.pane.field_headcount"),
                &headcount,
            ),
            Field::text(
                ids::INDUSTRY,
                tr!("vendor.pane.field_industry"),
                &template.industry,
            ),
            Field::choice(
                ids::DEPLOYMENT,
                tr!("vendor.pane.field_deployment"),
                deployments,
                template.deployment.code(),
            ),
            Field::text(
                ids::MODULES,
                tr!("vendor.pane.field_modules"),
                &template.modules.join(";"),
            ),
            Field::text(ids::BUDGET, tr!("vendor.pane.field_budget"), &budget),
            Field::choice(
                ids::HORIZON,
                tr!("vendor.pane.field_horizon"),
                horizons,
                &template.horizon_years.to_string(),
            ),
            Field::text(
                ids::GROWTH,
                tr!("vendor.pane.field_growth"),
                &template.growth_pct.to_string(),
            ),
            Field::text(
                ids::CRITERIA,
                tr!("vendor.pane.field_criteria"),
                &criteria_text(&template.criteria),
            ),
            Field::text(
                ids::BANDS,
                tr!("vendor.pane.field_bands"),
                &bands_text(&template.bands),
            ),
            Field::choice(
                ids::UNPILOTED,
                tr!("vendor.pane.field_unpiloted"),
                unpiloted,
                template.unpiloted.code(),
            ),
            Field::text(
                ids::IMPLEMENTATION,
                tr!("vendor.pane.field_implementation"),
                &due.join(";"),
            ),
            Field::text(
                ids::ESCALATION,
                tr!("vendor.pane.field_escalation"),
                &rising_text(template.escalation),
            ),
        ];
        let (kind, title) = match on_screen.filter(|_| edit) {
            Some(project) => (
                VendorForm::EditProject(project.id),
                tr!("vendor.pane.edit_title", name = project.name),
            ),
            None => (VendorForm::AddProject, tr!("vendor.pane.add_title")),
        };
        desk.form = Some(Form::new(Errand::new(ID, kind), title, fields));
    }

    /// Reads the project form and starts the project (or, with `editing`,
    /// changes that one, keeping its chosen vendor), then shows it.
    pub(super) fn submit_project(
        &mut self,
        desk: &mut Desk,
        form: &Form<Errand>,
        editing: Option<ProjectId>,
    ) -> Submitted {
        let mut reader = FormReader::new(form);
        let name = reader.text(ids::NAME);
        let headcount = reader.required(ids::HEADCOUNT, count);
        let annual_budget = reader.required(ids::BUDGET, parse_money);
        let growth_pct = reader.required(ids::GROWTH, parse_number);
        let criteria = reader.required(ids::CRITERIA, parse_criteria);
        let bands = reader.required(ids::BANDS, parse_bands);
        let implementation_quarters = reader.required(ids::IMPLEMENTATION, quarters);
        let escalation = reader.optional(ids::ESCALATION, rising);
        let unpiloted = [Unpiloted::Disqualify, Unpiloted::Reweight]
            .into_iter()
            .find(|u| u.code() == form.value(ids::UNPILOTED))
            .unwrap_or(Unpiloted::Reweight);
        let deployment = [Deployment::Saas, Deployment::PrivateCloud]
            .into_iter()
            .find(|d| d.code() == form.value(ids::DEPLOYMENT))
            .unwrap_or(Deployment::Saas);
        let (
            Some(headcount),
            Some(annual_budget),
            Some(growth_pct),
            Some(criteria),
            Some(bands),
            Some(implementation_quarters),
        ) = (
            headcount,
            annual_budget,
            growth_pct,
            criteria,
            bands,
            implementation_quarters,
        )
        else {
            return Err(reader.problems);
        };
        if !reader.problems.is_empty() {
            return Err(reader.problems);
        }
        let kept = editing.and_then(|id| self.projects.iter().find(|p| p.id == id));
        let chosen = kept.and_then(|p| p.chosen);
        let chosen_from = kept.map_or(Quarter::FIRST, |p| p.chosen_from);
        let project = Project {
            id: editing.unwrap_or(ProjectId(0)),
            name,
            headcount,
            industry: reader.text(ids::INDUSTRY),
            deployment,
            modules: items(&reader.text(ids::MODULES)),
            annual_budget,
            horizon_years: form.value(ids::HORIZON).parse().unwrap_or(1),
            growth_pct,
            criteria,
            bands,
            chosen,
            chosen_from,
            unpiloted,
            implementation_quarters,
            escalation: escalation.unwrap_or(Escalation::NONE),
        };
        let checks = [
            check_project(&project),
            scorecard::check(&project).map_err(RuleError::from),
        ];
        for err in checks.into_iter().filter_map(Result::err) {
            reader
                .problems
                .push((field_of(form, &err), err.to_string()));
        }
        if !reader.problems.is_empty() {
            return Err(reader.problems);
        }
        if editing.is_some() {
            let saved = desk
                .session
                .update_vendor_project(project)
                .map_err(|err| placed(form, err))?;
            return Ok(Done {
                message: tr!("vendor.pane.project_saved", name = saved.name),
                select: None,
                changed: Changes::vendors(),
            });
        }
        let added = desk
            .session
            .add_vendor_project(project)
            .map_err(|err| placed(form, err))?;
        self.current = self.projects.len();
        self.projects.push(added.clone());
        self.selected = 0;
        Ok(Done {
            message: tr!(
                "vendor.pane.project_added",
                name = added.name,
                budget = format_money(added.annual_budget)
            ),
            select: None,
            changed: Changes::vendors(),
        })
    }
}

/// How a deployment is offered in the form.
fn deployment_label(deployment: Deployment) -> String {
    match deployment {
        Deployment::Saas => tr!("vendor.pane.deployment_saas"),
        Deployment::PrivateCloud => tr!("vendor.pane.deployment_private_cloud"),
    }
}

/// The demo's results, `None` when its fields are all blank.
fn read_demo(reader: &mut FormReader<'_>) -> Option<DemoResult> {
    if blank(reader, &ids::DEMO) {
        return None;
    }
    let usability = reader.required(ids::USABILITY, parse_number);
    let compatibility = reader.required(ids::COMPATIBILITY, parse_number);
    Some(DemoResult {
        matched: items(&reader.text(ids::MATCHED)),
        usability: usability?,
        compatibility: compatibility?,
    })
}

/// The pilot's results, `None` when its fields are all blank.
fn read_pilot(reader: &mut FormReader<'_>) -> Option<Pilot> {
    if blank(reader, &ids::PILOT) {
        return None;
    }
    let department = reader.text(ids::DEPARTMENT);
    if department.is_empty() {
        reader.problem(ids::DEPARTMENT, tr!("staff.check.required"));
    }
    let weeks = reader.required(ids::WEEKS, count);
    let crashes = reader.required(ids::CRASHES, count);
    let days_before = reader.required(ids::DAYS_BEFORE, parse_number);
    let days_after = reader.required(ids::DAYS_AFTER, parse_number);
    let satisfaction_pct = reader.required(ids::SATISFACTION, parse_number);
    Some(Pilot {
        department,
        weeks: weeks?,
        crashes: crashes?,
        task: reader.text(ids::TASK),
        days_before: days_before?,
        days_after: days_after?,
        satisfaction_pct: satisfaction_pct?,
    })
}
