//! Legacy Harvest v1 wire types: what the v1 client sends ([`requests`])
//! and reads ([`responses`]).

pub mod requests;
pub mod responses;

pub use requests::{CandidateCreate, EmailCreate, EmploymentCreate, NoteCreate, ProspectMove};
pub use responses::{
    IdName, V1ActivityFeed, V1Application, V1Candidate, V1Created, V1CustomField, V1Email, V1Employment, V1JobStage,
    V1Note, V1Option, V1Pool, V1ProspectDetail,
};
