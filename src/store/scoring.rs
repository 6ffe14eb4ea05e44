//! Appraisal cycles on disk: cycles by id; one sheet of ratings and
//! indicator values per employee and cycle; each cycle's log of grade
//! overrides; appeals by id; and who was appraised when a cycle closed.

use std::ops::{Bound, ControlFlow, RangeBounds};

use super::Store;
use super::backend::KeyRange;
use super::codec::{self, Record};
use super::error::StoreError;
use super::scoring_older as older;
use super::tables::{self, APPEALS, APPRAISED, COURSES, COURSES_KEY, CYCLES, OVERRIDES, SHEETS};
use super::writer::Writer;
use crate::domain::change::{EntityKey, Kind};
use crate::domain::employee::EmployeeId;
use crate::domain::scoring::appeal::{Appeal, AppealId};
use crate::domain::scoring::outcomes::CourseCatalogue;
use crate::domain::scoring::{
    Appraised, Basis, Cycle, CycleId, EntrySource, GradeOverride, IndicatorValue, RaterGroup,
    Rating, Sheet, SheetView,
};
use chrono::{DateTime, Utc};

impl Record for Cycle {
    /// Version 2: the settings name their precision and how many cycles
    /// running the improvement-plan rule counts.
    const VERSION: u16 = 2;

    /// Version 1 had neither: one decimal and two cycles, as it worked.
    fn from_older(version: u16, payload: &[u8]) -> Option<Result<Self, String>> {
        (version == 1).then(|| {
            let old: older::CycleV1 = codec::decode_payload(payload)?;
            Ok(old.into())
        })
    }
}

impl Record for Sheet {
    /// Version 2: each rating keeps how its relation was accepted and
    /// where it was entered; the sheet keeps the peers HR allowed.
    const VERSION: u16 = 2;

    /// Version 1 had neither: its ratings read as holding, entered at
    /// the console, and nobody allowed.
    fn from_older(version: u16, payload: &[u8]) -> Option<Result<Self, String>> {
        (version == 1).then(|| {
            let old: SheetV1 = codec::decode_payload(payload)?;
            Ok(Sheet {
                cycle: old.cycle,
                employee: old.employee,
                ratings: old.ratings.into_iter().map(RatingV1::upgraded).collect(),
                indicators: old.indicators,
                allowed_peers: Vec::new(),
            })
        })
    }
}

/// A sheet as layout version 1 kept it.
#[derive(serde::Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
struct SheetV1 {
    cycle: CycleId,
    employee: EmployeeId,
    ratings: Vec<RatingV1>,
    indicators: Vec<IndicatorValue>,
}

/// A rating as layout version 1 kept it.
#[derive(serde::Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
struct RatingV1 {
    cycle: CycleId,
    ratee: EmployeeId,
    rater: EmployeeId,
    group: RaterGroup,
    competency: String,
    value: u8,
    comment: String,
    recorded_by: String,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    recorded_at: DateTime<Utc>,
}

impl RatingV1 {
    fn upgraded(self) -> Rating {
        Rating {
            cycle: self.cycle,
            ratee: self.ratee,
            rater: self.rater,
            group: self.group,
            competency: self.competency,
            value: self.value,
            comment: self.comment,
            recorded_by: self.recorded_by,
            recorded_at: self.recorded_at,
            basis: Basis::Holds,
            source: EntrySource::Console,
        }
    }
}

impl Record for GradeOverride {
    const VERSION: u16 = 1;
}

impl Record for Appeal {
    const VERSION: u16 = 1;
}

impl Record for Appraised {
    /// Version 2: the goal result says what was missing, not only the
    /// achievement.
    const VERSION: u16 = 2;

    /// Version 1 kept an achievement or none (no goals).
    fn from_older(version: u16, payload: &[u8]) -> Option<Result<Self, String>> {
        (version == 1).then(|| {
            let old: older::AppraisedV1 = codec::decode_payload(payload)?;
            Ok(old.into())
        })
    }
}

impl Record for CourseCatalogue {
    const VERSION: u16 = 1;
}

