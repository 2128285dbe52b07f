"""The schema revisions, oldest first (``0001_records``, ``0002_user_accounts``...)."""
