//! A stage as users give it in settings: by the provider's id, or by its name
//! in any case (SPEC A5, S4), resolved against the stages of the job, pool or
//! firm the person is placed in.

/// The id of the stage `given` names among `stages` (id, name) of `whose`: an exact id first,
/// then a name in any case; else a message listing the stages there are.
pub fn stage_id(given: &str, stages: &[(String, String)], whose: &str) -> Result<String, String> {
    let wanted = given.trim();
    if let Some((id, _)) = stages.iter().find(|(id, _)| id == wanted) {
        return Ok(id.clone());
    }
    if let Some((id, _)) = stages.iter().find(|(_, name)| name.trim().eq_ignore_ascii_case(wanted)) {
        return Ok(id.clone());
    }
    let mut names: Vec<&str> = Vec::new();
    for (_, name) in stages {
        if !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            names.push(name);
        }
    }
    Err(format!("`{given}` is not a stage of {whose}; its stages are: {}", names.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stage_is_found_by_id_or_by_name_in_any_case() {
        let stages = vec![("11".to_owned(), "Review".to_owned()), ("12".to_owned(), "Phone Screen".to_owned())];
        assert_eq!(stage_id("12", &stages, "job 1").unwrap(), "12");
        assert_eq!(stage_id(" phone screen ", &stages, "job 1").unwrap(), "12");
        let e = stage_id("Offer", &stages, "job 1").unwrap_err();
        assert!(e.contains("Review, Phone Screen") && e.contains("job 1"), "{e}");
    }
}
