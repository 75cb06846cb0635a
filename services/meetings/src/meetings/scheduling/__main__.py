"""`python -m meetings.scheduling solve INSTANCE.json [--time-limit S] [--fairness D] [--seed N]
[--solver greedy|exact]` prints the result JSON; `python -m meetings.scheduling check INSTANCE.json
RESULT.json` prints the violations and exits 1 when there is any. `schema` rewrites the JSON Schema files."""

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from meetings.scheduling.checker import check
from meetings.scheduling.greedy import solve_greedy
from meetings.scheduling.instance import SCHEMA_PATH, instance_schema, load_instance, schema_text
from meetings.scheduling.result import SCHEMA_PATH as RESULT_SCHEMA_PATH
from meetings.scheduling.result import Result, result_schema
from meetings.scheduling.solver import solve_exact


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m meetings.scheduling")
    commands = parser.add_subparsers(dest="command", required=True)
    solve = commands.add_parser("solve", help="solve an instance and print the result JSON")
    solve.add_argument("instance", type=Path)
    solve.add_argument("--time-limit", type=float, default=10.0, help="seconds (default 10)")
    solve.add_argument("--fairness", type=int, default=None, help="max breaks − min breaks across companies")
    solve.add_argument("--seed", type=int, default=0)
    solve.add_argument("--solver", choices=("greedy", "exact"), default="exact")
    checking = commands.add_parser("check", help="verify a result against its instance")
    checking.add_argument("instance", type=Path)
    checking.add_argument("result", type=Path)
    commands.add_parser("schema", help="rewrite instance.schema.json and result.schema.json")
    args = parser.parse_args(argv)
    if args.command == "schema":
        SCHEMA_PATH.write_text(schema_text(instance_schema()), encoding="utf-8")
        RESULT_SCHEMA_PATH.write_text(schema_text(result_schema()), encoding="utf-8")
        return 0
    try:
        instance = load_instance(args.instance.read_bytes())
    except (OSError, ValidationError) as error:
        print(f"invalid instance: {error}", file=sys.stderr)
        return 2
    if args.command == "solve":
        if args.solver == "greedy":
            result = solve_greedy(instance, fairness=args.fairness)
        else:
            result = solve_exact(instance, time_limit=args.time_limit, fairness=args.fairness, seed=args.seed)
        print(result.model_dump_json(indent=2))
        return 0
    try:
        result = Result.model_validate_json(args.result.read_bytes())
    except (OSError, ValidationError) as error:
        print(f"invalid result: {error}", file=sys.stderr)
        return 2
    violations = check(instance, result)
    for violation in violations:
        print(violation)
    if not violations:
        print(f"ok: {len(result.placements)} placed, {len(result.unplaced)} unplaced, status {result.status}")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
