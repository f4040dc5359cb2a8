"""Writing scenarios in the app: checking drafts, keeping versions, publishing to cohorts.

Pure of Flask: the supervisor views and the CLI call these with a database session.
"""
