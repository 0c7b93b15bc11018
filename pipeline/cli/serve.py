"""`vanban serve`: vanban's pages and Datasette over the store, on this machine.

    vanban serve                                   # http://127.0.0.1:8001/
    vanban serve --db outputs/vanban.db --port 8080
    vanban serve --allow-upload                    # ingest from the browser, with the printed token
"""
from __future__ import annotations

import os
from pathlib import Path

import click

from vanban.extras import need
from vanban.pipeline.cli.options import DB_OPTION, open_store


@click.command()
@DB_OPTION
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 shows the store to your whole network.")
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True, help="Port to listen on.")
@click.option("--allow-upload", is_flag=True,
              help="Let the browser upload files into --inbox and ingest them (needs the token printed at "
                   "start, or VANBAN_TOKEN). Without it no route writes.")
@click.option("--inbox", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder uploads are saved into (default: inbox/ beside the store).")
def serve(db_path, host, port, allow_upload, inbox):
    """Serve the store in a browser: overview, search, documents, cited-by, DTI evidence,
    audit (Vietnamese; ?lang=en for English) and Datasette under /data/.

    \b
    Example:
      vanban serve --db outputs/vanban.db           # then open http://127.0.0.1:8001/
      VANBAN_TOKEN=secret vanban serve --allow-upload
    """
    from vanban.pipeline.web.app import create_app
    from vanban.pipeline.web.upload import Uploads, new_token

    uvicorn = need("uvicorn", "vanban serve")

    open_store(db_path).conn.close()  # exits 1, creating nothing, when there is no store
    uploads = None
    if allow_upload:
        token = os.environ.get("VANBAN_TOKEN") or new_token()
        uploads = Uploads(db_path, inbox or Path(db_path).resolve().parent / "inbox", token)
        click.echo(f"uploads on: files go to {uploads.inbox}; token: "
                   f"{'(from VANBAN_TOKEN)' if os.environ.get('VANBAN_TOKEN') else token}", err=True)
    app = create_app(db_path, uploads)
    click.echo(f"vanban: http://{host}:{port}/  (Datasette: http://{host}:{port}/data/)", err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)


def register(group: click.Group) -> None:
    group.add_command(serve)
