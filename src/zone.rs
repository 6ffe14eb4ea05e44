//! The time zone hrdesk reads and shows times in: config.toml's `timezone`
//! (an IANA name such as `Asia/Shanghai`), else the system's. Moments are
//! stored in UTC; "today" is today in this zone; a time a sheet gives
//! without an offset is read in it; the console, text output and reports
//! show times in it, and CSV and JSON carry them with their offset.

use std::sync::RwLock;

use chrono::{DateTime, FixedOffset, Local, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// A time zone: a named one, or the system's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Zone(Option<Tz>);

impl Zone {
    /// The system's zone (the `TZ` variable, else /etc/localtime).
    pub const SYSTEM: Zone = Zone(None);

    pub fn named(zone: Tz) -> Zone {
        Zone(Some(zone))
    }

    /// The zone an IANA name (`Asia/Shanghai`, `UTC`) names, if any.
    pub fn parse(name: &str) -> Option<Zone> {
        name.trim().parse::<Tz>().ok().map(Zone::named)
    }

    /// `at` as a moment of this zone.
    pub fn local(self, at: DateTime<Utc>) -> DateTime<FixedOffset> {
        match self.0 {
            Some(zone) => at.with_timezone(&zone).fixed_offset(),
            None => at.with_timezone(&Local).fixed_offset(),
        }
    }

    /// The day `at` falls on in this zone.
    pub fn today(self, at: DateTime<Utc>) -> NaiveDate {
        self.local(at).date_naive()
    }

    /// The moment a wall-clock time of this zone names; of the two a clock
    /// turned back shows twice, the first; none for a time a clock turned
    /// forward skips.
    pub fn from_local(self, wall: NaiveDateTime) -> Option<DateTime<Utc>> {
        match self.0 {
            Some(zone) => zone
                .from_local_datetime(&wall)
                .earliest()
                .map(|m| m.to_utc()),
            None => Local
                .from_local_datetime(&wall)
                .earliest()
                .map(|m| m.to_utc()),
        }
    }
}

/// The zone of this process, once configuration set it.
static CURRENT: RwLock<Zone> = RwLock::new(Zone::SYSTEM);

/// Reads and shows times in `zone` from now on.
pub fn set(zone: Zone) {
    if let Ok(mut current) = CURRENT.write() {
        *current = zone;
    }
}

/// The zone times are read and shown in.
pub fn current() -> Zone {
    CURRENT.read().map_or(Zone::SYSTEM, |zone| *zone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_named_zone_gives_the_day_and_the_moment_of_its_clocks() {
        let shanghai = Zone::parse("Asia/Shanghai").expect("a zone");
        let late = Utc.with_ymd_and_hms(2026, 11, 23, 17, 30, 0).unwrap();
        assert_eq!(
            shanghai.today(late),
            NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
        );
        assert_eq!(
            shanghai.local(late).to_rfc3339(),
            "2026-11-24T01:30:00+08:00"
        );
        let wall = NaiveDate::from_ymd_opt(2026, 11, 23)
            .unwrap()
            .and_hms_opt(9, 30, 0)
            .unwrap();
        assert_eq!(
            shanghai.from_local(wall),
            Some(Utc.with_ymd_and_hms(2026, 11, 23, 1, 30, 0).unwrap())
        );
        assert_eq!(Zone::parse("Mars/Olympus"), None);
    }

    #[test]
    fn a_skipped_hour_names_no_moment_and_a_repeated_one_the_first() {
        let berlin = Zone::parse("Europe/Berlin").unwrap();
        let day = |d, h, m| {
            NaiveDate::from_ymd_opt(2026, 3, d)
                .unwrap()
                .and_hms_opt(h, m, 0)
                .unwrap()
        };
        assert_eq!(berlin.from_local(day(29, 2, 30)), None, "spring forward");
        let repeated = NaiveDate::from_ymd_opt(2026, 10, 25)
            .unwrap()
            .and_hms_opt(2, 30, 0)
            .unwrap();
        assert_eq!(
            berlin.from_local(repeated),
            Some(Utc.with_ymd_and_hms(2026, 10, 25, 0, 30, 0).unwrap())
        );
    }
}
