//! Roles and schools: employment to positions and the current one's company,
//! education to schools, and stored ones in the shape written, so the wanted
//! and the held compare.

use super::person::{same, texts};
use crate::clockwork::wire::{Education as WireEducation, EducationFields, Position, PositionFields};
use hiresync_core::{Education, Employment, PersonDraft};

/// The draft's current company: a company field map's `companyName`, else the contact's company.
pub fn current_company(draft: &PersonDraft) -> Option<String> {
    draft
        .company_fields
        .get("companyName")
        .and_then(|v| texts(v).into_iter().next())
        .or_else(|| draft.company.as_deref().map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned))
}

/// The roles a new person gets: the draft's history with the current role's company taken from
/// the company mapping, or, without a history, the current role from company and title.
pub fn initial_positions(draft: &PersonDraft) -> Vec<PositionFields> {
    let mut rows: Vec<PositionFields> = draft.employment.iter().filter_map(position_row).collect();
    let company = current_company(draft);
    if rows.is_empty() {
        if let Some(company_name) = company {
            rows.push(PositionFields { title: draft.title.clone(), company_name, ..PositionFields::default() });
        }
    } else if let (Some(name), Some(current)) = (
        draft.company_fields.get("companyName").and_then(|v| texts(v).into_iter().next()),
        rows.iter_mut().find(|r| r.end_year.is_none()),
    ) {
        current.company_name = name;
    }
    rows
}

/// Whether a stored role is the current one: flagged so, or without an end.
pub fn is_current(p: &Position) -> bool {
    p.is_current.unwrap_or(p.end_year.is_none())
}

/// The current role the draft asks for in place of `current` (the stored one, if any): its company
/// and title where the draft names them, the stored dates kept. `None` when nothing changes or the
/// draft names neither; a role without a company is never written.
pub fn replaced_current(current: Option<&Position>, draft: &PersonDraft) -> Option<PositionFields> {
    let company = current_company(draft);
    let title = draft.title.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned);
    if company.is_none() && title.is_none() {
        return None;
    }
    let stored = current.map(position_key);
    let mut want = stored.clone().unwrap_or_default();
    if let Some(c) = company {
        want.company_name = c;
    }
    if title.is_some() {
        want.title = title;
    }
    if want.company_name.is_empty() || stored.is_some_and(|s| same_role(&s, &want)) {
        return None;
    }
    Some(want)
}

fn same_role(a: &PositionFields, b: &PositionFields) -> bool {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    same(&a.company_name, &b.company_name)
        && same(&text(&a.title), &text(&b.title))
        && (a.start_month, a.start_year, a.end_month, a.end_year)
            == (b.start_month, b.start_year, b.end_month, b.end_year)
}

/// A year and optional month from `2021-03-04`, `2021-03`, `2021` or a timestamp.
pub fn month_year(raw: &str) -> Option<(i32, Option<u32>)> {
    let mut parts = raw.trim().splitn(3, '-');
    let year = parts.next()?.trim().parse::<i32>().ok().filter(|y| (1900..=2200).contains(y))?;
    match parts.next() {
        None => Some((year, None)),
        Some(m) => m.parse::<u32>().ok().filter(|m| (1..=12).contains(m)).map(|m| (year, Some(m))),
    }
}

/// An employment as a Clockwork position; `None` without company, title or a readable start.
pub fn position_row(e: &Employment) -> Option<PositionFields> {
    let company_name = e.company.as_deref().map(str::trim).filter(|s| !s.is_empty())?.to_owned();
    let title = e.title.as_deref().map(str::trim).filter(|s| !s.is_empty())?.to_owned();
    let (start_year, start_month) = month_year(e.start.as_deref()?)?;
    let end = e.end.as_deref().and_then(month_year);
    Some(PositionFields {
        title: Some(title),
        company_name,
        start_month,
        start_year: Some(start_year),
        end_month: end.and_then(|(_, m)| m),
        end_year: end.map(|(y, _)| y),
    })
}

/// A stored position in the shape we write, to compare with what is wanted.
pub fn position_key(p: &Position) -> PositionFields {
    let company = p.company_name.clone().or_else(|| p.company.as_ref().and_then(|c| c.name.clone()));
    let month = |m: Option<i64>| m.and_then(|m| u32::try_from(m).ok());
    let year = |y: Option<i64>| y.and_then(|y| i32::try_from(y).ok());
    PositionFields {
        title: p.title.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned),
        company_name: company.unwrap_or_default().trim().to_owned(),
        start_month: month(p.start_month),
        start_year: year(p.start_year),
        end_month: month(p.end_month),
        end_year: year(p.end_year),
    }
}

/// A school as Clockwork's education row; `None` without a school name.
pub fn education_row(e: &Education) -> Option<EducationFields> {
    let school_name = e.school.as_deref().map(str::trim).filter(|s| !s.is_empty())?.to_owned();
    let start = e.start.as_deref().and_then(month_year);
    let end = e.end.as_deref().and_then(month_year);
    let text = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    Some(EducationFields {
        school_name,
        degree: text(&e.degree),
        field_of_study: text(&e.field),
        start_month: start.and_then(|(_, m)| m),
        start_year: start.map(|(y, _)| y),
        end_month: end.and_then(|(_, m)| m),
        end_year: end.map(|(y, _)| y),
    })
}

/// A stored school in the shape we write, to compare with what is wanted.
pub fn education_key(e: &WireEducation) -> EducationFields {
    let month = |m: Option<i64>| m.and_then(|m| u32::try_from(m).ok());
    let year = |y: Option<i64>| y.and_then(|y| i32::try_from(y).ok());
    let text = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    EducationFields {
        school_name: e.school_name.clone().unwrap_or_default().trim().to_owned(),
        degree: text(&e.degree),
        field_of_study: text(&e.field_of_study),
        start_month: month(e.start_month),
        start_year: year(e.start_year),
        end_month: month(e.end_month),
        end_year: year(e.end_year),
    }
}
