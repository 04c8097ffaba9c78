//! Everything hiresync believes about Clockwork's bodies, in one place:
//! request bodies ([`requests`]) and response envelopes ([`responses`]).
//! Paths and verbs are in `../endpoints.rs`, auth headers in `../client.rs`.
//!
//! Clockwork's v3 spec could not be obtained, so each item carries the
//! confidence tag of `shared/providers/clockwork.md`: `[S]` secondary
//! (connector or community code), `[U]` unconfirmed (our best guess).
//! `clockwork/ASSUMPTIONS.md` lists them with their sources; a live check
//! corrects them here and nowhere else.

mod requests;
mod responses;

pub use requests::{
    AddressBody, AddressFields, CandidacyBody, CandidacyFields, CustomFieldValueBody, CustomFieldValueFields,
    EducationBody, EducationFields, EmailBody, EmailFields, LinkedinBody, LinkedinFields, NoteBody, NoteFields,
    PersonBody, PersonFields, PersonTagBody, PersonTagFields, PhoneBody, PhoneFields, PositionBody, PositionFields,
    WebSiteBody, WebSiteFields,
};
pub use responses::{
    Address, Candidacy, CompanyRef, CustomFieldChoice, CustomFieldDef, CustomFieldValue, Education, EmailAddress,
    LinkedinUrl, Note, Person, PhoneNumber, Position, Project, Status, Tag, WebSite, count, many, one, total,
};

/// How sure we are of a route or shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Confidence {
    /// `[S]`: seen in third-party connector or community code.
    Secondary,
    /// `[U]`: not found anywhere; our best-supported guess.
    Unconfirmed,
}
