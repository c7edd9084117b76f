//! Runtime configuration read from `/config.json`, so one build serves the sandbox and Azure.
