//! The console in a real terminal (`cargo bench --bench pty`): the release
//! `hrdesk` started on an 80×24 pseudo-terminal and timed from its start to
//! its first whole frame (the status line on screen), then keystroke by
//! keystroke from the key written to the end of the frame that answers it,
//! with the bytes each frame took. On the demo company (`hrdesk --demo`),
//! and on the database file `HRDESK_BENCH_DB` names, when it is set;
//! `HRDESK_BENCH_BIN` runs another build instead (an earlier release, to
//! compare). Prints a table; a step that fails is reported, never fatal.

mod terminal;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use terminal::Pty;

const SIZE: (u16, u16) = (80, 24);
/// The status line's mode while browsing (the console runs in English).
const STATUS: &[u8] = b" BROWSE ";
const BEGIN_SYNC: &[u8] = b"\x1b[?2026h";
const END_SYNC: &[u8] = b"\x1b[?2026l";
const HIDE_CURSOR: &[u8] = b"\x1b[?25l";
const SHOW_CURSOR: &[u8] = b"\x1b[?25h";

/// The keys of one round on Staff, each answered by one frame, as the
/// terminal sends them; the round ends where it began.
const ROUND: [(&str, &[u8]); 8] = [
    ("j (down a row)", b"j"),
    ("k (up a row)", b"k"),
    ("/ (open the filter)", b"/"),
    ("z (filter by z)", b"z"),
    ("backspace", b"\x7f"),
    ("esc (close the filter)", b"\x1b"),
    ("2 (the Goals tab)", b"2"),
    ("1 (back to Staff)", b"1"),
];

/// A company to measure and how long to wait for it.
struct Company {
    label: String,
    args: Vec<String>,
    starts: usize,
    rounds: usize,
    /// The longest wait for a frame.
    limit: Duration,
    /// How long the console must stay quiet after start before keys.
    settle: Duration,
}

/// The times and bytes of one kind of frame.
struct Sample {
    what: &'static str,
    times: Vec<Duration>,
    bytes: Vec<usize>,
}

impl Sample {
    fn new(what: &'static str) -> Sample {
        Sample {
            what,
            times: Vec::new(),
            bytes: Vec::new(),
        }
    }

    fn add(&mut self, took: Duration, bytes: usize) {
        self.times.push(took);
        self.bytes.push(bytes);
    }

    /// The `p`th percentile of the times, in milliseconds.
    fn percentile(&self, p: usize) -> f64 {
        let mut times = self.times.clone();
        times.sort();
        let at = (times.len() * p / 100).min(times.len().saturating_sub(1));
        times.get(at).map_or(f64::NAN, |t| t.as_secs_f64() * 1e3)
    }

    fn mean_bytes(&self) -> usize {
        self.bytes.iter().sum::<usize>() / self.bytes.len().max(1)
    }
}

fn main() {
    let program = std::env::var_os("HRDESK_BENCH_BIN").map_or_else(
        || PathBuf::from(env!("CARGO_BIN_EXE_hrdesk")),
        PathBuf::from,
    );
    let home = match tempfile::tempdir() {
        Ok(home) => home,
        Err(e) => return eprintln!("pty: no temporary folder: {e}"),
    };
    let env = environment(home.path());
    let mut companies = vec![Company {
        label: "hrdesk --demo".into(),
        args: vec!["--demo".into()],
        starts: 10,
        rounds: 30,
        limit: Duration::from_secs(10),
        settle: Duration::from_millis(300),
    }];
    if let Some(db) = std::env::var_os("HRDESK_BENCH_DB") {
        companies.push(Company {
            label: format!("hrdesk --db {}", db.to_string_lossy()),
            args: vec!["--db".into(), db.to_string_lossy().into_owned()],
            starts: 3,
            rounds: 10,
            limit: Duration::from_secs(120),
            settle: Duration::from_secs(2),
        });
    }
    println!("{} on an {}×{} pty", program.display(), SIZE.0, SIZE.1);
    for company in &companies {
        match measure(&program, &env, company) {
            Ok(samples) => print_table(company, &samples),
            Err(e) => eprintln!("{}: {e}", company.label),
        }
    }
}

