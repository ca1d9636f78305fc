"""The FastAPI application: routes over the SQLAlchemy session."""
from contextlib import asynccontextmanager
from typing import Annotated, List, Optional

from alembic import command
from alembic.config import Config
from fastapi import Depends, FastAPI, HTTPException, status
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from .database import get_db, seed_db
from .models import Todo
from . import settings


@asynccontextmanager
async def lifespan(app: FastAPI):
    print("Starting up...")
    # Run any pending migrations on startup
    alembic_cfg = Config("alembic.ini")
    command.upgrade(alembic_cfg, "head")
    print("✅ Database schema is up to date")

    if settings.debug:
        seed_db()   # seeding is fine to keep

    yield
    print("Shutting down...")


app = FastAPI(title="Todos", lifespan=lifespan)
DbSession = Annotated[Session, Depends(get_db)]


class TodoIn(BaseModel):
    title: str
    description: Optional[str] = None
    is_completed: bool = False


class TodoOut(TodoIn):
    model_config = ConfigDict(from_attributes=True)

    id: int


@app.get("/todos", response_model=List[TodoOut])
def list_todos(db: DbSession, skip: int = 0, limit: int = 100):
    todos = db.scalars(select(Todo).offset(skip).limit(limit)).all()
    return [TodoOut.model_validate(t) for t in todos if not t.is_deleted]


@app.post("/todos", response_model=TodoOut, status_code=status.HTTP_201_CREATED)
async def create_todo(todo: TodoIn, db: Session = Depends(get_db)) -> TodoOut:
    db_todo = Todo(**todo.model_dump())
    db.add(db_todo)
    db.commit()
    db.refresh(db_todo)
    return db_todo


@app.get("/todos/{todo_id}")
def read_todo(todo_id: int, db: DbSession):
    if (todo := db.get(Todo, todo_id)) is None:
        raise HTTPException(status_code=404, detail=f"Todo {todo_id} not found")
    return todo


@app.delete("/todos/{todo_id}", status_code=204)
def delete_todo(todo_id: int, db: DbSession) -> None:
    todo = db.get(Todo, todo_id)
    if not todo:
        raise HTTPException(404)
    db.delete(todo)
    db.commit()
