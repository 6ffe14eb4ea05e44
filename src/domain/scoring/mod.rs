//! Appraisal scoring: cycles and their settings, scorecards (results R,
//! capability C from 360° ratings, final F = α·R + (1 − α)·C), grades and
//! their target distribution, calibration, appeals and what follows from a
//! grade (bonus, improvement plan, training). Pure rules, no storage.

pub mod calibration;
pub mod grade;
