"""The `project` command line (Typer): serve, db, users, tokens, audit."""
