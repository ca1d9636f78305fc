//! What the side views show about a project: drift between models, database
//! and migrations; the revision history as a graph.

pub mod drift;
pub mod history;

#[cfg(test)]
mod tests;
