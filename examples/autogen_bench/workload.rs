//! The autogenerate bench's workload: a synthetic models module of N tables
//! (10 columns, 2 indexes, 1 foreign key each), a database holding the same
//! tables one migration behind (each table lacks one column and one index),
//! and the measured step — reflect, compare, render — exactly as
//! `alembic revision --autogenerate` runs it in the engine.

use driftlab::engine::metadata::MetaData;
use driftlab::engine::migrate::compare::{self, CompareOptions};
use driftlab::engine::migrate::ops::reverse_ops;
use driftlab::engine::migrate::render;
use driftlab::engine::models;
use driftlab::engine::{ddl, db, reflect, Project};
use rusqlite::Connection;

/// Which side of the pending migration a models module describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Revision {
    /// What the database already has: 9 columns and 1 index per table.
    Database,
    /// What the models ask for: 10 columns and 2 indexes per table.
    Models,
}

/// The table name of the `index`-th table (`item_0042`); zero-padded so that
/// name order is creation order.
pub fn table_name(index: usize) -> String {
    format!("item_{index:04}")
}

/// The text of a 2.0-style `models.py` with `tables` tables. Table 0's foreign
/// key points at itself, every other table's at its "parent" (a binary tree,
/// so dependency sorting has real work but no cycles).
pub fn models_source(tables: usize, revision: Revision) -> String {
    let mut source = String::from(
        "import datetime\n\
         from typing import Optional\n\
         \n\
         from sqlalchemy import ForeignKey, Index, String, Text, func\n\
         from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n\
         \n\
         \n\
         class Base(DeclarativeBase):\n\
         \x20   pass\n",
    );
    for index in 0..tables {
        let name = table_name(index);
        let parent = table_name(if index == 0 { 0 } else { (index - 1) / 2 });
        source.push_str(&format!("\n\nclass Item{index:04}(Base):\n    __tablename__ = \"{name}\"\n"));
        if revision == Revision::Models {
            source.push_str(&format!(
                "    __table_args__ = (Index(\"ix_{name}_code_updated_at\", \"code\", \"updated_at\"),)\n"
            ));
        }
        source.push_str(&format!(
            "\n    id: Mapped[int] = mapped_column(primary_key=True)\n\
             \x20   parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey(\"{parent}.id\"))\n\
             \x20   name: Mapped[str] = mapped_column(String(80), index=True)\n\
             \x20   description: Mapped[Optional[str]] = mapped_column(Text)\n\
             \x20   quantity: Mapped[int] = mapped_column(default=0)\n\
             \x20   price: Mapped[Optional[float]]\n\
             \x20   is_active: Mapped[bool] = mapped_column(default=True)\n\
             \x20   code: Mapped[str] = mapped_column(String(20))\n\
             \x20   created_at: Mapped[datetime.datetime] = mapped_column(server_default=func.now())\n"
        ));
        if revision == Revision::Models {
            source.push_str("    updated_at: Mapped[Optional[datetime.datetime]]\n");
        }
    }
    source
}

/// Reads a generated models module with the engine's models reader.
pub fn read_metadata(source: &str) -> Result<MetaData, String> {
    let mut project = Project::new();
    project.write("models.py", source.as_bytes());
    let result = models::read_models(&project, "models.py");
    match result.diagnostics.first() {
        Some(first) => Err(format!("the generated models.py does not read cleanly: {first}")),
        None => Ok(result.metadata),
    }
}

/// Everything the measured step needs, made beforehand and not measured.
pub struct Workload {
    /// The models' `MetaData` (`target_metadata`).
    pub models: MetaData,
    /// The source the models were read from (for Alembic's side of the bench).
    pub models_source: String,
    /// The database one migration behind, open in memory.
    pub database: Connection,
}

impl Workload {
    /// Generates both revisions, reads them, and creates the database with
    /// `create_all` of the older one.
    pub fn prepare(tables: usize) -> Result<Workload, String> {
        let models_source = models_source(tables, Revision::Models);
        let models = read_metadata(&models_source)?;
        let old_models = read_metadata(&self::models_source(tables, Revision::Database))?;
        let database = db::open(&[]).map_err(|e| e.to_string())?;
        ddl::create_all(&database, &old_models).map_err(|(_, e)| format!("create_all failed: {e}"))?;
        Ok(Workload { models, models_source, database })
    }

    /// The bytes of the database file (for Alembic's side of the bench).
    pub fn database_bytes(&mut self) -> Result<Vec<u8>, String> {
        db::to_bytes(&mut self.database).map_err(|e| e.to_string())
    }

    /// The measured step: reflect the database, compare it with the models,
    /// and render the upgrade and downgrade bodies of the revision script.
    pub fn autogenerate(&self) -> Result<Autogenerated, String> {
        let database = reflect::reflect(&self.database).map_err(|e| e.to_string())?;
        let found = compare::compare(&self.models, &database, &CompareOptions::default());
        let downgrade_ops = reverse_ops(&found.upgrade_ops).map_err(|e| e.0)?;
        Ok(Autogenerated {
            upgrade_ops: found.upgrade_ops.len(),
            upgrade: render::render_commands(&found.upgrade_ops),
            downgrade: render::render_commands(&downgrade_ops),
        })
    }
}

/// What one autogenerate run produced.
pub struct Autogenerated {
    /// Top-level upgrade ops (one `ModifyTable` group per changed table).
    pub upgrade_ops: usize,
    /// `upgrade()`'s body, between Alembic's marker comments.
    pub upgrade: String,
    /// `downgrade()`'s body, between Alembic's marker comments.
    pub downgrade: String,
}

/// The middle value of `samples` (mean of the middle two for an even count).
pub fn median(samples: &[f64]) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let middle = sorted.len() / 2;
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[middle],
        _ => (sorted[middle - 1] + sorted[middle]) / 2.0,
    }
}
