//! Harvest v3 wire types: what the client sends ([`requests`]) and reads
//! ([`responses`]), exactly as Greenhouse documents them or, where it does
//! not, as `../ASSUMPTIONS.md` records.

pub mod requests;
pub mod responses;

pub use requests::{
    ApplicationWrite, CandidateWrite, ConvertToCandidate, CustomFieldWrite, EmploymentWrite, NoteWrite, PoolMove,
    StageMove, TokenRequest,
};
pub use responses::{
    Application, ApplicationStage, Candidate, CreatedCandidate, CustomField, CustomFieldOption, Employment, Job,
    JobStage, Note, Pool, PoolStage, ProspectDetail, TokenResponse, Typed, User,
};
