//! A team on one database: who the operator of a process is (the real
//! user id, or the SSH key's forced command), the service account's
//! `authorized_keys` lines that let each colleague in with their own key,
//! and the exchange folder that files named over SSH are confined to.

pub mod authorized_keys;
pub mod exchange;
pub mod identity;
pub mod operator_keys;
pub mod public_key;
