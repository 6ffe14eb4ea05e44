//! What an import remembers of the rows it has checked, so that the whole
//! file is checked without holding its rows: each number once in one
//! string (found by a fingerprint, compared in full), a 64-bit
//! fingerprint and the line of each national ID and name with phone, and
//! per row its node in the reporting graph, its manager and its status.
//! A manager whose own row came earlier (or who is in the database) is
//! resolved on the spot; one whose row is further down is kept by number
//! and resolved at the end, where the loops and the departures with active
//! reports are found. Two different national IDs (or names with phones)
//! share a fingerprint with a chance of about one in 10^7 for a sheet of
//! a million rows: the sheet is then refused as having a repeat, never
//! written with one.

use std::collections::hash_map::Entry;
use std::hash::BuildHasher;

use foldhash::fast::FixedState;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use super::{Planned, Problems};
use crate::domain::directory::Directory;
use crate::domain::employee::{Employee, EmployeeId, Status};
use crate::import::Column;
use crate::tr;

/// What must not occur twice: the column it is reported on and the values
/// (a second value only for name + phone), borrowed from the record.
type DuplicateKey<'a> = (Column, &'a str, &'a str);

/// A record's keys: its number, its national ID, its name with its phone.
fn duplicate_keys(e: &Employee) -> [Option<DuplicateKey<'_>>; 3] {
    [
        Some((Column::EmpNo, e.emp_no.as_str(), "")),
        (!e.national_id.is_empty()).then_some((Column::NationalId, e.national_id.as_str(), "")),
        (!e.phone.is_empty()).then_some((Column::Phone, e.name.as_str(), e.phone.as_str())),
    ]
}

/// A row checked: where it is in the graph, whom it reports to.
struct Seen {
    node: EmployeeId,
    boss: Option<EmployeeId>,
    line: u32,
    status: Status,
}

/// A manager named by number before that number's row was read.
struct Later {
    row: usize,
    line: usize,
    boss: Box<str>,
}

/// A row's manager, as far as it is known when the row is checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Boss {
    None,
    Known(EmployeeId),
    /// Named by a row further down; known once the file is read.
    Later,
}

/// The whole-file checks' memory of the rows (see the module's doc).
pub(super) struct Ledger<'d> {
    directory: &'d Directory,
    hasher: FixedState,
    /// Every row's number, one after another; `ends[i]` ends row `i`'s.
    numbers: String,
    ends: Vec<usize>,
    /// Row index by the fingerprint of its number; the rare number whose
    /// fingerprint an earlier, different number has is kept by text.
    by_number: HashMap<u64, u32>,
    clashes: HashMap<Box<str>, u32>,
    /// The first line of each national ID, and of each name with phone,
    /// by fingerprint.
    national_ids: HashMap<u64, u32>,
    name_phones: HashMap<u64, u32>,
    claimed_by_db: HashMap<DuplicateKey<'d>, &'d Employee>,
    rows: Vec<Seen>,
    later: Vec<Later>,
    /// Departed rows: their index and name, for the check of their reports.
    departed: Vec<(usize, Box<str>)>,
}

impl<'d> Ledger<'d> {
    pub(super) fn new(directory: &'d Directory) -> Self {
        let mut claimed_by_db = HashMap::new();
        for employee in directory.employees() {
            for key in duplicate_keys(employee).into_iter().skip(1).flatten() {
                claimed_by_db.insert(key, employee);
            }
        }
        Ledger {
            directory,
            hasher: FixedState::with_seed(0x6872_6465_736b),
            numbers: String::new(),
            ends: Vec::new(),
            by_number: HashMap::new(),
            clashes: HashMap::new(),
            national_ids: HashMap::new(),
            name_phones: HashMap::new(),
            claimed_by_db,
            rows: Vec::new(),
            later: Vec::new(),
            departed: Vec::new(),
        }
    }

    fn number(&self, row: usize) -> &str {
        let start = row.checked_sub(1).map_or(0, |before| self.ends[before]);
        &self.numbers[start..self.ends[row]]
    }

    /// The row of number `emp_no`, if one was checked.
    fn find(&self, emp_no: &str) -> Option<usize> {
        let at = *self.by_number.get(&self.hasher.hash_one(emp_no))? as usize;
        if self.number(at) == emp_no {
            Some(at)
        } else {
            self.clashes.get(emp_no).map(|&row| row as usize)
        }
    }

