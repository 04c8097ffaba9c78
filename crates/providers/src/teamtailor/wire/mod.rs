//! Teamtailor wire types: the JSON:API envelope ([`jsonapi`]), the
//! attributes of the resources read ([`responses`]) and of those written
//! ([`requests`]), as the fixtures and the legacy docs show them.

pub mod jsonapi;
pub mod requests;
pub mod responses;

pub use jsonapi::{
    Document, ErrorDocument, ErrorObject, Identifier, Linkage, Links, ListDocument, Relationship, Resource, ToOne,
    WriteDocument, WriteResource, id_text, opt_id_text, typed,
};
pub use requests::{CandidateWrite, CustomFieldValueWrite, JobApplicationCreate, NoteCreate, UploadCreate};
pub use responses::{
    Candidate, CandidateAttributes, CustomFieldAttributes, CustomFieldDef, CustomFieldOption,
    CustomFieldOptionAttributes, CustomFieldValue, CustomFieldValueAttributes, DepartmentAttributes, Job,
    JobApplication, JobApplicationAttributes, JobAttributes, LocationAttributes, Note, NoteAttributes, Stage,
    StageAttributes, Upload, UploadAttributes, User, UserAttributes,
};
