//! Long work off the UI thread. A pane hands [`Desk::run_job`] a closure
//! over a [`Session`] and a [`Progress`]; it runs on a worker thread with a
//! sibling session (same operator, store handle and clock) while the
//! console stays responsive. After a quiet spell the message line shows how
//! far it has got ([`line`]); the `cancel_job` key raises its cancel flag;
//! and when it ends the runtime's [`Input::Job`](super::Input::Job) brings
//! the outcome back to the UI thread, where the pane that started it
//! applies it ([`Pane::job_done`](super::pane::Pane::job_done)). One job
//! runs at a time: a second is refused, and so is a save or a confirmed
//! question while one runs (the job may hold the write lock).

pub mod line;
mod release;

pub use release::{drop_aside, wait_for_releases};

use std::any::Any;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use super::desk::Desk;
use super::pane::PaneId;
use super::{App, Mode, Pending};
use crate::action::{Action, Section};
use crate::i18n::{self, Lang};
use crate::service::{OpError, Progress, Session, Sibling};
use crate::tr;

/// What a job hands back to the pane that started it.
pub type Outcome = Box<dyn Any + Send>;

/// Wakes the runtime: a job ended, or its progress is to be drawn again.
pub type Waker = Arc<dyn Fn() + Send + Sync>;

/// The work of a job, as run on its thread.
type Work = Box<dyn FnOnce(&Session, &Progress) -> Result<Outcome, OpError> + Send>;

/// How long a job shows nothing (short work just ends).
const QUIET: Duration = Duration::from_millis(200);

/// Loads of fewer rows than this run on the UI thread: they end before a
/// progress line would show (10,000 employees score in about 85 ms in a
/// release build, 100,000 in 850 ms).
const INLINE_BELOW: u64 = 10_000;

/// How often a running job's progress is drawn again (over SSH every
/// byte counts: a few times a second).
const TICK: Duration = Duration::from_millis(250);

/// The job running now.
struct Running {
    pane: PaneId,
    label: String,
    progress: Progress,
    started: Instant,
    /// The language its messages are in (the console's when it started).
    lang: Lang,
    /// Its outcome, once the worker has started.
    ended: Option<Receiver<Result<Outcome, OpError>>>,
    /// Work not started yet (jobs held, for tests).
    held: Option<(Sibling, Work)>,
}

/// A job that ended: who started it, its label, and its outcome (none: its
/// worker was lost).
struct Ended {
    pane: PaneId,
    label: String,
    outcome: Option<Result<Outcome, OpError>>,
}

/// The console's long work: the job running, if any, and how the runtime
/// is woken.
pub struct Jobs {
    running: Option<Running>,
    /// How the runtime is woken, once it says (a job started before that,
    /// such as the first pane's load while the console opens, finds it
    /// here when it ends).
    waker: Arc<OnceLock<Waker>>,
    quiet: Duration,
    hold: bool,
    inline_below: u64,
    /// Panes whose load could not start while another job ran: the shown
    /// one is shown again (and reads) once no job runs.
    waiting: Vec<PaneId>,
}

impl Default for Jobs {
    fn default() -> Jobs {
        Jobs {
            running: None,
            waker: Arc::default(),
            quiet: QUIET,
            hold: false,
            inline_below: INLINE_BELOW,
            waiting: Vec::new(),
        }
    }
}

impl Jobs {
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// Starts `work` unless a job runs already (its label is the refusal).
    fn start(
        &mut self,
        pane: PaneId,
        label: String,
        session: Sibling,
        work: Work,
    ) -> Result<(), String> {
        if let Some(running) = &self.running {
            return Err(running.label.clone());
        }
        let mut running = Running {
            pane,
            label,
            progress: Progress::new(),
            started: Instant::now(),
            lang: i18n::lang(),
            ended: None,
            held: Some((session, work)),
        };
        if !self.hold {
            self.launch(&mut running);
        }
        self.running = Some(running);
        Ok(())
    }

    /// Starts the worker of `running` and its ticker (which wakes the
    /// runtime, once there is a waker, a few times a second).
    fn launch(&self, running: &mut Running) {
        let Some((session, work)) = running.held.take() else {
            return;
        };
        let (send, ended) = mpsc::channel();
        let ticking = Arc::new(AtomicBool::new(true));
        let progress = running.progress.clone();
        let waker = Arc::clone(&self.waker);
        let worker_ticking = Arc::clone(&ticking);
        let lang = running.lang;
        thread::spawn(move || {
            i18n::set_lang(lang);
            // What was let go before is freed before the job reads.
            wait_for_releases();
            let outcome = work(&session.open(&progress), &progress);
            // What the work made and let go on its way is given back (a
            // million records' reading leaves tens of megabytes of holes).
            crate::memory::give_back();
            worker_ticking.store(false, Ordering::Relaxed);
            let _ = send.send(outcome);
            if let Some(wake) = waker.get() {
                wake();
            }
        });
        let waker = Arc::clone(&self.waker);
        thread::spawn(move || {
            loop {
                thread::sleep(TICK);
                if !ticking.load(Ordering::Relaxed) {
                    return;
                }
                if let Some(wake) = waker.get() {
                    wake();
                }
            }
        });
        running.ended = Some(ended);
    }