    /// Checks `row` against the rows before it and the database (its
    /// number, national ID and name with phone unique; its manager someone
    /// who stays, not itself) and remembers it as `node`; returns its
    /// manager as far as known now.
    pub(super) fn add(&mut self, row: &Planned, node: EmployeeId, problems: &mut Problems) -> Boss {
        let record = &row.record;
        let repeated = self.find(&record.emp_no);
        if let Some(first) = repeated {
            let line = self.rows[first].line;
            problems.add(
                row.line,
                Column::EmpNo,
                tr!("staff.import.duplicate_in_file", line = line),
            );
        }
        for key in duplicate_keys(record).into_iter().skip(1).flatten() {
            self.check_key(key, row, problems);
        }
        if repeated.is_some() {
            return Boss::None;
        }
        let boss = self.boss(row, problems);
        let index = self.rows.len();
        if record.status == Status::Departed {
            self.departed.push((index, record.name.as_str().into()));
        }
        self.remember(index, &record.emp_no);
        self.rows.push(Seen {
            node,
            boss: match boss {
                Boss::Known(id) => Some(id),
                Boss::None | Boss::Later => None,
            },
            line: u32::try_from(row.line).unwrap_or(u32::MAX),
            status: record.status,
        });
        boss
    }

    fn remember(&mut self, index: usize, emp_no: &str) {
        self.numbers.push_str(emp_no);
        self.ends.push(self.numbers.len());
        let slot = u32::try_from(index).unwrap_or(u32::MAX);
        let fingerprint = self.hasher.hash_one(emp_no);
        match self.by_number.entry(fingerprint) {
            Entry::Occupied(_) => {
                self.clashes.insert(emp_no.into(), slot);
            }
            Entry::Vacant(vacant) => {
                vacant.insert(slot);
            }
        }
    }

    /// A national ID or a name with phone seen before in the file, or held
    /// by someone else in the database.
    fn check_key(&mut self, key: DuplicateKey<'_>, row: &Planned, problems: &mut Problems) {
        let (column, first, second) = key;
        let fingerprint = self.hasher.hash_one((first, second));
        let seen = if column == Column::NationalId {
            &mut self.national_ids
        } else {
            &mut self.name_phones
        };
        if let Some(&line) = seen.get(&fingerprint) {
            problems.add(
                row.line,
                column,
                tr!("staff.import.duplicate_in_file", line = line),
            );
            return;
        }
        let line = u32::try_from(row.line).unwrap_or(u32::MAX);
        seen.insert(fingerprint, line);
        if let Some(holder) = self.claimed_by_db.get(&key)
            && holder.emp_no != row.record.emp_no
        {
            problems.add(
                row.line,
                column,
                tr!(
                    "staff.import.duplicate_in_db",
                    emp_no = holder.emp_no,
                    name = holder.name
                ),
            );
        }
    }

    /// The row's manager: not itself, someone who has not departed, in the
    /// rows before or the database, or else to be found further down.
    fn boss(&mut self, row: &Planned, problems: &mut Problems) -> Boss {
        let Some(boss_no) = row.manager_emp_no.as_deref() else {
            return Boss::None;
        };
        if boss_no == row.record.emp_no {
            problems.add(row.line, Column::Manager, tr!("staff.check.self_manager"));
            return Boss::None;
        }
        let found = match self.find(boss_no) {
            Some(at) => Some((self.rows[at].node, self.rows[at].status)),
            None => self.directory.by_emp_no(boss_no).map(|e| (e.id, e.status)),
        };
        match found {
            Some((_, Status::Departed)) => {
                problems.add(
                    row.line,
                    Column::Manager,
                    tr!("staff.check.departed_manager", name = boss_no),
                );
                Boss::None
            }
            Some((id, _)) => Boss::Known(id),
            None => {
                self.later.push(Later {
                    row: self.rows.len(),
                    line: row.line,
                    boss: boss_no.into(),
                });
                Boss::Later
            }
        }
    }

