from project.entrypoints.cli.main import run

run()
