//! Notes: a draft as the HTML Clockwork stores, the words a stored note
//! reduces to (so a re-formatted note still matches), and its category.

use crate::clockwork::wire::Note;
use hiresync_core::NoteDraft;

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("<br>"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// The note's HTML: the subject in bold, then the body, both escaped.
pub fn note_content(note: &NoteDraft) -> String {
    let body = format!("<p>{}</p>", escape(note.body.trim()));
    match note.subject.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(subject) => format!("<p><strong>{}</strong></p>{body}", escape(subject)),
        None => body,
    }
}

/// HTML reduced to its words, so a note Clockwork re-formatted still matches ours.
pub fn plain(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'");
    text.replace("&amp;", "&").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a stored note already records this draft.
pub fn same_note(stored: &Note, content: &str) -> bool {
    stored.content.as_deref().is_some_and(|c| plain(c) == plain(content))
}

/// The note type: the mapped one, else Email for messages, Follow Up for tasks, else Internal (`[U]` in v3).
pub fn note_category(note: &NoteDraft) -> String {
    if let Some(t) = note.note_type.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        return t.to_owned();
    }
    match note.outreach_type.as_str() {
        "message_sent" | "reply_received" | "bounced" => "Email",
        "task_completed" => "Follow Up",
        _ => "Internal",
    }
    .to_owned()
}
