//! Every action the console can take has a name. The same names are used by
//! `keymap.toml`, the command palette and the help overlay.

/// The key-map sections; each is active in one mode (global and browse
/// together, and while browsing a pane, that pane's own section first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    Global,
    Browse,
    Staff,
    Goals,
    Scoring,
    Bindings,
    Vendors,
    Log,
    Filter,
    Form,
    Confirm,
    Help,
    Palette,
    /// Looked up first while a long job runs and the panes are browsed.
    Job,
}

impl Section {
    pub const ALL: [Section; 14] = [
        Section::Global,
        Section::Browse,
        Section::Staff,
        Section::Goals,
        Section::Scoring,
        Section::Bindings,
        Section::Vendors,
        Section::Log,
        Section::Filter,
        Section::Form,
        Section::Confirm,
        Section::Help,
        Section::Palette,
        Section::Job,
    ];

    /// The sections of one pane each, consulted before `browse`.
    pub const PANES: [Section; 6] = [
        Section::Staff,
        Section::Goals,
        Section::Scoring,
        Section::Bindings,
        Section::Vendors,
        Section::Log,
    ];

    /// The section's name in `keymap.toml`.
    pub fn name(self) -> &'static str {
        match self {
            Section::Global => "global",
            Section::Browse => "browse",
            Section::Staff => "staff",
            Section::Goals => "goals",
            Section::Scoring => "scoring",
            Section::Bindings => "bindings",
            Section::Vendors => "vendors",
            Section::Log => "log",
            Section::Filter => "filter",
            Section::Form => "form",
            Section::Confirm => "confirm",
            Section::Help => "help",
            Section::Palette => "palette",
            Section::Job => "job",
        }
    }

    /// Whether this is one pane's own section.
    pub fn is_pane(self) -> bool {
        Section::PANES.contains(&self)
    }

    pub fn from_name(name: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|s| s.name() == name)
    }

    /// Sections where unbound printable keys are typed as text.
    pub fn takes_text(self) -> bool {
        matches!(
            self,
            Section::Filter | Section::Form | Section::Help | Section::Palette
        )
    }
}

macro_rules! actions {
    ($( $variant:ident = $name:literal, [$($section:ident),+], $desc:literal; )+) => {
        /// A named action, bindable in `keymap.toml` and runnable from the palette.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $( $variant, )+
        }

        impl Action {
            /// Every named action, in the order help lists them.
            pub const ALL: &'static [Action] = &[ $( Action::$variant, )+ ];

            /// The action's identifier, as written in `keymap.toml`.
            pub fn name(self) -> &'static str {
                match self { $( Action::$variant => $name, )+ }
            }

            /// The sections in which the action may be bound.
            pub fn sections(self) -> &'static [Section] {
                match self { $( Action::$variant => &[$(Section::$section),+], )+ }
            }

            /// The i18n key of the action's one-line description.
            pub fn description_key(self) -> &'static str {
                match self { $( Action::$variant => $desc, )+ }
            }
        }
    };
}

