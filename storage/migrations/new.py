"""Write a new migration from the difference between the models and the migrations so far.

    python -m storage.migrations.new "add problem table"

Autogenerates against a throw-away SQLite database upgraded to the current head; read the
generated file before committing it.
"""

import sys
import tempfile
from pathlib import Path

from alembic import command

from storage.db import alembic_config, make_engine


def main(message: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'scratch.db'}")
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
            command.revision(alembic_config(conn), message=message, autogenerate=True)
        engine.dispose()


if __name__ == "__main__":
    main(" ".join(sys.argv[1:]) or "schema change")
