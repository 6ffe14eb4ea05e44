//! The console in a real pseudo-terminal, through portable-pty (wezterm's;
//! the only module that names it): the program started on a pty of its
//! own, as its controlling terminal, keys written to it, and what it writes
//! read back on a thread with the moment each piece arrived.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// A program running on a pty.
pub struct Pty {
    child: Box<dyn Child + Send + Sync>,
    keys: Box<dyn Write + Send>,
    output: Receiver<(Instant, Vec<u8>)>,
    /// Kept open while the program runs: closing it hangs the terminal up.
    _master: Box<dyn MasterPty + Send>,
}

/// What the program wrote until a condition held, and when the last of it came.
pub struct Output {
    pub bytes: Vec<u8>,
    pub at: Instant,
}

impl Pty {
    /// Starts `program` with `args` and `env` on a `cols`×`rows` pty.
    pub fn spawn(
        program: &Path,
        args: &[String],
        env: &[(&str, OsString)],
        (cols, rows): (u16, u16),
    ) -> Result<Pty, String> {
        let size = PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        };
        let pair = native_pty_system()
            .openpty(size)
            .map_err(|e| format!("open a pty: {e}"))?;
        let mut command = CommandBuilder::new(program);
        command.args(args);
        for (name, value) in env {
            command.env(name, value);
        }
        let child = pair
            .slave
            .spawn_command(command)
            .map_err(|e| format!("start {}: {e}", program.display()))?;
        let reader = pair
            .master
            .try_clone_reader()
            .map_err(|e| format!("read the pty: {e}"))?;
        let keys = pair
            .master
            .take_writer()
            .map_err(|e| format!("write the pty: {e}"))?;
        Ok(Pty {
            child,
            keys,
            output: read_on_a_thread(reader),
            _master: pair.master,
        })
    }

    /// Types `bytes`; the moment they were written.
    pub fn send(&mut self, bytes: &[u8]) -> Result<Instant, String> {
        let at = Instant::now();
        self.keys
            .write_all(bytes)
            .and_then(|()| self.keys.flush())
            .map_err(|e| format!("type into the pty: {e}"))?;
        Ok(at)
    }

    /// Reads until what came since the call satisfies `done`, for at most `limit`.
    pub fn read_until(
        &self,
        done: impl Fn(&[u8]) -> bool,
        limit: Duration,
    ) -> Result<Output, String> {
        let deadline = Instant::now() + limit;
        let mut bytes = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.output.recv_timeout(left) {
                Ok((at, chunk)) => {
                    bytes.extend_from_slice(&chunk);
                    if done(&bytes) {
                        return Ok(Output { bytes, at });
                    }
                }
                Err(RecvTimeoutError::Timeout) => {
                    return Err(format!("no end after {} bytes in {limit:?}", bytes.len()));
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(format!("the program ended after {} bytes", bytes.len()));
                }
            }
        }
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Each piece the terminal gives, stamped on arrival.
fn read_on_a_thread(mut reader: Box<dyn Read + Send>) -> Receiver<(Instant, Vec<u8>)> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buffer = vec![0; 64 * 1024];
        loop {
            match reader.read(&mut buffer) {
                Ok(0) | Err(_) => return,
                Ok(n) => {
                    if send.send((Instant::now(), buffer[..n].to_vec())).is_err() {
                        return;
                    }
                }
            }
        }
    });
    receive
}
