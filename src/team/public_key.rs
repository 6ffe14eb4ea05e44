//! One SSH public key as a person gives it: the one line of their
//! `id_ed25519.pub` (`TYPE BASE64 [COMMENT]`). It is checked to be exactly
//! one key of a type OpenSSH accepts, whose data decodes and names that
//! type, with no options before it and nothing that could start another
//! line of `authorized_keys`; and it has its OpenSSH fingerprint
//! (`SHA256:` and the unpadded base64 of the SHA-256 of the key data, as
//! `ssh-keygen -l` prints it). A refusal says what is wrong, quoting what
//! was given with its control characters escaped.

use std::fmt;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use sha2::{Digest, Sha256};

use crate::tr;

/// The key types accepted, as OpenSSH names them.
const KEY_TYPES: [&str; 7] = [
    "ssh-ed25519",
    "ssh-rsa",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
];

/// The longest key line accepted, in bytes (sshd reads no longer key).
const MAX_LEN: usize = 16 * 1024;

/// How many characters of what was given a message quotes.
const QUOTED: usize = 40;

/// A checked public key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKey {
    kind: String,
    data: String,
    comment: Option<String>,
    fingerprint: String,
}

/// Why a text is not one public key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyError {
    Empty,
    TooLong,
    /// A line break: several lines, perhaps several keys.
    Lines,
    /// A control character, shown escaped.
    Control(String),
    /// `authorized_keys` options (`command="…"`, `restrict`) before the key.
    Options(String),
    UnknownType(String),
    NoData(String),
    BadData(String),
    /// The data names another type (`found`) than the line (`kind`).
    WrongType {
        kind: String,
        found: String,
    },
    /// A second key after the first.
    Several,
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            KeyError::Empty => tr!("keys.key.empty"),
            KeyError::TooLong => tr!("keys.key.too_long", max = MAX_LEN),
            KeyError::Lines => tr!("keys.key.lines"),
            KeyError::Control(character) => tr!("keys.key.control", character = character),
            KeyError::Options(given) => tr!("keys.key.options", given = given),
            KeyError::UnknownType(given) => tr!(
                "keys.key.unknown_type",
                given = given,
                types = KEY_TYPES.join(", ")
            ),
            KeyError::NoData(kind) => tr!("keys.key.no_data", kind = kind),
            KeyError::BadData(kind) => tr!("keys.key.bad_data", kind = kind),
            KeyError::WrongType { kind, found } => {
                tr!("keys.key.wrong_type", kind = kind, found = found)
            }
            KeyError::Several => tr!("keys.key.several"),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for KeyError {}

impl PublicKey {
    /// Reads `text`, one key line (spaces and a line break around it are
    /// ignored).
    pub fn parse(text: &str) -> Result<PublicKey, KeyError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(KeyError::Empty);
        }
        if text.len() > MAX_LEN {
            return Err(KeyError::TooLong);
        }
        if text.contains(['\n', '\r', '\u{2028}', '\u{2029}']) {
            return Err(KeyError::Lines);
        }
        if let Some(c) = text.chars().find(|c| c.is_control()) {
            return Err(KeyError::Control(c.escape_debug().to_string()));
        }
        let (kind, rest) = first_word(text);
        if !KEY_TYPES.contains(&kind) {
            let options = kind.contains(['=', '"', ','])
                || rest.split(' ').any(|word| KEY_TYPES.contains(&word));
            return Err(if options {
                KeyError::Options(quoted(text))
            } else {
                KeyError::UnknownType(quoted(kind))
            });
        }
        let (data, comment) = first_word(rest);
        if data.is_empty() {
            return Err(KeyError::NoData(kind.to_string()));
        }
        let blob = STANDARD
            .decode(data)
            .map_err(|_| KeyError::BadData(kind.to_string()))?;
        let named = named_type(&blob).ok_or_else(|| KeyError::BadData(kind.to_string()))?;
        if named != kind.as_bytes() {
            return Err(KeyError::WrongType {
                kind: kind.to_string(),
                found: quoted(&String::from_utf8_lossy(named)),
            });
        }
        if comment.split(' ').any(|word| KEY_TYPES.contains(&word)) {
            return Err(KeyError::Several);
        }
        Ok(PublicKey {
            kind: kind.to_string(),
            data: data.to_string(),
            comment: Some(comment.trim_end())
                .filter(|c| !c.is_empty())
                .map(str::to_string),
            fingerprint: format!("SHA256:{}", STANDARD_NO_PAD.encode(Sha256::digest(&blob))),
        })
    }

    /// The OpenSSH fingerprint, `SHA256:…`.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The key as `authorized_keys` holds it: `TYPE BASE64 [COMMENT]`.
    pub fn line(&self) -> String {
        match &self.comment {
            Some(comment) => format!("{} {} {comment}", self.kind, self.data),
            None => format!("{} {}", self.kind, self.data),
        }
    }

    /// The key as the audit log names it: its fingerprint, and its comment
    /// (often whose and which machine) in brackets.
    pub fn describe(&self) -> String {
        match &self.comment {
            Some(comment) => format!("{} ({comment})", self.fingerprint),
            None => self.fingerprint.clone(),
        }
    }
}

