//! `alembic init DIR`: the generic template's files, byte for byte as
//! Alembic 1.20 writes them, and its messages.

use crate::engine::output::CommandOutput;
use crate::engine::project::{self, Project};

const ALEMBIC_INI: &str = include_str!("templates/alembic.ini.tmpl");
const ENV_PY: &str = include_str!("templates/env.py");
const SCRIPT_PY_MAKO: &str = include_str!("templates/script.py.mako");
const README: &str = include_str!("templates/README");

/// `FAILED: ...` on stdout and exit 255, as Alembic reports a `CommandError`.
pub fn command_error(message: &str) -> CommandOutput {
    CommandOutput { stdout: format!("FAILED: {message}\n"), stderr: String::new(), exit_code: 255 }
}

/// Runs `alembic init DIRECTORY` from `cwd` in `project`; `root` is the
/// project's absolute path, as messages show it.
pub fn init(project: &mut Project, root: &str, cwd: &str, directory: &str) -> CommandOutput {
    let Some(dir) = project::resolve(cwd, directory) else {
        return command_error(&format!("Directory {directory} already exists and is not empty"));
    };
    let absolute = |path: &str| if path.is_empty() { root.to_string() } else { format!("{root}/{path}") };
    let occupied = project.is_file(&dir)
        || project.files().any(|(p, _)| p.starts_with(&format!("{dir}/")))
        || project.dirs().any(|d| d.starts_with(&format!("{dir}/")));
    if occupied {
        return command_error(&format!("Directory {} already exists and is not empty", directory.trim_end_matches('/')));
    }
    let mut out = String::new();
    if !project.is_dir(&dir) {
        out.push_str(&format!("Creating directory {} ...  done\n", absolute(&dir)));
    }
    let versions = format!("{dir}/versions");
    out.push_str(&format!("Creating directory {} ...  done\n", absolute(&versions)));
    project.create_dir_all(&versions);
    for (name, text) in [("script.py.mako", SCRIPT_PY_MAKO), ("README", README), ("env.py", ENV_PY)] {
        let path = format!("{dir}/{name}");
        out.push_str(&format!("Generating {} ...  done\n", absolute(&path)));
        project.write(&path, text);
    }
    // The config file goes in the current directory, naming the scripts
    // folder relative to itself.
    let ini = project::resolve(cwd, "alembic.ini").unwrap_or_else(|| "alembic.ini".into());
    if project.is_file(&ini) {
        out.push_str(&format!("File {} already exists, skipping\n", absolute(&ini)));
    } else {
        let relative = dir.strip_prefix(&format!("{cwd}/")).unwrap_or(&dir);
        let location = format!("%(here)s/{relative}");
        out.push_str(&format!("Generating {} ...  done\n", absolute(&ini)));
        project.write(&ini, ALEMBIC_INI.replace("${script_location}", &location));
    }
    out.push_str(&format!(
        "Please edit configuration/connection/logging settings in {} before proceeding.\n",
        absolute(&ini)
    ));
    CommandOutput::ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn init_writes_the_generic_template() {
        let mut project = Project::new();
        let out = init(&mut project, "/p", "", "alembic");
        assert_eq!(out.exit_code, 0);
        assert!(out.stdout.starts_with("Creating directory /p/alembic ...  done\nCreating directory /p/alembic/versions ...  done\n"));
        let ini = project.read_text("alembic.ini").unwrap();
        assert!(ini.contains("script_location = %(here)s/alembic\n"));
        assert!(ini.contains("sqlalchemy.url = driver://user:pass@localhost/dbname\n"));
        assert!(project.is_dir("alembic/versions"));
        let again = init(&mut project, "/p", "", "alembic");
        assert_eq!(again, command_error("Directory alembic already exists and is not empty"));
    }
}
