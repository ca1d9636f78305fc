//! Migrations: the operation model shared by autogenerate, script rendering
//! and reading, and applying to SQLite.

pub mod ops;
