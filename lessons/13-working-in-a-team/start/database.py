"""Database engine, session factory and the declarative Base."""
import os

from sqlalchemy import create_engine
from sqlalchemy.orm import declarative_base, sessionmaker

DATABASE_URL = os.getenv("DATABASE_URL", "sqlite:///./todos.db")

engine = create_engine(DATABASE_URL, connect_args={"check_same_thread": False})
SessionLocal = sessionmaker(autocommit=False, autoflush=False, bind=engine)

Base = declarative_base()


def get_db():
    db = SessionLocal()
    try:
        yield db
    finally:
        db.close()


def init_db():
    """Create every table the models define (only those that don't exist yet)."""
    import models  # noqa: F401  (registers the models on Base.metadata)

    Base.metadata.create_all(bind=engine)


def seed_db():
    """Add a few todos to an empty table, for local development."""
    from models import Todo

    db = SessionLocal()
    try:
        if db.query(Todo).count() == 0:
            db.add(Todo(title="Learn FastAPI", description="Build a small API"))
            db.add(Todo(title="Learn Alembic", description="Stop calling create_all"))
            db.commit()
    finally:
        db.close()
