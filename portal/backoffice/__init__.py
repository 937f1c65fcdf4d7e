"""The back office: the staff queue, the dashboard, maintenance notices, canned replies."""
