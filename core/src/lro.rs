//! Long-running operations: which header to follow, how long to wait, when it has ended.
