"""``python -m module08_deployment.service [--host H] [--port P]``: run the API with uvicorn."""

from __future__ import annotations

import argparse

import uvicorn

from labs_common.logs import setup_logging
from labs_common.tooling import configure_offline
from module08_deployment.service.settings import get_service_settings


def main(argv: list[str] | None = None) -> None:
    """Parse the address, then serve ``create_app()`` (settings come from LABS_* variables)."""
    parser = argparse.ArgumentParser(description="Serve the flight-delay model over HTTP.")
    parser.add_argument("--host", default="127.0.0.1", help="0.0.0.0 inside a container")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--log-level", default="info")
    args = parser.parse_args(argv)
    configure_offline()
    setup_logging(args.log_level.upper())
    settings = get_service_settings()  # a wrong LABS_* value stops here, before binding
    uvicorn.run(
        "module08_deployment.service.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        log_config=None,  # keep the rich handler set up above
        timeout_graceful_shutdown=30,
        # h11 buffers at most this many bytes of an unfinished request line + headers, then
        # answers 400; httptools (uvicorn's default when installed) has no such bound, and
        # a 20 MB header would be held in memory whole.
        http="h11",
        h11_max_incomplete_event_size=settings.max_header_bytes,
    )


if __name__ == "__main__":
    main()
