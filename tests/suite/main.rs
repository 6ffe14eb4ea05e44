//! The integration tests, built as one binary so that the shared helpers
//! compile once and CI links one test program instead of one per file.
//! `common` drives the app in process through the real keymap; `e2e` runs
//! the real binary (headless commands, the TUI under tmux, SSH sessions).

mod common;
mod e2e;

mod app_scenarios;
mod bindings_cli;
mod bindings_pane;
mod bindings_session;
mod cli;
mod console_cells;
mod console_jobs;
mod console_loads;
mod console_palette;
mod console_terminal;
mod damaged_files;
mod demo_story;
mod departments_session;
mod events_cli;
mod export_streaming;
mod extra_pane;
mod form_fields;
mod goals_cli;
mod goals_pane;
mod goals_reading;
mod goals_session;
mod hidden_tabs;
mod import_streaming;
mod log_pane;
mod rating_relations;
mod readme_keys;
mod schedule_session;
mod scoring_breakdown;
mod scoring_cli;
mod scoring_pane;
mod scoring_pay_cli;
mod scoring_session;
mod search_table;
mod snapshots;
mod ssh_e2e;
mod staff_forms;
mod staff_import;
mod staff_reading;
mod staff_session;
mod team;
mod terminal_output;
mod tui_tmux;
mod vendors_cli;
mod vendors_pane;
mod vendors_session;
mod verify_cli;
