//! The envelope every stored record travels in: one envelope-format byte, the
//! record's layout version (u16, little endian), then the bincode-2 encoding
//! of the serde value. The version lets a later schema recognise old records.

use bincode::config;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::tr;

/// The only envelope layout so far.
const ENVELOPE_FORMAT: u8 = 1;

/// A serde type kept in a record table.
pub(crate) trait Record: Serialize + DeserializeOwned {
    /// The layout version this build writes and reads; bump it when the
    /// serialised shape changes, and teach [`Record::from_older`] the old one.
    const VERSION: u16;

    /// The record from the bincode `payload` of an older layout `version`,
    /// when this type still reads it (`None`: it does not).
    fn from_older(version: u16, payload: &[u8]) -> Option<Result<Self, String>> {
        let _ = (version, payload);
        None
    }
}

/// Decodes a whole bincode payload into `T`.
pub(crate) fn decode_payload<T: DeserializeOwned>(payload: &[u8]) -> Result<T, String> {
    let (value, used) = bincode::serde::decode_from_slice(payload, config::standard())
        .map_err(|e| e.to_string())?;
    if used != payload.len() {
        return Err(tr!("store.record.trailing", count = payload.len() - used));
    }
    Ok(value)
}

/// Wraps `value` in an envelope. The error is a plain-words detail.
pub(crate) fn encode<T: Record>(value: &T) -> Result<Vec<u8>, String> {
    let payload =
        bincode::serde::encode_to_vec(value, config::standard()).map_err(|e| e.to_string())?;
    let mut bytes = Vec::with_capacity(3 + payload.len());
    bytes.push(ENVELOPE_FORMAT);
    bytes.extend_from_slice(&T::VERSION.to_le_bytes());
    bytes.extend_from_slice(&payload);
    Ok(bytes)
}

/// Unwraps an envelope written by `encode` (of this layout, or of an older
/// one the type still reads). The error is a plain-words detail.
pub(crate) fn decode<T: Record>(bytes: &[u8]) -> Result<T, String> {
    if let [ENVELOPE_FORMAT, low, high, payload @ ..] = bytes {
        let version = u16::from_le_bytes([*low, *high]);
        if version != T::VERSION
            && let Some(older) = T::from_older(version, payload)
        {
            return older;
        }
    }
    decode_as(bytes, T::VERSION)
}

/// Unwraps an envelope of layout `version` into a type that may borrow
/// from `bytes` (a view of a record, read without copying its text).
pub(crate) fn decode_as<'a, T: Deserialize<'a>>(
    bytes: &'a [u8],
    supported: u16,
) -> Result<T, String> {
    let payload = payload(bytes, supported)?;
    let (value, used) = bincode::serde::borrow_decode_from_slice(payload, config::standard())
        .map_err(|e| e.to_string())?;
    if used != payload.len() {
        return Err(tr!("store.record.trailing", count = payload.len() - used));
    }
    Ok(value)
}

/// Like [`decode_as`] for a view of the record's leading fields only: the
/// fields after them are left unread.
pub(crate) fn decode_leading<'a, T: Deserialize<'a>>(
    bytes: &'a [u8],
    supported: u16,
) -> Result<T, String> {
    let payload = payload(bytes, supported)?;
    bincode::serde::borrow_decode_from_slice(payload, config::standard())
        .map(|(value, _)| value)
        .map_err(|e| e.to_string())
}

/// The bincode payload of an envelope of layout `supported`.
/// The layout version a record's envelope names, if it has one.
pub(crate) fn version(bytes: &[u8]) -> Option<u16> {
    match bytes {
        [ENVELOPE_FORMAT, low, high, ..] => Some(u16::from_le_bytes([*low, *high])),
        _ => None,
    }
}

fn payload(bytes: &[u8], supported: u16) -> Result<&[u8], String> {
    let [format, low, high, payload @ ..] = bytes else {
        return Err(tr!("store.record.too_short", count = bytes.len()));
    };
    if *format != ENVELOPE_FORMAT {
        return Err(tr!("store.record.unknown_format", format = format));
    }
    let version = u16::from_le_bytes([*low, *high]);
    if version != supported {
        return Err(tr!(
            "store.record.version",
            found = version,
            supported = supported
        ));
    }
    Ok(payload)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Sample {
        name: String,
        extra: Option<u32>,
    }

    impl Record for Sample {
        const VERSION: u16 = 3;
    }

    fn sample() -> Sample {
        Sample {
            name: "人力资源部".into(),
            extra: None,
        }
    }

    #[test]
    fn envelope_starts_with_format_and_version_and_round_trips() {
        let bytes = encode(&sample()).expect("encode");
        assert_eq!(&bytes[..3], &[ENVELOPE_FORMAT, 3, 0]);
        assert_eq!(decode::<Sample>(&bytes), Ok(sample()));
    }

    #[test]
    fn damaged_envelopes_are_explained() {
        let good = encode(&sample()).expect("encode");
        assert!(
            decode::<Sample>(&good[..2])
                .unwrap_err()
                .contains("too short")
        );

        let mut format = good.clone();
        format[0] = 9;
        assert!(decode::<Sample>(&format).unwrap_err().contains("format 9"));

        let mut newer = good.clone();
        newer[1] = 4;
        assert!(decode::<Sample>(&newer).unwrap_err().contains("version 4"));

        let mut trailing = good;
        trailing.push(0);
        assert!(
            decode::<Sample>(&trailing)
                .unwrap_err()
                .contains("unexpected")
        );
    }
}