actions! {
    Quit = "quit", [Global], "action.quit";
    NextTab = "next_tab", [Global], "action.next_tab";
    PrevTab = "prev_tab", [Global], "action.prev_tab";
    TabStaff = "tab_staff", [Global], "action.tab_staff";
    TabGoals = "tab_goals", [Global], "action.tab_goals";
    TabScoring = "tab_scoring", [Global], "action.tab_scoring";
    TabBindings = "tab_bindings", [Global], "action.tab_bindings";
    TabVendors = "tab_vendors", [Global], "action.tab_vendors";
    Help = "help", [Global], "action.help";
    Palette = "palette", [Global], "action.palette";
    Departments = "departments", [Global], "action.departments";
    Operators = "operators", [Global], "action.operators";
    Log = "log", [Global], "action.log";
    Scheduled = "scheduled", [Global], "action.scheduled";
    NextTheme = "next_theme", [Global], "action.next_theme";
    Up = "up", [Browse, Filter, Form, Help, Palette], "action.up";
    Down = "down", [Browse, Filter, Form, Help, Palette], "action.down";
    PageUp = "page_up", [Browse, Filter, Help], "action.page_up";
    PageDown = "page_down", [Browse, Filter, Help], "action.page_down";
    First = "first", [Browse, Help], "action.first";
    Last = "last", [Browse, Help], "action.last";
    Filter = "filter", [Browse], "action.filter";
    Sort = "sort", [Browse, Staff, Scoring], "action.sort";
    SortReverse = "sort_reverse", [Browse, Staff], "action.sort_reverse";
    Add = "add", [Browse], "action.add";
    Edit = "edit", [Browse], "action.edit";
    Move = "move", [Browse], "action.move";
    Remove = "remove", [Browse], "action.remove";
    Transfer = "transfer", [Browse, Staff], "action.transfer";
    Promote = "promote", [Browse, Staff], "action.promote";
    Leave = "leave", [Browse, Staff], "action.leave";
    ReturnFromLeave = "return_from_leave", [Browse, Staff], "action.return_from_leave";
    Depart = "depart", [Browse, Staff], "action.depart";
    Rehire = "rehire", [Browse, Staff], "action.rehire";
    Reveal = "reveal", [Browse, Staff, Bindings], "action.reveal";
    DepartmentFilter = "department_filter", [Browse, Staff, Goals], "action.department_filter";
    Expand = "expand", [Browse, Goals], "action.expand";
    Collapse = "collapse", [Browse, Goals], "action.collapse";
    Toggle = "toggle", [Browse, Goals], "action.toggle";
    AddTop = "add_top", [Browse, Goals], "action.add_top";
    RecordActual = "record_actual", [Browse, Goals, Vendors], "action.record_actual";
    NotAchieved = "not_achieved", [Browse, Goals], "action.not_achieved";
    Cascade = "cascade", [Browse, Goals], "action.cascade";
    Alignment = "alignment", [Browse, Goals], "action.alignment";
    NextCycle = "next_cycle", [Browse, Scoring, Vendors], "action.next_cycle";
    PrevCycle = "prev_cycle", [Browse, Scoring, Vendors], "action.prev_cycle";
    AdvanceCycle = "advance_cycle", [Browse, Scoring], "action.advance_cycle";
    Rate = "rate", [Browse, Scoring], "action.rate";
    OverrideGrade = "override_grade", [Browse, Scoring], "action.override_grade";
    Appeal = "appeal", [Browse, Scoring], "action.appeal";
    Distribution = "distribution", [Browse, Scoring], "action.distribution";
    Leniency = "leniency", [Browse, Scoring], "action.leniency";
    Normalise = "normalise", [Browse, Scoring], "action.normalise";
    Profile = "profile", [Browse, Scoring], "action.profile";
    Appeals = "appeals", [Browse, Scoring], "action.appeals";
    EnterIndicator = "enter_indicator", [Browse, Scoring], "action.enter_indicator";
    MissingOnly = "missing_only", [Browse, Scoring], "action.missing_only";
    Breakdown = "breakdown", [Browse, Scoring], "action.breakdown";
    ScrollDown = "scroll_down", [Browse, Scoring], "action.scroll_down";
    ScrollUp = "scroll_up", [Browse, Scoring], "action.scroll_up";
    RequestUnbind = "request_unbind", [Browse, Bindings], "action.request_unbind";
    ConfirmUnbind = "confirm_unbind", [Browse, Bindings], "action.confirm_unbind";
    CancelUnbind = "cancel_unbind", [Browse, Bindings], "action.cancel_unbind";
    ForceUnbind = "force_unbind", [Browse, Bindings], "action.force_unbind";
    ExpireUnbind = "expire_unbind", [Browse, Bindings], "action.expire_unbind";
    Audit = "audit", [Browse, Bindings], "action.audit";
    UnbindCritical = "unbind_critical", [Browse, Bindings], "action.unbind_critical";
    NextListing = "next_listing", [Browse, Bindings, Vendors], "action.next_listing";
    ChooseVendor = "choose_vendor", [Browse, Vendors], "action.choose_vendor";
    EditProject = "edit_project", [Browse, Vendors], "action.edit_project";
    Copy = "copy", [Browse], "action.copy";
    FilterFields = "filter_fields", [Browse, Log], "action.filter_fields";
    Open = "open", [Browse, Log], "action.open";
    Export = "export", [Browse, Log], "action.export";
    Detail = "detail", [Browse], "action.detail";
    Back = "back", [Browse], "action.back";
    NextField = "next_field", [Form], "action.next_field";
    PrevField = "prev_field", [Form], "action.prev_field";
    NextChoice = "next_choice", [Form], "action.next_choice";
    PrevChoice = "prev_choice", [Form], "action.prev_choice";
    CursorLeft = "cursor_left", [Filter, Form, Help, Palette], "action.cursor_left";
    CursorRight = "cursor_right", [Filter, Form, Help, Palette], "action.cursor_right";
    CursorHome = "cursor_home", [Filter, Form, Help, Palette], "action.cursor_home";
    CursorEnd = "cursor_end", [Filter, Form, Help, Palette], "action.cursor_end";
    DeleteBack = "delete_back", [Filter, Form, Help, Palette], "action.delete_back";
    DeleteForward = "delete_forward", [Filter, Form, Help, Palette], "action.delete_forward";
    ClearLine = "clear_line", [Filter, Form, Help, Palette], "action.clear_line";
    Complete = "complete", [Palette], "action.complete";
    Submit = "submit", [Filter, Form, Palette], "action.submit";
    Confirm = "confirm", [Confirm], "action.confirm";
    Cancel = "cancel", [Filter, Form, Confirm, Help, Palette], "action.cancel";
    CancelJob = "cancel_job", [Job], "action.cancel_job";
}

impl Action {
    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.name() == name)
    }

    /// Whether the action may be bound in `section`.
    pub fn allowed_in(self, section: Section) -> bool {
        self.sections().contains(&section)
    }

    /// Whether the action moves a selection (up, down, a page, to either end).
    pub fn is_move(self) -> bool {
        matches!(
            self,
            Action::Up
                | Action::Down
                | Action::PageUp
                | Action::PageDown
                | Action::First
                | Action::Last
        )
    }

    /// Whether the action adds, edits, moves or removes the selected record.
    pub fn is_edit(self) -> bool {
        matches!(
            self,
            Action::Add | Action::Edit | Action::Move | Action::Remove
        )
    }

    /// Actions the command palette offers: the global ones.
    pub fn runs_from_palette(self) -> bool {
        self.allowed_in(Section::Global)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_are_unique_and_round_trip() {
        let mut seen = HashSet::new();
        for &action in Action::ALL {
            assert!(seen.insert(action.name()), "duplicate {}", action.name());
            assert_eq!(Action::from_name(action.name()), Some(action));
        }
        assert_eq!(Action::from_name("no_such_action"), None);
    }

    #[test]
    fn section_names_round_trip() {
        for section in Section::ALL {
            assert_eq!(Section::from_name(section.name()), Some(section));
        }
    }
}
