//! Redis ACL rule syntax, as access policies use it.