/// The key of what belongs to one employee in one cycle.
fn pair_key(cycle: CycleId, employee: EmployeeId) -> u128 {
    (u128::from(cycle.0) << 64) | u128::from(employee.0)
}

/// All keys of one cycle's per-employee records.
fn cycle_range(cycle: CycleId) -> (u128, u128) {
    (
        pair_key(cycle, EmployeeId(0)),
        u128::from(cycle.0 + 1) << 64,
    )
}

impl Store {
    /// All cycles, by id.
    pub fn cycles(&self) -> Result<Vec<Cycle>, StoreError> {
        self.read(|txn| CYCLES.all(txn))
    }

    pub fn cycle(&self, id: CycleId) -> Result<Option<Cycle>, StoreError> {
        self.read(|txn| CYCLES.get(txn, &id.0))
    }

    /// One employee's sheet in a cycle, if anything was entered.
    pub fn sheet(&self, cycle: CycleId, employee: EmployeeId) -> Result<Option<Sheet>, StoreError> {
        self.read(|txn| SHEETS.get(txn, &pair_key(cycle, employee)))
    }

    /// Hands every sheet of a cycle to `visit`, by employee id, one at a
    /// time until it breaks: a large cycle is never held whole.
    pub fn each_sheet(
        &self,
        cycle: CycleId,
        mut visit: impl FnMut(Sheet) -> ControlFlow<()>,
    ) -> Result<(), StoreError> {
        self.scan_sheets(cycle_range(cycle), |key, bytes| {
            Ok(visit(SHEETS.decode(key, bytes)?))
        })
    }

    /// Like [`each_sheet`](Self::each_sheet), the sheets of the `employees`
    /// only (`..` for all), each decoded in place (its text borrowed,
    /// nothing copied): what a cycle is scored from, a share on each core.
    pub fn each_sheet_view(
        &self,
        cycle: CycleId,
        employees: impl RangeBounds<EmployeeId>,
        mut visit: impl FnMut(SheetView<'_>),
    ) -> Result<(), StoreError> {
        let (all_from, all_end) = cycle_range(cycle);
        let from = match employees.start_bound() {
            Bound::Included(&first) => pair_key(cycle, first),
            Bound::Excluded(&before) => pair_key(cycle, before).saturating_add(1),
            Bound::Unbounded => all_from,
        };
        let end = match employees.end_bound() {
            Bound::Excluded(&end) => pair_key(cycle, end),
            Bound::Included(&last) => pair_key(cycle, last).saturating_add(1),
            Bound::Unbounded => all_end,
        };
        self.scan_sheets((from, end.max(from)), |key, bytes| {
            if codec::version(bytes) == Some(Sheet::VERSION) {
                let view = codec::decode_as(bytes, Sheet::VERSION)
                    .map_err(|detail| SHEETS.undecodable(key, detail))?;
                visit(view);
            } else {
                // An earlier layout, read as a whole and brought up to date.
                visit(SHEETS.decode(key, bytes)?.view());
            }
            Ok(ControlFlow::Continue(()))
        })
    }

    /// Hands `visit` the key and stored bytes of each sheet from key
    /// `first` up to `end` (exclusive), in one read, until it breaks.
    fn scan_sheets(
        &self,
        (first, end): (u128, u128),
        mut visit: impl FnMut(&[u8], &[u8]) -> Result<ControlFlow<()>, StoreError>,
    ) -> Result<(), StoreError> {
        let (first, end) = (first.to_be_bytes(), end.to_be_bytes());
        let range = KeyRange {
            start: Bound::Included(&first),
            end: Bound::Excluded(&end),
            reverse: false,
        };
        self.read(|txn| SHEETS.scan(txn, range, |key, bytes| visit(key, bytes)))
    }

    /// Every sheet of a cycle, by employee id.
    pub fn sheets(&self, cycle: CycleId) -> Result<Vec<Sheet>, StoreError> {
        let (first, end) = cycle_range(cycle);
        self.read(|txn| SHEETS.range(txn, &first, &end))
    }

    /// A cycle's grade overrides, oldest first.
    pub fn overrides(&self, cycle: CycleId) -> Result<Vec<GradeOverride>, StoreError> {
        self.read(|txn| OVERRIDES.log(txn, cycle.0))
    }

    /// All appeals, by id.
    pub fn appeals(&self) -> Result<Vec<Appeal>, StoreError> {
        self.read(|txn| APPEALS.all(txn))
    }

    pub fn appeal(&self, id: AppealId) -> Result<Option<Appeal>, StoreError> {
        self.read(|txn| APPEALS.get(txn, &id.0))
    }

    /// The training course catalogue (empty until one is set).
    pub fn course_catalogue(&self) -> Result<CourseCatalogue, StoreError> {
        self.read(|txn| Ok(COURSES.get(txn, COURSES_KEY)?.unwrap_or_default()))
    }

    /// Who was appraised when `cycle` closed, by employee id.
    pub fn appraised(&self, cycle: CycleId) -> Result<Vec<Appraised>, StoreError> {
        let (first, end) = cycle_range(cycle);
        self.read(|txn| APPRAISED.range(txn, &first, &end))
    }
}

impl Writer<'_> {
    /// Stores a new cycle under a fresh id (the `id` given is ignored).
    pub fn add_cycle(&mut self, cycle: &Cycle) -> Result<Cycle, StoreError> {
        let stored = Cycle {
            id: CycleId(tables::next_id(self.txn, "cycle")?),
            ..cycle.clone()
        };
        CYCLES.put(self.txn, &stored.id.0, &stored)?;
        self.touch(EntityKey::Cycle(stored.id));
        Ok(stored)
    }

