//! IdP directories (Step 8): the `directory_sync` config section, the mapping of each IdP's
//! user JSON to the host-record shape of provisioning, and the connectors that fetch from the
//! IdP APIs ([`connector`]: one [`Directory`] trait, five implementations).

pub mod cognito;
pub mod config;
pub mod connector;
pub mod google;
pub mod graph;
pub mod keycloak;
pub mod map;
pub mod okta;

pub use config::{
    Connector, ConnectorConfig, ConnectorKind, DirectorySyncConfig, OnMissing, Secret,
    ServiceAccount,
};
pub use connector::{
    connect, ConnectOptions, Directory, DirectoryError, DirectoryErrorKind, Listing,
};
pub use map::{group_name, map_user, IdpUser, ResponseError};