    /// Asks the running job to stop; false when none runs.
    fn cancel(&self) -> bool {
        self.running
            .as_ref()
            .inspect(|r| r.progress.cancel())
            .is_some()
    }

    /// The job that ended, with its outcome (`wait`: blocks until it does,
    /// starting it if held). None while it runs, or when none does.
    fn ended(&mut self, wait: bool) -> Option<Ended> {
        let mut running = self.running.take()?;
        if wait {
            self.launch(&mut running);
        }
        let outcome = match &running.ended {
            Some(ended) if wait => ended.recv().ok(),
            Some(ended) => match ended.try_recv() {
                Ok(outcome) => Some(outcome),
                Err(mpsc::TryRecvError::Empty) => {
                    self.running = Some(running);
                    return None;
                }
                Err(mpsc::TryRecvError::Disconnected) => None,
            },
            None => {
                self.running = Some(running);
                return None;
            }
        };
        Some(Ended {
            pane: running.pane,
            label: running.label,
            outcome,
        })
    }

    /// What the message line shows of the running job, once past its quiet spell.
    fn shown(&self, cancel_key: &str, width: usize) -> Option<String> {
        let running = self.running.as_ref()?;
        let elapsed = running.started.elapsed();
        (elapsed >= self.quiet).then(|| {
            line::progress_line(
                &line::Shown {
                    label: &running.label,
                    done: running.progress.done(),
                    total: running.progress.total(),
                    elapsed,
                },
                cancel_key,
                width,
            )
        })
    }
}

/// What [`Desk::load`] did with a load.
pub enum Loaded<T> {
    /// Ran it on the UI thread: what it gave.
    Now(T),
    /// Ran it on the UI thread, and it failed (the error is shown).
    Failed,
    /// Started it as a job, or could not (another job runs).
    Job { started: bool },
}

impl Desk {
    /// Runs `work` off the UI thread with a session of its own; pane `pane`
    /// gets what it returns in `Pane::job_done`. `label` names the job on
    /// the message line ("Checking staff.csv"). Refused, with a note, while
    /// another job runs: false then.
    pub fn run_job<T: Send + 'static>(
        &mut self,
        pane: PaneId,
        label: String,
        work: impl FnOnce(&Session, &Progress) -> Result<T, OpError> + Send + 'static,
    ) -> bool {
        let session = self.session.sibling();
        let work: Work = Box::new(move |session, progress| {
            work(session, progress).map(|done| Box::new(done) as Outcome)
        });
        match self.jobs.start(pane, label, session, work) {
            Ok(()) => true,
            Err(running) => {
                self.error(tr!("job.busy", label = running));
                false
            }
        }
    }

    /// Whether a load of `rows` rows is small enough to run on the UI
    /// thread rather than as a job.
    fn load_inline(&self, rows: u64) -> bool {
        rows < self.jobs.inline_below
    }

    /// Runs `work` (a load of `rows` rows: a count that could not be
    /// taken counts as many) on the UI thread when it is small, an error
    /// shown; else as a job named `label` whose `Result<T, OpError>` comes
    /// to pane `pane`'s `Pane::job_done`.
    pub fn load<T: Send + 'static>(
        &mut self,
        pane: PaneId,
        label: String,
        rows: Result<u64, OpError>,
        work: impl FnOnce(&Session, &Progress) -> Result<T, OpError> + Send + 'static,
    ) -> Loaded<T> {
        if !rows.is_ok_and(|rows| self.load_inline(rows)) {
            let started = self.run_job(pane, label, move |session, progress| {
                Ok(work(session, progress))
            });
            let waiting = &mut self.jobs.waiting;
            if !started && !waiting.contains(&pane) {
                waiting.push(pane);
            }
            return Loaded::Job { started };
        }
        match work(&self.session, &Progress::new()) {
            Ok(done) => Loaded::Now(done),
            Err(err) => {
                self.error(err.to_string());
                Loaded::Failed
            }
        }
    }

    /// Whether pane `pane`'s load waits for the running job to end (it
    /// starts then, when the pane is shown).
    pub fn waits_for_job(&self, pane: PaneId) -> bool {
        self.jobs.waiting.contains(&pane)
    }

    /// Refuses, with a note, what must wait for the running job: `true`
    /// when one runs.
    pub(super) fn busy_with_job(&mut self) -> bool {
        let label = self.jobs.running.as_ref().map(|r| r.label.clone());
        match label {
            Some(label) => {
                self.error(tr!("job.busy", label = label));
                true
            }
            None => false,
        }
    }
}

