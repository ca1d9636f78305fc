//! The project a new page starts with: the guides' todo app database,
//! `todos.db`, empty until something creates its tables.

use super::project::Project;

/// The database file name the guides' todo app uses.
pub const DATABASE_FILE: &str = "todos.db";

pub fn project() -> Project {
    let mut project = Project::new();
    project.write(DATABASE_FILE, Vec::new());
    project
}
