"""Command line: `python -m geodata validate` checks the data; `python -m geodata build` derives
the geometries from geodata/inputs and writes datapackage.json; `python -m geodata datapackage`
writes only datapackage.json, from geodata/schema.py (add `--check` to either to fail instead of
writing when the committed files differ)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geodata.build import INPUTS_DIR, build, read_inputs, stale_files, write
from geodata.datapackage import PACKAGE_FILE, datapackage_text, write_datapackage
from geodata.loader import DATA_DIR, validate_dir
from geodata.validate import DataError


def main(argv: list[str] | None = None) -> int:
    """Run a subcommand; return the process exit code."""
    parser = argparse.ArgumentParser(prog="python -m geodata", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("validate", help="check every rule on geodata/data")
    check.add_argument("--data", type=Path, default=DATA_DIR, help="folder of the data files")
    check.add_argument(
        "--inputs", type=Path, default=INPUTS_DIR, help="folder of the build's input tables"
    )
    build_cmd = sub.add_parser("build", help="derive features.geojson and context.geojson")
    build_cmd.add_argument("--check", action="store_true", help="fail if the files are stale")
    package = sub.add_parser("datapackage", help="write datapackage.json from geodata/schema.py")
    package.add_argument("--check", action="store_true", help="fail if the file is stale")
    args = parser.parse_args(argv)
    try:
        if args.command == "validate":
            problems = validate_dir(args.data)
            try:
                read_inputs(args.inputs)
            except DataError as exc:
                problems += exc.problems
            for problem in problems:
                print(problem, file=sys.stderr)
            print(f"{len(problems)} problem(s) in {args.data} and {args.inputs}")
            return 1 if problems else 0
        if args.command == "datapackage":
            path = DATA_DIR / PACKAGE_FILE
            if args.check:
                current = path.exists() and path.read_text(encoding="utf-8") == datapackage_text()
                if not current:
                    print(f"{path} is stale: run `python -m geodata datapackage`", file=sys.stderr)
                return 0 if current else 1
            print(f"wrote {write_datapackage()}")
            return 0
        if args.check:
            stale = stale_files()
            for name in stale:
                print(f"{name} is stale: run `python -m geodata build`", file=sys.stderr)
            return 1 if stale else 0
        write(build())
        print(f"wrote {DATA_DIR}/features.geojson, context.geojson and {PACKAGE_FILE}")
        return 0
    except DataError as exc:
        print(exc, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
