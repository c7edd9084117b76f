//! The plan: every write to a cache, in order, computed from its current and desired state.
