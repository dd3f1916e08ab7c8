//! IdP directories (Step 8): the `directory_sync` config section and the mapping of each IdP's
//! user JSON to the host-record shape of provisioning. The connectors that fetch from the IdP
//! APIs build on these; nothing in this module does I/O.

pub mod config;
pub mod map;

pub use config::{
    Connector, ConnectorConfig, ConnectorKind, DirectorySyncConfig, OnMissing, Secret,
    ServiceAccount,
};
pub use map::{group_name, map_user, IdpUser, ResponseError};
