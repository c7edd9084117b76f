//! Identifiers that must not be confused with one another, each built by a checking constructor.
