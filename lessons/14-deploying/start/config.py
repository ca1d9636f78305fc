"""Application settings."""
import os


class Settings:
    debug: bool = os.getenv("DEBUG", "true").lower() == "true"


settings = Settings()
