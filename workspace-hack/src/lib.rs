//! Feature-unification crate: see Cargo.toml.
