//! The alembic_version table (being written).
