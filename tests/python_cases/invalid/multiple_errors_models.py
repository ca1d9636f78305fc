from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class User(Base)
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    name = Column(String(50)
    email = Column(String(120), unique=True)


class Post(Base):
    __tablename__ = 'posts
    id = Column(Integer, primary_key=True)
    title = Column(String 200)

def helper():
return 1
