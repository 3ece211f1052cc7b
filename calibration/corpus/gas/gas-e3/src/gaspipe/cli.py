"""gaspipe command line interface.

    python -m gaspipe.cli run            # full pipeline
    python -m gaspipe.cli train          # ingest..evaluate only
    python -m gaspipe.cli list-plugins   # show registered plugins
    python -m gaspipe.cli show-config
"""
import argparse
import sys

import yaml

from .registry import CLEANERS, FEATURIZERS, METRICS, MODELS, STEPS
from .runner import PipelineRunner
from .settings import Settings

TRAIN_STEPS = ["ingest", "validate", "clean", "featurize", "split", "train", "evaluate"]


def cmd_run(args, settings):
    PipelineRunner(settings).run()


def cmd_train(args, settings):
    PipelineRunner(settings, TRAIN_STEPS).run()


def cmd_list_plugins(args, settings):
    for reg in (CLEANERS, FEATURIZERS, MODELS, METRICS, STEPS):
        print(reg)


def cmd_show_config(args, settings):
    print(yaml.safe_dump({**settings.raw, "paths": settings.paths}, sort_keys=False))


def build_parser():
    parser = argparse.ArgumentParser(prog="gaspipe", description="plugin-based gas sensor ML pipeline")
    parser.add_argument("-c", "--config", help="path to a YAML config (default: config/default.yaml)")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, fn, help_ in [
        ("run", cmd_run, "run all pipeline steps"),
        ("train", cmd_train, "train + evaluate without predicting"),
        ("list-plugins", cmd_list_plugins, "list registered plugins"),
        ("show-config", cmd_show_config, "print the resolved config"),
    ]:
        p = sub.add_parser(name, help=help_)
        p.set_defaults(func=fn)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    settings = Settings.load(args.config)
    args.func(args, settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
