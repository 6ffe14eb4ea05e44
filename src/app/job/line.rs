//! The progress line of a running job: rows done (of how many, when
//! known), the rate, the time left, and the key that cancels it.
//! "Checking staff.csv: 40,000 / 100,000 rows · 12,300 rows/s · about 5 s
//! left · esc cancels".

use std::time::Duration;

use unicode_width::UnicodeWidthStr;

use crate::tr;

/// What the line is made of.
pub struct Shown<'a> {
    pub label: &'a str,
    pub done: usize,
    /// Rows in all, when known.
    pub total: Option<usize>,
    pub elapsed: Duration,
}

/// The line for `shown` in `width` columns, `cancel_key` being the key
/// that cancels: the rate goes first, then the time left, when the whole
/// line does not fit.
pub fn progress_line(shown: &Shown<'_>, cancel_key: &str, width: usize) -> String {
    let done = grouped(shown.done);
    let counts = match shown.total {
        Some(total) => tr!("job.rows_of", done = done, total = grouped(total)),
        // Work that counts no rows (a headless command) says how long it has run.
        None if shown.done == 0 => tr!(
            "job.so_far",
            time = duration(shown.elapsed.as_secs() as usize)
        ),
        None => tr!("job.rows", done = done),
    };
    let seconds = shown.elapsed.as_secs_f64();
    // Whole rows a second (a count, never negative): `as` rounds it.
    let rate = if seconds > 0.0 {
        (shown.done as f64 / seconds).round() as usize
    } else {
        0
    };
    let rate_part = (rate > 0).then(|| tr!("job.rate", rate = grouped(rate)));
    let left = shown.total.filter(|_| rate > 0).map(|total| {
        tr!(
            "job.eta",
            time = duration(total.saturating_sub(shown.done).div_ceil(rate))
        )
    });
    let cancel = tr!("job.cancel_hint", key = cancel_key);
    let line = |parts: [Option<&String>; 4]| {
        let parts: Vec<&str> = parts.into_iter().flatten().map(String::as_str).collect();
        format!("{}: {}", shown.label, parts.join(" · "))
    };
    let fuller = [
        line([
            Some(&counts),
            rate_part.as_ref(),
            left.as_ref(),
            Some(&cancel),
        ]),
        line([Some(&counts), None, left.as_ref(), Some(&cancel)]),
    ];
    fuller
        .into_iter()
        .find(|text| text.width() <= width)
        .unwrap_or_else(|| line([Some(&counts), None, None, Some(&cancel)]))
}

/// `12,300`: a count with its thousands grouped.
fn grouped(n: usize) -> String {
    crate::i18n::grouped(n as u64)
}

/// `5 s` under a minute, else whole minutes rounded up.
fn duration(seconds: usize) -> String {
    if seconds < 60 {
        tr!("job.seconds", n = seconds)
    } else {
        tr!("job.minutes", n = seconds.div_ceil(60))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{self, Lang};

    fn shown(done: usize, total: Option<usize>, millis: u64) -> Shown<'static> {
        Shown {
            label: "Checking staff.csv",
            done,
            total,
            elapsed: Duration::from_millis(millis),
        }
    }

    #[test]
    fn counts_rate_and_time_left_and_leaves_out_what_is_not_known_yet() {
        i18n::set_lang(Lang::En);
        let cases = [
            (
                shown(40_000, Some(100_000), 3_252),
                "esc",
                "Checking staff.csv: 40,000 / 100,000 rows · 12,300 rows/s · about 5 s left · esc cancels",
            ),
            (
                shown(1_000, Some(1_000_000), 1_000),
                "esc",
                "Checking staff.csv: 1,000 / 1,000,000 rows · 1,000 rows/s · about 17 min left · esc cancels",
            ),
            (
                shown(0, Some(500), 300),
                "esc",
                "Checking staff.csv: 0 / 500 rows · esc cancels",
            ),
            (
                shown(2_500, None, 500),
                "ctrl-x",
                "Checking staff.csv: 2,500 rows · 5,000 rows/s · ctrl-x cancels",
            ),
            (
                shown(0, None, 12_400),
                "esc",
                "Checking staff.csv: running for 12 s · esc cancels",
            ),
        ];
        for (shown, key, line) in cases {
            assert_eq!(progress_line(&shown, key, 120), line);
        }
    }

    #[test]
    fn a_narrow_terminal_loses_the_rate_then_the_time_left() {
        i18n::set_lang(Lang::En);
        let line = |width| progress_line(&shown(40_000, Some(100_000), 3_252), "esc", width);
        assert_eq!(
            line(80),
            "Checking staff.csv: 40,000 / 100,000 rows · about 5 s left · esc cancels"
        );
        assert_eq!(
            line(60),
            "Checking staff.csv: 40,000 / 100,000 rows · esc cancels"
        );
    }

    #[test]
    fn speaks_chinese() {
        i18n::set_lang(Lang::Zh);
        let line = progress_line(&shown(40_000, Some(100_000), 3_252), "esc", 120);
        i18n::set_lang(Lang::En);
        assert_eq!(
            line,
            "Checking staff.csv: 40,000 / 100,000 行 · 每秒 12,300 行 · 约剩 5 秒 · 按 esc 取消"
        );
    }

    #[test]
    fn groups_digits_in_threes() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(12_345_678), "12,345,678");
        i18n::set_lang(Lang::En);
        assert_eq!(duration(59), "59 s");
        assert_eq!(duration(61), "2 min");
    }
}
