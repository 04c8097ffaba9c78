//! Validation errors that name the field at fault.

use serde::Serialize;

/// One invalid field and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// JSON path of the field, e.g. `emails[0]` or `[3].type`.
    pub field: String,
    /// What is wrong with it, in words a user can act on.
    pub message: String,
}

/// A non-empty list of invalid fields.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid input: {}", .errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; "))]
pub struct ValidationError {
    /// The fields at fault.
    pub errors: Vec<FieldError>,
}

impl ValidationError {
    /// One invalid field.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { errors: vec![FieldError { field: field.into(), message: message.into() }] }
    }

    /// Prefixes every field path, e.g. with the index of an event in a batch.
    pub fn within(mut self, prefix: &str) -> Self {
        for e in &mut self.errors {
            e.field =
                if e.field.starts_with('[') { format!("{prefix}{}", e.field) } else { format!("{prefix}.{}", e.field) };
        }
        self
    }
}

/// Collects field errors and turns them into a result.
#[derive(Default, Debug)]
pub struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    /// Records a failure when `ok` is false.
    pub fn check(&mut self, ok: bool, field: &str, message: &str) {
        if !ok {
            self.errors.push(FieldError { field: field.to_owned(), message: message.to_owned() });
        }
    }

    /// Ok when nothing failed.
    pub fn finish(self) -> Result<(), ValidationError> {
        if self.errors.is_empty() { Ok(()) } else { Err(ValidationError { errors: self.errors }) }
    }
}

/// Whether a string is a usable external id (non-empty, at most 255 chars, no control chars).
pub fn is_external_id(s: &str) -> bool {
    !s.trim().is_empty() && s.chars().count() <= 255 && !s.chars().any(char::is_control)
}

/// Lowercases and trims an email so the same address always matches (SPEC S5).
pub fn normalise_email(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    // Composed first: "é" typed as e + combining accent and as one character is one address.
    s.trim().nfc().collect::<String>().to_lowercase()
}

/// Whether two addresses are one under [`normalise_email`]: how every provider answer is
/// matched to a contact, so a provider's own (often ASCII-only) case rules never decide.
pub fn same_email(a: &str, b: &str) -> bool {
    normalise_email(a) == normalise_email(b)
}

/// Characters a reader cannot see (zero-width spaces and joiners, bidi controls, soft hyphens,
/// variation selectors, tags): in an address they make a look-alike of another.
fn invisible(c: char) -> bool {
    matches!(u32::from(c),
        0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180B..=0x180F | 0x200B..=0x200F
        | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F | 0xFEFF | 0xFFA0 | 0x1D173..=0x1D17A
        | 0xE0000..=0xE0FFF)
}

/// A deliberately loose email check: one `@`, something either side, a dot in the domain.
pub fn is_email(s: &str) -> bool {
    let s = s.trim();
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(|c| c.is_whitespace() || c.is_control() || invisible(c))
                && !domain.contains('@')
                && s.len() <= 254
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked_loosely() {
        assert_eq!(normalise_email("  Ada@Example.COM "), "ada@example.com");
        assert!(is_email("a.b+c@x.io"));
        assert!(!is_email("nope"));
        assert!(!is_email("a@b"));
        assert!(!is_email("a@@b.io"));
        assert!(!is_email("a b@c.io"));
    }

    #[test]
    fn one_address_has_one_form_and_invisible_characters_are_refused() {
        // Decomposed and composed accents, any case: one address.
        assert_eq!(normalise_email("E\u{301}mile@X.io"), normalise_email("\u{c9}MILE@x.io"));
        assert_eq!(normalise_email("E\u{301}mile@X.io"), "\u{e9}mile@x.io");
        for hidden in ["ada\u{200b}@x.io", "ada@x\u{200d}.io", "\u{feff}ada@x.io", "ad\u{202e}a@x.io", "a\u{ad}da@x.io"]
        {
            assert!(!is_email(&normalise_email(hidden)), "{hidden:?}");
        }
        assert!(is_email(&normalise_email("\u{e9}mile@x.io")));
    }

    #[test]
    fn within_prefixes_paths() {
        let e = ValidationError::field("type", "unknown").within("[3]");
        assert_eq!(e.errors[0].field, "[3].type");
    }
}
