//! Microsoft Graph directory objects: users, service principals, managed identities, groups.
