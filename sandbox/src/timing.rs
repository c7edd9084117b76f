//! How long operations take, as data: each long-running operation walks through phases.

use std::time::Duration;

/// A named timing profile chosen on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Profile {
    /// Realistic but short: Entra enabling takes about 30 s.
    Demo,
    /// Near-instant: every operation ends within about 300 ms.
    Test,
}

/// One state a cache shows while an operation runs, and for how long.
#[derive(Debug, Clone, Copy)]
pub struct Phase {
    pub state: &'static str,
    pub duration: Duration,
}

/// The phases of each kind of operation, and the Retry-After the service suggests.
#[derive(Debug, Clone)]
pub struct Timing {
    pub enable_aad: Vec<Phase>,
    pub update: Vec<Phase>,
    pub access: Vec<Phase>,
    pub retry_after_secs: u64,
}

fn phase(state: &'static str, millis: u64) -> Phase {
    Phase { state, duration: Duration::from_millis(millis) }
}

impl Timing {
    pub fn of(profile: Profile) -> Timing {
        match profile {
            Profile::Demo => Timing {
                enable_aad: vec![phase("ConfiguringAAD", 20_000), phase("Updating", 10_000)],
                update: vec![phase("Updating", 10_000)],
                access: vec![phase("Updating", 5_000)],
                retry_after_secs: 5,
            },
            Profile::Test => Timing {
                enable_aad: vec![phase("ConfiguringAAD", 150), phase("Updating", 150)],
                update: vec![phase("Updating", 200)],
                access: vec![phase("Updating", 200)],
                retry_after_secs: 1,
            },
        }
    }
}
