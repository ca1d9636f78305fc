from sqlalchemy import Column

user = Column("name", String(50)

class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
