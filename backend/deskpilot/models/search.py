from sqlalchemy import Text
from sqlalchemy.orm import Mapped, mapped_column

from deskpilot.models.base import Base


class SearchTerm(Base):
    """A word some ticket contains (title, category or description), kept by a trigger on
    tickets (migration 0005): what a misspelt or unaccented query word is matched against."""

    __tablename__ = "search_terms"

    term: Mapped[str] = mapped_column(Text, primary_key=True)
