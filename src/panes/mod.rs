//! The console's panes, each in its own folder behind the
//! [`Pane`](crate::app::pane::Pane) trait: its state and `Pane` impl in
//! `mod.rs`, its keys in `keys.rs`, its forms in `forms.rs`, its drawing in
//! `view.rs`. [`all`] registers them: the tabs in tab order (`1`…`5`), and
//! the views opened over them (`g d`, `g o`, `g l`, `g s`). A new pane is one
//! folder here and one line in [`all`].

pub mod bindings;
pub mod departments;
pub mod goals;
pub mod log;
pub mod operators;
pub mod scheduled;
pub mod scoring;
pub mod staff;
pub mod vendors;

use crate::app::pane::Pane;

/// Every pane of the console, in tab order, then the views.
pub fn all() -> Vec<Box<dyn Pane>> {
    vec![
        Box::new(staff::StaffView::default()),
        Box::new(goals::GoalsView::default()),
        Box::new(scoring::ScoringView::default()),
        Box::new(bindings::BindingsView::default()),
        Box::new(vendors::VendorsView::default()),
        Box::new(departments::DepartmentsView::default()),
        Box::new(operators::OperatorsView::default()),
        Box::new(log::LogView::default()),
        Box::new(scheduled::ScheduledView::default()),
    ]
}
