"""Documents: outbriefs and service plans, rendered as bilingual PDFs."""
