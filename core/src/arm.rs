//! Resource Manager wire types and error bodies, as the published spec describes them.