    /// The checks that need the whole file: managers whose own row is
    /// further down, loops, departures of people with active reports.
    /// Returns each of those rows' people with that manager.
    pub(super) fn finish(mut self, problems: &mut Problems) -> Vec<(EmployeeId, EmployeeId)> {
        let mut resolved = Vec::with_capacity(self.later.len());
        for later in std::mem::take(&mut self.later) {
            match self.find(&later.boss).map(|at| &self.rows[at]) {
                None => problems.add(
                    later.line,
                    Column::Manager,
                    tr!("staff.import.unknown_manager", emp_no = later.boss),
                ),
                Some(boss) if boss.status == Status::Departed => problems.add(
                    later.line,
                    Column::Manager,
                    tr!("staff.check.departed_manager", name = later.boss),
                ),
                Some(boss) => {
                    let boss = boss.node;
                    let row = &mut self.rows[later.row];
                    row.boss = Some(boss);
                    resolved.push((row.node, boss));
                }
            }
        }
        // The fingerprints are done with; the graph needs the room.
        self.by_number = HashMap::new();
        self.clashes = HashMap::new();
        self.national_ids = HashMap::new();
        self.name_phones = HashMap::new();
        self.claimed_by_db = HashMap::new();
        let bosses = self.bosses();
        self.check_loops(&bosses, problems);
        self.check_departures(&bosses, problems);
        resolved
    }

    /// Whom everyone reports to once the file is written: the database's
    /// lines, replaced by the file's for the people in it.
    fn bosses(&self) -> HashMap<EmployeeId, EmployeeId> {
        let mut bosses: HashMap<EmployeeId, EmployeeId> = self
            .directory
            .employees()
            .iter()
            .filter_map(|e| Some((e.id, e.manager?)))
            .collect();
        for row in &self.rows {
            match row.boss {
                Some(boss) => bosses.insert(row.node, boss),
                None => bosses.remove(&row.node),
            };
        }
        bosses
    }

    /// Rows on a loop of managers, each walked once.
    fn check_loops(&self, bosses: &HashMap<EmployeeId, EmployeeId>, problems: &mut Problems) {
        let on_loop = nodes_on_loops(bosses);
        if on_loop.is_empty() {
            return;
        }
        for (index, row) in self.rows.iter().enumerate() {
            if row.boss.is_some() && on_loop.contains(&row.node) {
                problems.add(
                    row.line as usize,
                    Column::Manager,
                    tr!("staff.import.manager_cycle", emp_no = self.number(index)),
                );
            }
        }
    }

    /// Nobody may end up departed while people who stay active report to them.
    fn check_departures(&self, bosses: &HashMap<EmployeeId, EmployeeId>, problems: &mut Problems) {
        if self.departed.is_empty() {
            return;
        }
        let mut reports: HashMap<EmployeeId, usize> = self
            .departed
            .iter()
            .map(|(index, _)| (self.rows[*index].node, 0))
            .collect();
        let in_file: HashMap<EmployeeId, Status> =
            self.rows.iter().map(|r| (r.node, r.status)).collect();
        let status = |id: EmployeeId| {
            in_file
                .get(&id)
                .copied()
                .or_else(|| self.directory.get(id).map(|e| e.status))
        };
        for (person, boss) in bosses {
            if let Some(count) = reports.get_mut(boss)
                && status(*person).is_some_and(|s| s != Status::Departed)
            {
                *count += 1;
            }
        }
        for (index, name) in &self.departed {
            let row = &self.rows[*index];
            if let Some(&count) = reports.get(&row.node).filter(|&&count| count > 0) {
                problems.add(
                    row.line as usize,
                    Column::Status,
                    tr!(
                        "staff.error.manages_active_staff",
                        name = name,
                        reports = count
                    ),
                );
            }
        }
    }
}

/// The people on a loop of `bosses` (someone who, following managers up,
/// comes back to themself); every person is walked once.
fn nodes_on_loops(bosses: &HashMap<EmployeeId, EmployeeId>) -> HashSet<EmployeeId> {
    let mut done: HashSet<EmployeeId> = HashSet::new();
    let mut on_loop = HashSet::new();
    let mut path: Vec<EmployeeId> = Vec::new();
    let mut on_path: HashMap<EmployeeId, usize> = HashMap::new();
    for &start in bosses.keys() {
        let mut node = Some(start);
        while let Some(id) = node.filter(|id| !done.contains(id)) {
            if let Some(&at) = on_path.get(&id) {
                on_loop.extend(path[at..].iter().copied());
                break;
            }
            on_path.insert(id, path.len());
            path.push(id);
            node = bosses.get(&id).copied();
        }
        on_path.clear();
        done.extend(path.drain(..));
    }
    on_loop
}
