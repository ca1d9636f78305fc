//! driftlab: an engine that plays FastAPI + SQLAlchemy + Alembic against a real SQLite,
//! with a thin Leptos UI (wasm32 only) and a thin native CLI around it.
pub mod engine;

#[cfg(target_arch = "wasm32")]
pub mod ui;

#[cfg(all(test, target_arch = "wasm32"))]
mod wasm_tests;
