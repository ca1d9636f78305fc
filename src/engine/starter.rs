//! The project a new page starts with: the guides' todo app — FastAPI with
//! a lifespan that calls `init_db()` (so `create_all` builds the schema) and
//! seeds rows in debug mode, SQLAlchemy models, and no Alembic yet. Its
//! database, `todos.db`, does not exist until the app first starts.

use super::project::Project;

/// The database file name the guides' todo app uses.
pub const DATABASE_FILE: &str = "todos.db";

/// The starter's files, embedded at build time.
const FILES: &[(&str, &str)] = &[
    ("main.py", include_str!("starter_files/main.py")),
    ("database.py", include_str!("starter_files/database.py")),
    ("models.py", include_str!("starter_files/models.py")),
    ("config.py", include_str!("starter_files/config.py")),
    ("requirements.txt", include_str!("starter_files/requirements.txt")),
];

pub fn project() -> Project {
    let mut project = Project::new();
    for (path, text) in FILES {
        project.write(path, *text);
    }
    project
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{app, ddl, models};

    #[test]
    fn starter_models_read_cleanly_and_create_the_guides_table() {
        let project = project();
        let result = models::read_models(&project, "models.py");
        assert!(result.diagnostics.is_empty(), "{:?}", result.diagnostics);
        let statements = ddl::create_all_statements(&result.metadata, &[]);
        assert_eq!(
            statements,
            vec![
                "CREATE TABLE todos (\n\tid INTEGER NOT NULL, \n\ttitle VARCHAR(255) NOT NULL, \n\tdescription TEXT, \n\tis_completed BOOLEAN, \n\tcreated_at DATETIME DEFAULT CURRENT_TIMESTAMP, \n\tPRIMARY KEY (id)\n)",
                "CREATE INDEX ix_todos_id ON todos (id)",
            ]
        );
    }

    #[test]
    fn starter_app_calls_init_db_at_startup() {
        let facts = app::read_project(&project());
        let app = facts.app.expect("main.py is the app");
        let text = format!("{:?}", app.startup);
        assert!(text.contains("InitDb"), "{text}");
        let database = facts.database.expect("database.py");
        assert_eq!(database.url.as_deref(), Some("sqlite:///./todos.db"));
        assert!(database.init_db.expect("init_db").calls_create_all());
    }
}
