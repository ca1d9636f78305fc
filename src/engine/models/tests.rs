//! Models reading beyond the oracle's files: mixins, enum classes, module
//! layouts, and robustness against random edits.

use super::*;
use crate::engine::ddl;

fn project(files: &[(&str, &str)]) -> Project {
    let mut p = Project::new();
    for (name, text) in files {
        p.write(name, text.as_bytes());
    }
    p
}

fn ddl_of(files: &[(&str, &str)]) -> Vec<String> {
    let result = read_models(&project(files), "models.py");
    assert!(result.diagnostics.is_empty(), "{:?}", result.diagnostics);
    ddl::create_all_statements(&result.metadata, &[])
}

#[test]
fn mixins_and_abstract_bases_lend_columns() {
    let statements = ddl_of(&[(
        "models.py",
        r#"
import datetime
from sqlalchemy import func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

class Base(DeclarativeBase):
    pass

class TimestampMixin:
    created_at: Mapped[datetime.datetime] = mapped_column(server_default=func.now())

class Model(Base):
    __abstract__ = True
    id: Mapped[int] = mapped_column(primary_key=True)

class Todo(Model, TimestampMixin):
    __tablename__ = "todos"
    title: Mapped[str]
"#,
    )]);
    assert_eq!(
        statements,
        vec!["CREATE TABLE todos (\n\tid INTEGER NOT NULL, \n\tcreated_at DATETIME DEFAULT CURRENT_TIMESTAMP NOT NULL, \n\ttitle VARCHAR NOT NULL, \n\tPRIMARY KEY (id)\n)"]
    );
}

#[test]
fn base_from_a_package_module_and_url_from_dotenv() {
    let files = [
        ("app/__init__.py", ""),
        ("app/database.py", "import os\nfrom sqlalchemy import create_engine\nfrom sqlalchemy.orm import declarative_base\nURL = os.getenv('DATABASE_URL', 'sqlite:///./todos.db')\nengine = create_engine(URL)\nBase = declarative_base()\n"),
        ("models.py", "from sqlalchemy import Column, Integer, Enum\nimport enum\nfrom app.database import Base\n\nclass Priority(str, enum.Enum):\n    low = 'low'\n    urgent = 'urgent'\n\nclass Todo(Base):\n    __tablename__ = 'todos'\n    id = Column(Integer, primary_key=True)\n    priority = Column(Enum(Priority), nullable=False)\n"),
        (".env", "DATABASE_URL=sqlite:///./other.db\n"),
    ];
    let statements = ddl_of(&files);
    assert_eq!(statements[0], "CREATE TABLE todos (\n\tid INTEGER NOT NULL, \n\tpriority VARCHAR(6) NOT NULL, \n\tPRIMARY KEY (id)\n)");
    let p = project(&files);
    let mut reader = Reader::new(&p);
    let scope = reader.load_module("app/database.py").unwrap();
    assert_eq!(scope.get("URL"), Some(&value::Value::Str("sqlite:///./other.db".into())));
}

#[test]
fn module_level_index_joins_its_table() {
    let statements = ddl_of(&[(
        "models.py",
        "from sqlalchemy import Column, Integer, String, Index\nfrom sqlalchemy.orm import declarative_base\nBase = declarative_base()\nclass User(Base):\n    __tablename__ = 'user'\n    id = Column(Integer, primary_key=True)\n    email = Column(String(120))\nIndex('ix_user_email_lower', User.email, unique=True)\n",
    )]);
    assert_eq!(statements[1], "CREATE UNIQUE INDEX ix_user_email_lower ON user (email)");
}

/// A tiny deterministic generator, so failures reproduce.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Random edits of real models files never make the reader panic or hang,
/// and every error points inside the file.
#[test]
fn mutated_models_never_panic() {
    let sources = [
        include_str!("../../../tests/python_cases/valid/models_table_args.py"),
        include_str!("../../../tests/python_cases/valid/models_relationships.py"),
        include_str!("../../../tests/python_cases/valid/database.py"),
    ];
    let fragments = ["(", ")", "[", "]", ":", "=", "Mapped[", "mapped_column(", "Column(", "ForeignKey(\"x.y\")", "\n    ", "\"", "'", ",", "None", "|", "__tablename__", "class A(Base):\n", "import ", "*", "\\"];
    let mut rng = XorShift(0x5eed_1234_abcd_ef01);
    for case in 0..5_000 {
        let mut text: Vec<u8> = sources[case % sources.len()].as_bytes().to_vec();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(text.len());
            match rng.below(4) {
                0 => {
                    let end = (at + rng.below(40)).min(text.len());
                    text.drain(at..end);
                }
                1 => {
                    let f = fragments[rng.below(fragments.len())];
                    text.splice(at..at, f.bytes());
                }
                2 => {
                    let end = (at + rng.below(60)).min(text.len());
                    let copy = text[at..end].to_vec();
                    let to = rng.below(text.len());
                    text.splice(to..to, copy);
                }
                _ => {
                    if let Some(b) = text.get_mut(at) {
                        *b = rng.next() as u8;
                    }
                }
            }
        }
        let source = String::from_utf8_lossy(&text).into_owned();
        let p = project(&[("models.py", &source), ("database.py", sources[2])]);
        let result = read_models(&p, "models.py");
        let lines = source.split('\n').count() + 1;
        for d in result.diagnostics.iter().filter(|d| d.file == "models.py") {
            assert!(d.line >= 1 && d.line <= lines, "case {case}: {d}");
        }
        let _ = ddl::create_all_statements(&result.metadata, &[]);
    }
}
