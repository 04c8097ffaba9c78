//! Pure wire ↔ core conversions, by what they convert: people and the
//! contact details they lack, roles and schools, notes, and targets.

mod extras;
mod history;
mod notes;
mod person;
mod targets;

pub use extras::{CUSTOM_PREFIX, custom_field, custom_value, custom_values, holds_value, wanted_address, wanted_sites};
pub use history::{
    current_company, education_key, education_row, initial_positions, is_current, position_key, position_row,
    replaced_current,
};
pub use notes::{note_category, note_content, same_note};
pub use person::{
    COMPANY_FIELDS, LIST_FIELDS, STANDARD_FIELDS, apply, create_body, emails, lacks, missing, missing_tags, person,
    person_url, update_body, wanted_emails, wanted_linkedin, wanted_phones,
};
pub use targets::{DEFAULT_STATUS, is_target, ordered_statuses};

#[cfg(test)]
pub use {history::month_year, notes::plain};
