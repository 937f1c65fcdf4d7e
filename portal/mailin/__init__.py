"""The e-mail channel (rules.md, "The e-mail channel"): mail taken in by `mail receive` (a mail
server's pipe) and `mail fetch` (IMAP), decoded here (decode.py, pure), then filed, added to a
thread or held for review by the intake service."""
