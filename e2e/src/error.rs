//! The one error the harness reports: what went wrong, phrased so the test output says what to do.
use std::fmt;

/// A harness failure. `Debug` prints the message itself, because a test returning
/// `Err` shows `Debug`, and the reader wants the sentence, not the struct.
pub struct Error(String);

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }

    /// Wraps a lower-level error with what the harness was doing.
    pub fn context(doing: &str, cause: impl fmt::Display) -> Self {
        Self(format!("{doing}: {cause}"))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;
