//! Whether a cache can switch to Microsoft Entra authentication, and why not.