    /// Replaces the stored cycle with `cycle.id`; returns it as it was.
    pub fn update_cycle(&mut self, cycle: &Cycle) -> Result<Cycle, StoreError> {
        self.touch(EntityKey::Cycle(cycle.id));
        CYCLES
            .put(self.txn, &cycle.id.0, cycle)?
            .ok_or_else(|| StoreError::not_found("cycle", cycle.id))
    }

    /// Every cycle as this transaction sees them.
    pub fn all_cycles(&self) -> Result<Vec<Cycle>, StoreError> {
        CYCLES.all(self.txn)
    }

    /// The cycle with `id` as this transaction sees it.
    pub fn cycle(&self, id: CycleId) -> Result<Option<Cycle>, StoreError> {
        CYCLES.get(self.txn, &id.0)
    }

    /// The sheet of one employee in a cycle, as this transaction sees it.
    pub fn sheet(&self, cycle: CycleId, employee: EmployeeId) -> Result<Option<Sheet>, StoreError> {
        SHEETS.get(self.txn, &pair_key(cycle, employee))
    }

    /// Stores sheets, replacing those of the same employees and cycles.
    pub fn put_sheets(&mut self, sheets: &[Sheet]) -> Result<(), StoreError> {
        for sheet in sheets {
            SHEETS.put(self.txn, &pair_key(sheet.cycle, sheet.employee), sheet)?;
            self.touched
                .push(EntityKey::Sheet(sheet.cycle, sheet.employee));
        }
        Ok(())
    }

    /// Appends to a cycle's log of grade overrides.
    pub fn append_override(&mut self, change: &GradeOverride) -> Result<u32, StoreError> {
        self.touch(EntityKey::Sheet(change.cycle, change.employee));
        OVERRIDES.append(self.txn, change.cycle.0, change)
    }

    /// Stores a new appeal under a fresh id (the `id` given is ignored).
    pub fn add_appeal(&mut self, appeal: &Appeal) -> Result<Appeal, StoreError> {
        let stored = Appeal {
            id: AppealId(tables::next_id(self.txn, "appeal")?),
            ..appeal.clone()
        };
        APPEALS.put(self.txn, &stored.id.0, &stored)?;
        self.touch(EntityKey::Sheet(stored.cycle, stored.employee));
        Ok(stored)
    }

    /// Replaces the stored appeal with `appeal.id` (a new step).
    pub fn update_appeal(&mut self, appeal: &Appeal) -> Result<Appeal, StoreError> {
        self.touch(EntityKey::Sheet(appeal.cycle, appeal.employee));
        APPEALS
            .put(self.txn, &appeal.id.0, appeal)?
            .ok_or_else(|| StoreError::not_found("appeal", appeal.id))
    }

