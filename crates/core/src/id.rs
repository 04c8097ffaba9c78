//! Prefixed, sortable identifiers (`ws_01J...`), one newtype per entity.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($name:ident, $prefix:literal, $what:literal) => {
        #[doc = concat!("Identifier of a ", $what, " (`", $prefix, "_` followed by a ULID).")]
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// A fresh identifier, sortable by creation time.
            pub fn generate() -> Self {
                Self(format!("{}_{}", $prefix, ulid::Ulid::new().to_string().to_lowercase()))
            }

            /// Accepts only a string carrying this entity's prefix.
            pub fn parse(s: &str) -> Option<Self> {
                let rest = s.strip_prefix(concat!($prefix, "_"))?;
                (!rest.is_empty() && rest.len() <= 64 && rest.bytes().all(|b| b.is_ascii_alphanumeric()))
                    .then(|| Self(s.to_owned()))
            }

            /// Wraps a value read back from storage, where it was validated on the way in.
            pub fn from_stored(s: String) -> Self {
                Self(s)
            }

            /// The identifier as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(WorkspaceId, "ws", "workspace");
id_type!(UserId, "usr", "user");
id_type!(ConnectionId, "conn", "connection");
id_type!(ResyncId, "rsy", "resync");
id_type!(ImportId, "imp", "import");
id_type!(ContractId, "ctr", "contract");
id_type!(EndpointId, "whe", "webhook endpoint of the outreach app");
id_type!(DeliveryId, "whd", "webhook delivery to one endpoint");
id_type!(MessageId, "msg", "webhook message (the `webhook-id` every endpoint gets for one event)");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_parse_back_and_reject_other_prefixes() {
        let id = WorkspaceId::generate();
        assert_eq!(WorkspaceId::parse(id.as_str()), Some(id.clone()));
        assert_eq!(UserId::parse(id.as_str()), None);
        assert_eq!(WorkspaceId::parse("ws_"), None);
        assert_eq!(WorkspaceId::parse("ws_a b"), None);
    }
}
