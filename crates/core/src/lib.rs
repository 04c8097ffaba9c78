//! Domain types and pure policy of hiresync: ids, roles, events, settings,
//! targets, people and the sync decision. No IO and no async live here.

pub mod contact;
pub mod contract;
pub mod decision;
pub mod event;
pub mod field_map;
pub mod fields;
pub mod history;
pub mod id;
pub mod link_signature;
pub mod person;
pub mod provider_kind;
pub mod rate_limit;
pub mod role;
pub mod settings;
pub mod target;
pub mod validation;
pub mod webhook_signature;

pub use contact::ContactIn;
pub use contract::{ContractFieldMapping, ContractSettings};
pub use decision::{Decision, DecisionInput, decide};
pub use event::{EventIn, EventType};
pub use id::{ConnectionId, ContractId, DeliveryId, EndpointId, ImportId, MessageId, ResyncId, UserId, WorkspaceId};
pub use person::{Education, Employment, NoteDraft, Person, PersonDraft};
pub use provider_kind::ProviderKind;
pub use rate_limit::RateLimit;
pub use role::Role;
pub use settings::{ConnectionSettings, Trigger};
pub use target::{PlacedStage, Target, TargetId};
pub use validation::{FieldError, ValidationError};
