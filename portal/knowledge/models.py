"""The knowledge base's tables: articles with their categories, organisations, revisions and
attachments, and what readers did with them (feedback, reads, deflections)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import Organization, User
from portal.db import UTCDateTime, db, utcnow


class ArticleCategory(db.Model):
    """A heading customers browse by (接続, アカウント, …), named in both languages."""

    __tablename__ = "article_categories"
    id: Mapped[int] = mapped_column(primary_key=True)
    name_ja: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)


class Article(db.Model):
    """An answer staff wrote once, in Japanese, English or both; Markdown, rendered sanitised.

    `for_everyone` False means only the organisations of `organizations` may read it."""

    __tablename__ = "articles"
    __table_args__ = (
        CheckConstraint("title_ja <> '' OR title_en <> ''", name="has_a_title"),
        Index("ix_articles_published", "published", "category_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("article_categories.id"))
    title_ja: Mapped[str] = mapped_column(String(200), default="")
    body_ja: Mapped[str] = mapped_column(Text, default="")
    title_en: Mapped[str] = mapped_column(String(200), default="")
    body_en: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[bool] = mapped_column(default=False)
    for_everyone: Mapped[bool] = mapped_column(default=True)
    reviewed_on: Mapped[date | None]
    source_ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    category: Mapped[ArticleCategory | None] = relationship()
    organizations: Mapped[list[Organization]] = relationship(secondary="article_organizations")


class ArticleOrganization(db.Model):
    """An organisation that may read an article restricted to selected ones."""

    __tablename__ = "article_organizations"
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"),
                                            primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), primary_key=True)


class ArticleRevision(db.Model):
    """The article as one save left it: who, when, and every text."""

    __tablename__ = "article_revisions"
    __table_args__ = (UniqueConstraint("article_id", "number", name="article_revision_number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    title_ja: Mapped[str] = mapped_column(String(200), default="")
    body_ja: Mapped[str] = mapped_column(Text, default="")
    title_en: Mapped[str] = mapped_column(String(200), default="")
    body_en: Mapped[str] = mapped_column(Text, default="")
    published: Mapped[bool] = mapped_column(default=False)
    editor: Mapped[User | None] = relationship()


class ArticleAttachment(db.Model):
    """A file of an article; stored like a request's (random name, always a download)."""

    __tablename__ = "article_attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ArticleFeedback(db.Model):
    """A reader's answer to "did this help?" (one per reader and article; may be changed)."""

    __tablename__ = "article_feedback"
    __table_args__ = (UniqueConstraint("article_id", "user_id", name="feedback_once"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    helpful: Mapped[bool]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ArticleRead(db.Model):
    """A customer opened an article: with the requests filed after it, "read, filed anyway"."""

    __tablename__ = "article_reads"
    __table_args__ = (Index("ix_article_reads_user_at", "user_id", "read_at"),
                      Index("ix_article_reads_month", "month", "article_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    from_filing: Mapped[bool] = mapped_column(default=False)
    month: Mapped[str] = mapped_column(String(7))
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Deflection(db.Model):
    """"This answered my question": a filing ended by an article, counted per article and month
    (the month of the organisation's zone, like the allowance)."""

    __tablename__ = "article_deflections"
    __table_args__ = (Index("ix_article_deflections_month", "month", "article_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    organization_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    month: Mapped[str] = mapped_column(String(7))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
