"""Operability: backups and restore, health checks, failure pages, logging."""
