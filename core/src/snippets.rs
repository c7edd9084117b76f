//! Connection code for each client library and identity kind.
