//! Where one database's operator key lines live, and the one operator
//! change both the command line and the console make that must keep them
//! in step: removing an operator takes their key lines out too, after the
//! audited database change (which names the keys it ends).

use std::path::{Path, PathBuf};

use super::authorized_keys::{Holder, KeyLine, KeysError, KeysFile};
use super::public_key::PublicKey;
use crate::domain::operator::Operator;
use crate::service::{OpError, Session};

/// Where the operators' key lines of one database are kept.
#[derive(Clone, Debug)]
pub struct KeyPlace {
    /// config.toml's `authorized_keys`.
    pub configured: Option<PathBuf>,
    pub db: PathBuf,
}

impl KeyPlace {
    pub fn file(&self) -> Result<KeysFile, KeysError> {
        KeysFile::locate(self.configured.as_deref(), &self.db)
    }

    pub fn holder(&self, user: &str) -> Result<Holder, KeysError> {
        Holder::new(user, &self.db)
    }

    /// Where `user` has lines, when there may be some: a file nobody can
    /// find, or a name or database path no line can hold, holds none.
    pub fn lines_of(&self, user: &str) -> Option<(KeysFile, Holder)> {
        Some((self.file().ok()?, self.holder(user).ok()?))
    }

    /// The file and the line that lets `key` in as `user`, which must
    /// both be found.
    pub fn line(&self, user: &str, key: &PublicKey) -> Result<(KeysFile, KeyLine), KeysError> {
        Ok((self.file()?, KeyLine::new(&self.holder(user)?, key)?))
    }

    /// The database these lines open.
    pub fn db(&self) -> &Path {
        &self.db
    }
}

/// An operator removed; `unwritten` when their key lines could not be
/// taken out of the file afterwards (the file and why).
pub struct Removed {
    pub operator: Operator,
    pub unwritten: Option<(PathBuf, KeysError)>,
}

/// Why an operator was not removed.
#[derive(Debug)]
pub enum RemoveError {
    /// The key file could not be read to see which keys go.
    Keys(KeysError),
    /// The database refused (who may, the last admin, yourself …).
    Refused(OpError),
}

/// Removes operator `user` of `session`'s database, audited with the keys
/// whose lines go with them, then takes those lines out of the file.
pub fn remove_operator(
    session: &Session,
    place: &KeyPlace,
    user: &str,
) -> Result<Removed, RemoveError> {
    let lines = place.lines_of(user);
    let held: Vec<String> = match &lines {
        Some((file, holder)) => file
            .read()
            .map_err(RemoveError::Keys)?
            .keys_of(holder)
            .into_iter()
            .map(KeyLine::describe)
            .collect(),
        None => Vec::new(),
    };
    let operator = session
        .remove_operator_with_keys(user, &held)
        .map_err(RemoveError::Refused)?;
    let unwritten = lines
        .filter(|_| !held.is_empty())
        .and_then(|(file, holder)| {
            file.apply(&holder, None)
                .err()
                .map(|err| (file.path().to_path_buf(), err))
        });
    Ok(Removed {
        operator,
        unwritten,
    })
}