/// The first space-separated word of `text` and what follows it.
fn first_word(text: &str) -> (&str, &str) {
    let text = text.trim_start_matches(' ');
    match text.split_once(' ') {
        Some((word, rest)) => (word, rest.trim_start_matches(' ')),
        None => (text, ""),
    }
}

/// The type a key's data names: its first field, a length-prefixed string.
fn named_type(blob: &[u8]) -> Option<&[u8]> {
    let len = u32::from_be_bytes(blob.get(..4)?.try_into().ok()?);
    blob.get(4..4 + usize::try_from(len).ok()?)
}

/// `given` as a message quotes it: control characters escaped, cut short.
fn quoted(given: &str) -> String {
    let mut text: String = given.chars().take(QUOTED).collect();
    if given.chars().count() > QUOTED {
        text.push('…');
    }
    text.escape_debug().to_string()
}

/// Keys made once with `ssh-keygen -t … -N '' -C …`, and the
/// fingerprints `ssh-keygen -lf` printed for them.
#[cfg(test)]
pub(super) mod known {
    pub const ED25519: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIPFQFGUjj4280z/cIrQRFaKl+/h0tEBuy0V4vtlntrpe zhang@laptop";
    pub const ED25519_FINGERPRINT: &str = "SHA256:0z3DrEt7mr8ENDZpCmHjMwoQpXN3GjOFiwDQs1MyVpk";
    pub const OTHER_ED25519: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIC47LIGqPzt5QAM7f7GCgrIB0BKurl1baNE0KSzD50ye li@desk";
    pub const OTHER_ED25519_FINGERPRINT: &str =
        "SHA256:BzfAaNza1ptd8u4KnUEehz38aKduFAus+Q+RUNBDdNQ";
    pub const ECDSA: &str = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBF4EZcHlJtFoEy2euy1B8kYVH6D+fY2kWNM+A8RJZgn9k3RK9jTyKGXLhxq2lJ6bQUuq40BIxHc8xuFS5plt8Qo= zhang@laptop";
    pub const ECDSA_FINGERPRINT: &str = "SHA256:uqPj2bUdz0plbdEZs/s2E2Z5OfOiyjQxj5TMO6iiLXw";
    pub const RSA: &str = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQCx3//IJu2uYrY4H9+Vslvd6FjhqE5p8kBLroV1JHEvpde6rxa69NlO+l6ILdIur04+Ed+ET78kXHMJzGTUgcrEKTKgC4I4fZeSLBRtY6VxcEWRcRsRlAXOfVhtkPFuP2YU+u0WneJd/9SHtNPvpQY1OiTxaGlgAXB4KJHEP9VvYQ== zhang@laptop";
    pub const RSA_FINGERPRINT: &str = "SHA256:hwH92Yc7Fx0L2SnWSJF6K2laoiQG4/3JiK+cjbaHQ0k";
}

#[cfg(test)]
mod tests {
    use super::known::*;
    use super::*;

    fn refusal(text: &str) -> KeyError {
        PublicKey::parse(text).expect_err(text)
    }