    /// Replaces the training course catalogue.
    pub fn set_course_catalogue(&mut self, catalogue: &CourseCatalogue) -> Result<(), StoreError> {
        COURSES.put(self.txn, COURSES_KEY, catalogue)?;
        self.announce(Kind::Cycle);
        Ok(())
    }

    /// Replaces the record of who was appraised in `cycle` (at its close).
    pub fn freeze_appraised(
        &mut self,
        cycle: CycleId,
        scores: &[Appraised],
    ) -> Result<(), StoreError> {
        let (first, end) = cycle_range(cycle);
        APPRAISED.clear(self.txn, &first, &end)?;
        for score in scores {
            APPRAISED.put(self.txn, &pair_key(cycle, score.employee), score)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::domain::audit::AuditRecord;
    use crate::domain::goal::Period;
    use crate::domain::scoring::{CycleConfig, CycleState};
    use crate::store::test_support::{at, new_file_store};

    fn cycle() -> Cycle {
        Cycle {
            id: CycleId(0),
            name: "2026 年度考评".into(),
            period: Period::Year(2026),
            starts: NaiveDate::from_ymd_opt(2026, 12, 1).expect("date"),
            ends: NaiveDate::from_ymd_opt(2026, 12, 31).expect("date"),
            scope: Vec::new(),
            state: CycleState::Open,
            config: CycleConfig::default(),
        }
    }

    fn sheet(cycle: CycleId, employee: u64, value: f64) -> Sheet {
        let mut sheet = Sheet::new(cycle, EmployeeId(employee));
        sheet.put_indicator(IndicatorValue {
            cycle,
            employee: EmployeeId(employee),
            indicator: "quality".into(),
            value,
            recorded_by: "hr".into(),
            recorded_at: at(1),
        });
        sheet
    }

    #[test]
    fn a_sheet_of_layout_1_reads_as_holding_entered_at_the_console() {
        let old = SheetV1 {
            cycle: CycleId(1),
            employee: EmployeeId(7),
            ratings: vec![RatingV1 {
                cycle: CycleId(1),
                ratee: EmployeeId(7),
                rater: EmployeeId(3),
                group: RaterGroup::Manager,
                competency: "teamwork".into(),
                value: 4,
                comment: "好".into(),
                recorded_by: "hr".into(),
                recorded_at: at(1),
            }],
            indicators: Vec::new(),
        };
        let payload =
            bincode::serde::encode_to_vec(&old, bincode::config::standard()).expect("encoded");
        let mut bytes = vec![1, 1, 0];
        bytes.extend(payload);
        let sheet: Sheet = codec::decode(&bytes).expect("read");
        assert_eq!(sheet.ratings[0].value, 4);
        assert_eq!(sheet.ratings[0].comment, "好");
        assert_eq!(sheet.ratings[0].basis, Basis::Holds);
        assert_eq!(sheet.ratings[0].source, EntrySource::Console);
        assert!(sheet.allowed_peers.is_empty());
        let again: Sheet = codec::decode(&codec::encode(&sheet).expect("written")).expect("read");
        assert_eq!(again, sheet, "written back in layout 2");
    }

    /// A sheet with every field set: an overridden relation, an import,
    /// an indicator and an allowed peer.
    fn full_sheet(cycle: CycleId, employee: u64) -> Sheet {
        let mut sheet = sheet(cycle, employee, 87.5);
        for (rater, basis) in [(3, Basis::Holds), (4, Basis::Override("跨部门".into()))] {
            sheet.put_rating(Rating {
                cycle,
                ratee: EmployeeId(employee),
                rater: EmployeeId(rater),
                group: RaterGroup::Peer,
                competency: "teamwork".into(),
                value: 4,
                comment: "配合好".into(),
                recorded_by: "hr".into(),
                recorded_at: at(2),
                basis,
                source: EntrySource::Import,
            });
        }
        sheet.allowed_peers.push(EmployeeId(4));
        sheet
    }

    #[test]
    fn sheets_decoded_in_place_read_as_the_stored_sheets_do() {
        let (_dir, _path, store) = new_file_store();
        let cycle = store
            .write("hr", at(1), |w| {
                let cycle = w.add_cycle(&cycle())?;
                w.put_sheets(&[full_sheet(cycle.id, 7), full_sheet(cycle.id, 9)])?;
                w.audit(AuditRecord::new("cycle.add", "cycle", "test"))?;
                Ok(cycle)
            })
            .expect("write");
        let whole = store.sheets(cycle.id).expect("sheets");
        let mut in_place = Vec::new();
        store
            .each_sheet_view(cycle.id, .., |view| in_place.push(format!("{view:?}")))
            .expect("read");
        let expected: Vec<String> = whole.iter().map(|s| format!("{:?}", s.view())).collect();
        assert_eq!(in_place, expected);
        assert_eq!(in_place.len(), 2);
        assert!(
            in_place[0].contains("Override(\"跨部门\")"),
            "{}",
            in_place[0]
        );
        let stored = codec::encode(&whole[0]).expect("encoded");
        assert_eq!(
            codec::decode_as::<SheetView>(&stored, Sheet::VERSION),
            Ok(whole[0].view()),
            "the view's fields are the sheet's, in its order"
        );
        for (employees, expected) in [
            ((Bound::Unbounded, Bound::Excluded(EmployeeId(9))), vec![7]),
            ((Bound::Included(EmployeeId(9)), Bound::Unbounded), vec![9]),
            (
                (
                    Bound::Excluded(EmployeeId(7)),
                    Bound::Included(EmployeeId(9)),
                ),
                vec![9],
            ),
            (
                (
                    Bound::Included(EmployeeId(8)),
                    Bound::Excluded(EmployeeId(9)),
                ),
                vec![],
            ),
            (
                (
                    Bound::Included(EmployeeId(9)),
                    Bound::Excluded(EmployeeId(7)),
                ),
                vec![],
            ),
        ] {
            let mut shared = Vec::new();
            store
                .each_sheet_view(cycle.id, employees, |view| shared.push(view.employee.0))
                .expect("read");
            assert_eq!(shared, expected, "a share of the sheets: {employees:?}");
        }
    }

    fn frozen(cycle: CycleId, employee: u64, achieved: f64) -> Appraised {
        Appraised {
            cycle,
            employee: EmployeeId(employee),
            goals: crate::domain::scoring::GoalResult::Achieved(achieved),
        }
    }

    #[test]
    fn cycles_keep_their_sheets_and_appraised_apart() {
        let (_dir, path, store) = new_file_store();
        let (first, second) = store
            .write("hr", at(1), |w| {
                let first = w.add_cycle(&cycle())?;
                let second = w.add_cycle(&cycle())?;
                w.put_sheets(&[sheet(first.id, 7, 90.0), sheet(second.id, 7, 50.0)])?;
                w.put_sheets(&[sheet(first.id, u64::MAX, 10.0)])?;
                w.freeze_appraised(
                    first.id,
                    &[frozen(first.id, 7, 80.0), frozen(first.id, 8, 90.0)],
                )?;
                w.freeze_appraised(first.id, &[frozen(first.id, 7, 95.0)])?;
                w.audit(AuditRecord::new("cycle.add", "cycle", "test"))?;
                Ok((first, second))
            })
            .expect("write");
        drop(store);
        let store = Store::open(&path).expect("reopen");
        assert_eq!(
            store.cycles().expect("cycles"),
            vec![first.clone(), second.clone()]
        );
        let values: Vec<f64> = store
            .sheets(first.id)
            .expect("sheets")
            .iter()
            .map(|s| s.indicators[0].value)
            .collect();
        assert_eq!(
            values,
            vec![90.0, 10.0],
            "the last employee id stays in its cycle"
        );
        assert_eq!(store.sheets(second.id).expect("sheets").len(), 1);
        let achieved: Vec<_> = store
            .appraised(first.id)
            .expect("frozen")
            .iter()
            .map(|f| f.goals.achieved())
            .collect();
        assert_eq!(achieved, vec![Some(95.0)], "freezing again replaces");
        assert!(store.appraised(second.id).expect("none").is_empty());
    }
}
