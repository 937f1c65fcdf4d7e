"""The support desk's own records, read by several features: maintenance notices (the banner, the
service plan) and canned replies (the work view); written by the back office."""