/// A private home for the console: no one's own config, the built-in keymap
/// and theme, English, a terminal of 256 colours.
fn environment(home: &Path) -> Vec<(&'static str, OsString)> {
    vec![
        ("HOME", home.into()),
        ("XDG_CONFIG_HOME", home.join("config").into()),
        ("XDG_DATA_HOME", home.join("data").into()),
        ("TERM", "xterm-256color".into()),
        ("LANG", "C.UTF-8".into()),
        ("LC_ALL", "C.UTF-8".into()),
    ]
}

/// Starts the console `company.starts` times, then plays the round of keys
/// on the last one `company.rounds` times.
fn measure(
    program: &Path,
    env: &[(&str, OsString)],
    company: &Company,
) -> Result<Vec<Sample>, String> {
    let mut args = company.args.clone();
    args.extend(["--lang".into(), "en".into()]);
    let mut start = Sample::new("start → first frame");
    let mut console = None;
    for _ in 0..company.starts {
        let began = Instant::now();
        let pty = Pty::spawn(program, &args, env, SIZE)?;
        let first = pty.read_until(
            |bytes| contains(bytes, STATUS) && frame_ends(bytes),
            company.limit,
        )?;
        start.add(first.at - began, first.bytes.len());
        console = Some(pty);
    }
    let mut pty = console.ok_or("no start was asked for")?;
    // Whatever the console draws after its first frame (work it finishes
    // behind it) is not a key's.
    pty.read_until(|_| false, company.settle).ok();
    let mut keys: Vec<Sample> = ROUND.iter().map(|(what, _)| Sample::new(what)).collect();
    for _ in 0..company.rounds {
        for ((_, bytes), sample) in ROUND.iter().zip(&mut keys) {
            let sent = pty.send(bytes)?;
            let frame = pty.read_until(frame_ends, company.limit)?;
            sample.add(frame.at - sent, frame.bytes.len());
        }
    }
    Ok(std::iter::once(start).chain(keys).collect())
}

/// Whether `bytes` end with a whole frame: the synchronized update closed,
/// or, from a console that does not mark its frames, ratatui's last word,
/// the cursor hidden or shown and placed.
fn frame_ends(bytes: &[u8]) -> bool {
    if contains(bytes, BEGIN_SYNC) {
        return bytes.ends_with(END_SYNC);
    }
    if bytes.ends_with(HIDE_CURSOR) {
        return true;
    }
    let shown = bytes
        .windows(SHOW_CURSOR.len())
        .rposition(|w| w == SHOW_CURSOR);
    shown.is_some_and(|at| is_cursor_placement(&bytes[at + SHOW_CURSOR.len()..]))
}

/// `CSI row ; column H`, whole.
fn is_cursor_placement(bytes: &[u8]) -> bool {
    let Some(inner) = bytes
        .strip_prefix(b"\x1b[")
        .and_then(|rest| rest.strip_suffix(b"H"))
    else {
        return false;
    };
    !inner.is_empty() && inner.iter().all(|&b| b.is_ascii_digit() || b == b';')
}

fn contains(bytes: &[u8], part: &[u8]) -> bool {
    bytes.windows(part.len()).any(|w| w == part)
}

fn print_table(company: &Company, samples: &[Sample]) {
    println!();
    println!(
        "{} ({} starts, {} rounds of keys on Staff)",
        company.label, company.starts, company.rounds
    );
    println!("{:<26} {:>9} {:>9} {:>9}", "", "p50 ms", "p95 ms", "bytes");
    for sample in samples {
        println!(
            "{:<26} {:>9.2} {:>9.2} {:>9}",
            sample.what,
            sample.percentile(50),
            sample.percentile(95),
            sample.mean_bytes()
        );
    }
}
