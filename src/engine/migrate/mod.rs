//! Migrations: the operation model shared by autogenerate, script rendering
//! and reading, and applying to SQLite.

pub mod apply;
pub mod compare;
pub mod ops;
pub mod render;
pub mod script;
