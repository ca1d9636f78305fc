"""The todo API."""
from contextlib import asynccontextmanager
from typing import Optional

from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel
from sqlalchemy.orm import Session

from config import settings
from database import get_db, seed_db
from models import Todo


@asynccontextmanager
async def lifespan(app: FastAPI):
    print("Starting up the application...")
    # The schema belongs to Alembic: run `alembic upgrade head` before starting the app.
    if settings.debug:
        seed_db()
    yield
    print("Shutting down the application...")


app = FastAPI(title="Todo API", lifespan=lifespan)


class TodoIn(BaseModel):
    title: str
    description: Optional[str] = None
    is_completed: bool = False


@app.get("/todos")
def list_todos(db: Session = Depends(get_db)):
    return db.query(Todo).all()


@app.get("/todos/{todo_id}")
def get_todo(todo_id: int, db: Session = Depends(get_db)):
    todo = db.query(Todo).filter(Todo.id == todo_id).first()
    if todo is None:
        raise HTTPException(status_code=404, detail="Todo not found")
    return todo


@app.post("/todos", status_code=201)
def create_todo(payload: TodoIn, db: Session = Depends(get_db)):
    todo = Todo(**payload.model_dump())
    db.add(todo)
    db.commit()
    db.refresh(todo)
    return todo


@app.put("/todos/{todo_id}")
def update_todo(todo_id: int, payload: TodoIn, db: Session = Depends(get_db)):
    todo = db.query(Todo).filter(Todo.id == todo_id).first()
    if todo is None:
        raise HTTPException(status_code=404, detail="Todo not found")
    for field, value in payload.model_dump().items():
        setattr(todo, field, value)
    db.commit()
    return todo


@app.delete("/todos/{todo_id}", status_code=204)
def delete_todo(todo_id: int, db: Session = Depends(get_db)):
    todo = db.query(Todo).filter(Todo.id == todo_id).first()
    if todo is None:
        raise HTTPException(status_code=404, detail="Todo not found")
    db.delete(todo)
    db.commit()
