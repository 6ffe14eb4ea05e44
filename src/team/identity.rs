//! Who is at the keyboard. Over SSH, the operator the key's forced command
//! names (with the key's fingerprint); otherwise the account that the
//! system's user database gives the process's **real** user id. Nothing
//! the caller can set (`USER`, `LOGNAME`, `HOME`) is consulted.

use std::path::PathBuf;
use std::sync::OnceLock;

use nix::unistd::{Gid, Uid, User};

use crate::tr;

/// The operator an SSH key named, with the key's fingerprint, for the
/// rest of this process.
static KEY_OPERATOR: OnceLock<(String, Option<String>)> = OnceLock::new();

/// Makes `name` (reached with the key `fingerprint`) the operator of this
/// process. Set once: a session never starts another.
pub fn act_for_key(name: &str, fingerprint: Option<String>) {
    let _ = KEY_OPERATOR.set((name.to_string(), fingerprint));
}

/// The operator named by this process's SSH key, if it is an SSH session.
pub fn key_operator() -> Option<&'static str> {
    KEY_OPERATOR.get().map(|(name, _)| name.as_str())
}

/// The fingerprint of the SSH key this session came in with, if known.
pub fn key_fingerprint() -> Option<&'static str> {
    KEY_OPERATOR.get().and_then(|(_, key)| key.as_deref())
}

/// No account name for the real user id: nobody to act as.
#[derive(Debug, thiserror::Error)]
#[error("{}", tr!("cli.no_user", uid = self.0))]
pub struct NoAccount(pub u32);

/// The operator of this process: the SSH key's, else the account name of
/// the real user id.
pub fn operator_name() -> Result<String, NoAccount> {
    if let Some(name) = key_operator() {
        return Ok(name.to_string());
    }
    account_name(real_uid()).ok_or_else(|| NoAccount(real_uid()))
}

/// The real user id of this process: who started it, whatever set-id bits
/// or environment say.
pub fn real_uid() -> u32 {
    Uid::current().as_raw()
}

/// The real group id of this process.
pub fn real_gid() -> u32 {
    Gid::current().as_raw()
}

/// The primary group and home folder the system's user database gives `uid`.
pub fn home_of(uid: u32) -> Option<(u32, PathBuf)> {
    User::from_uid(Uid::from_raw(uid))
        .ok()
        .flatten()
        .filter(|user| !user.dir.as_os_str().is_empty())
        .map(|user| (user.gid.as_raw(), user.dir))
}

/// The account name the system's user database (files, LDAP, …) gives `uid`.
pub fn account_name(uid: u32) -> Option<String> {
    User::from_uid(Uid::from_raw(uid))
        .ok()
        .flatten()
        .map(|user| user.name)
        .filter(|name| !name.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    #[test]
    fn the_real_user_id_is_the_owner_of_this_process() {
        let owner = std::fs::metadata("/proc/self").expect("proc").uid();
        assert_eq!(real_uid(), owner);
    }

    #[test]
    fn the_operator_is_the_account_of_the_user_id_whatever_user_says() {
        let expected = account_name(real_uid()).expect("this user id has an account");
        assert_eq!(operator_name().expect("name"), expected);
        assert_eq!(account_name(0).as_deref(), Some("root"));
        assert_eq!(home_of(0).map(|(gid, _)| gid), Some(0));
    }
}