    #[test]
    fn fingerprints_are_those_ssh_keygen_prints() {
        for (line, fingerprint) in [
            (ED25519, ED25519_FINGERPRINT),
            (OTHER_ED25519, OTHER_ED25519_FINGERPRINT),
            (ECDSA, ECDSA_FINGERPRINT),
            (RSA, RSA_FINGERPRINT),
        ] {
            let key = PublicKey::parse(line).expect(line);
            assert_eq!(key.fingerprint(), fingerprint);
            assert_eq!(key.line(), line);
        }
    }

    #[test]
    fn a_key_is_read_with_or_without_its_comment_and_around_spaces() {
        let key = PublicKey::parse(&format!("  {ED25519}\n")).expect("key");
        assert_eq!(key.line(), ED25519);
        assert_eq!(
            key.describe(),
            format!("{ED25519_FINGERPRINT} (zhang@laptop)")
        );
        let bare = ED25519.trim_end_matches(" zhang@laptop");
        let key = PublicKey::parse(bare).expect("no comment");
        assert_eq!(
            (key.line().as_str(), key.describe()),
            (bare, ED25519_FINGERPRINT.into())
        );
        let spaced = PublicKey::parse(&format!("{bare}  张 的 笔记本 ")).expect("comment");
        assert_eq!(spaced.line(), format!("{bare} 张 的 笔记本"));
    }

    #[test]
    fn what_is_not_one_key_is_refused_saying_why() {
        assert_eq!(refusal(" \n"), KeyError::Empty);
        assert_eq!(
            refusal(&format!("{ED25519}\n{OTHER_ED25519}")),
            KeyError::Lines
        );
        assert_eq!(refusal(&format!("{ED25519}\r\nx")), KeyError::Lines);
        assert_eq!(
            refusal(&format!("{ED25519}\u{1b}[2J")),
            KeyError::Control("\\u{1b}".into())
        );
        assert_eq!(
            refusal(&format!("{ED25519} {OTHER_ED25519}")),
            KeyError::Several
        );
        assert!(matches!(
            refusal(&format!("command=\"sh\",restrict {ED25519}")),
            KeyError::Options(_)
        ));
        assert!(matches!(
            refusal(&format!("restrict {ED25519}")),
            KeyError::Options(_)
        ));
        assert_eq!(
            refusal("ssh-dss AAAAB3NzaC1kc3MAAACBAP"),
            KeyError::UnknownType("ssh-dss".into())
        );
        assert_eq!(
            refusal("ssh-ed25519"),
            KeyError::NoData("ssh-ed25519".into())
        );
        assert_eq!(
            refusal("ssh-ed25519 AAAA!!!! me"),
            KeyError::BadData("ssh-ed25519".into())
        );
        // Cut short: the length prefix runs past the end of the data.
        assert_eq!(
            refusal("ssh-ed25519 AAAAC3NzaC1lZDI1"),
            KeyError::BadData("ssh-ed25519".into())
        );
        let rsa_data = RSA.split(' ').nth(1).expect("data");
        assert_eq!(
            refusal(&format!("ssh-ed25519 {rsa_data}")),
            KeyError::WrongType {
                kind: "ssh-ed25519".into(),
                found: "ssh-rsa".into()
            }
        );
        assert_eq!(
            refusal(&format!("ssh-rsa {}", "A".repeat(MAX_LEN))),
            KeyError::TooLong
        );
    }

    #[test]
    fn a_refusal_quotes_what_was_given_escaped_and_short() {
        let message = refusal("ssh-\u{7}bell AAAA").to_string();
        assert!(message.contains("\\u{7}"), "{message}");
        assert!(!message.contains('\u{7}'), "{message}");
        let message = refusal(&format!("{}x AAAA", "y".repeat(100))).to_string();
        assert!(
            message.contains(&format!("{}…", "y".repeat(QUOTED))),
            "{message}"
        );
        assert!(!message.contains(&"y".repeat(QUOTED + 1)), "{message}");
        let message = refusal(&format!("from=\"10.0.0.1\" {ED25519}")).to_string();
        assert!(message.contains("from=\\\"10.0.0.1\\\""), "{message}");
        assert!(message.contains("TYPE BASE64 [COMMENT]"), "{message}");
    }
}