impl App {
    /// Wakes the runtime with `waker` when a job ends, and a few times a
    /// second while one runs (the first waker given stays).
    pub fn wake_jobs_with(&mut self, waker: Waker) {
        let jobs = &self.desk.jobs;
        if jobs.waker.set(waker).is_ok()
            && jobs.is_running()
            && let Some(wake) = jobs.waker.get()
        {
            // A job started before the runtime could be woken (the first
            // pane's load) may have ended already: look now.
            wake();
        }
    }

    /// For tests: jobs wait to start until [`App::wait_for_job`], and show
    /// their progress after `quiet` rather than the usual spell.
    pub fn hold_jobs(&mut self, quiet: Duration) {
        self.desk.jobs.hold = true;
        self.desk.jobs.quiet = quiet;
    }

    /// For tests: loads of `rows` rows or more run as jobs (a small
    /// company stands for a large one).
    pub fn jobs_from(&mut self, rows: u64) {
        self.desk.jobs.inline_below = rows;
    }

    pub fn job_running(&self) -> bool {
        self.desk.jobs.is_running()
    }

    /// The progress line of the running job in the terminal's width,
    /// once past its quiet spell.
    pub fn job_line(&self) -> Option<String> {
        let key = self.desk.key_for(&[Section::Job], Action::CancelJob);
        self.desk.jobs.shown(&key, usize::from(self.desk.size.0))
    }

    /// Blocks until the running job ends (starting it if held) and applies
    /// its outcome, as the runtime does when woken; false when none runs.
    pub fn wait_for_job(&mut self) -> bool {
        let ended = self.desk.jobs.ended(true);
        let any = ended.is_some();
        self.apply_job(ended);
        any
    }

    /// The runtime was woken for a job: applies its outcome if it ended.
    pub(super) fn poll_job(&mut self) {
        let ended = self.desk.jobs.ended(false);
        self.apply_job(ended);
    }

    /// `cancel_job`: asks the running job to stop.
    pub(super) fn cancel_job(&mut self) {
        if self.desk.jobs.cancel() {
            self.desk.info(tr!("job.cancelling"));
        }
    }

    /// Whether `action` in the current mode submits a form or says yes to
    /// a pane's question (what may write, and would wait for the job's
    /// write): refused with a note while a job runs.
    pub(super) fn refused_while_job(&mut self, action: Action) -> bool {
        // A question that writes stays open, to be answered once the job ends.
        let pane_question = self.desk.confirm.as_ref().is_some_and(|confirm| {
            matches!(confirm.on_yes, Pending::Pane(_) | Pending::Headless(_))
        });
        let writes = match (self.mode(), action) {
            (Mode::Form, Action::Submit) => true,
            (Mode::Confirm, Action::Confirm) => pane_question,
            _ => false,
        };
        writes && self.desk.busy_with_job()
    }

    /// Hands an ended job's outcome to the pane that started it, or says
    /// why there is none.
    fn apply_job(&mut self, ended: Option<Ended>) {
        let Some(Ended {
            pane,
            label,
            outcome,
        }) = ended
        else {
            return;
        };
        match outcome {
            Some(Ok(done)) if pane == super::headless::OWNER => self.headless_done(done),
            Some(Ok(done)) => {
                if let Some(index) = self.pane_of(pane) {
                    self.panes[index].job_done(done, &mut self.desk);
                }
            }
            Some(Err(OpError::Cancelled)) => {
                self.desk.info(tr!("job.cancelled_named", label = label))
            }
            Some(Err(err)) => self.desk.error(err.to_string()),
            None => self.desk.error(tr!("job.lost", label = label)),
        }
        self.tell_panes();
        // A tab whose rows were read while another was shown.
        self.let_hidden_go();
        if !self.desk.jobs.is_running() {
            // A load that had to wait starts now if its pane is shown; the
            // others read when next shown, as they would have.
            let waited = std::mem::take(&mut self.desk.jobs.waiting);
            if waited.contains(&self.panes[self.shown].id()) {
                self.panes[self.shown].show(&mut self.desk);
            }
        }
    }
}
