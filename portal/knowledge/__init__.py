"""The knowledge base (ナレッジ): articles staff write, customers read and search, and the
suggestions beside the new-request form that can save a request (docs/decisions/knowledge.md)."""
