//! The steps of the wizard for one cache, as they appear in the address.

/// One step after the cache is chosen; the last segment of `/cache/{sub}/{rg}/{name}/{step}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Check,
    Users,
    Review,
    Apply,
    Done,
}

impl Step {
    pub const ALL: [Step; 5] = [
        Step::Check,
        Step::Users,
        Step::Review,
        Step::Apply,
        Step::Done,
    ];

    pub fn parse(segment: &str) -> Option<Step> {
        Self::ALL.into_iter().find(|step| step.segment() == segment)
    }

    pub fn segment(self) -> &'static str {
        match self {
            Step::Check => "check",
            Step::Users => "users",
            Step::Review => "review",
            Step::Apply => "apply",
            Step::Done => "done",
        }
    }

    /// The step's name in the progress bar.
    pub fn title(self) -> &'static str {
        match self {
            Step::Check => "Check",
            Step::Users => "Redis users",
            Step::Review => "Review",
            Step::Apply => "Apply",
            Step::Done => "Done",
        }
    }
}

/// Where the wizard shows one cache at one step. Segments are percent-encoded so a resource
/// group with unusual characters still round-trips through the router.
pub fn cache_path(sub: &str, rg: &str, name: &str, step: Step) -> String {
    let enc = |s: &str| String::from(js_sys::encode_uri_component(s));
    format!(
        "/cache/{}/{}/{}/{}",
        enc(sub),
        enc(rg),
        enc(name),
        step.segment()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_round_trips_through_its_segment() {
        for step in Step::ALL {
            assert_eq!(Step::parse(step.segment()), Some(step));
        }
    }

    #[test]
    fn unknown_segments_are_not_steps() {
        assert_eq!(Step::parse("Check"), None);
        assert_eq!(Step::parse(""), None);
        assert_eq!(Step::parse("token"), None);
    }
}
