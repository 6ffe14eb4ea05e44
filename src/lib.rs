//! hrdesk: a keyboard-driven terminal back-office console for HR departments.
//!
//! Layers (see `../shared/DESIGN.md`): `domain` (pure rules) ← `store` (redb)
//! ← `service` (one operator's authorised, validated, audited operations) ←
//! `app` (the one TUI state machine and the `Pane` trait), `panes` (one
//! folder per pane: its state, keys, forms and drawing), `ui` (the drawing
//! every pane shares) and `cli`
//! (headless commands), which share with the console the rows exports
//! write (`export`); `config` loads the keymap, themes and settings;
//! `team` says who the operator is and how colleagues reach the database
//! (SSH keys, the exchange folder); `i18n` owns every user-facing word;
//! `action` names what the console can do, for the keymap, the palette
//! and the help overlay alike (below `config` and `app`, which both use it);
//! `zone` is the time zone times are read and shown in; `memory` keeps
//! the allocator to two arenas and gives freed pages back to the system.

pub mod action;
pub mod app;
pub mod cli;
pub mod config;
pub mod cores;
pub mod demo;
pub mod domain;
pub mod export;
pub mod i18n;
pub mod import;
pub mod memory;
pub mod numbered;
pub mod panes;
pub mod search;
pub mod service;
pub mod signals;
pub mod store;
pub mod team;
pub mod text;
pub mod tui;
pub mod ui;
pub mod watch;
pub mod zone;
