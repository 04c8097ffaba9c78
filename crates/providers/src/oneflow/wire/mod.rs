//! Oneflow wire types: what the client sends ([`requests`]) and reads
//! ([`responses`]), as the vendor-authored Swagger and developer.oneflow.com
//! document them, or as `../ASSUMPTIONS.md` records where they are silent.

pub mod requests;
pub mod responses;

pub use requests::{
    CreateContract, CreateWebhook, DataFieldRef, DataFieldUpdate, DataFieldUpdates, DataFieldValue, ParticipantWrite,
    PartyWrite, PublishContract,
};
pub use responses::{
    Contract, ContractEvent, ContractOwnerside, ContractPrivate, DataField, DataFieldOwnerside, ErrorBody, Filter,
    FilterRule, Href, List, ListLinks, Participant, Party, Template, TemplateDataField, TemplateType, User, Webhook,
    Workspace,
};
