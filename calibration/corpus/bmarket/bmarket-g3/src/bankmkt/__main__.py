"""Command-line entry point: ``python -m src.bankmkt --config config.yaml``."""
import argparse
import logging
import sys

from .config import load_config
from .errors import PipelineError
from .pipeline import run

logger = logging.getLogger("bankmkt")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train and apply the subscription model.")
    parser.add_argument("--config", default="config.yaml", help="YAML configuration file")
    parser.add_argument("--log-level", default="INFO")
    args = parser.parse_args(argv)

    logging.basicConfig(level=args.log_level, format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
                        datefmt="%H:%M:%S")
    try:
        run(load_config(args.config))
    except PipelineError as exc:
        # Expected failures (bad input, bad config): one clear line, non-zero exit.
        logger.error("%s", exc)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
