"""The instance and result formats: the committed JSON Schemas are the generated ones, the loader refuses
broken references, and the command line round trip (solve, then check) works."""

import json
from pathlib import Path

import jsonschema  # type: ignore[import-untyped]  # (a dev dependency through check-jsonschema)
import pytest
from pydantic import ValidationError

from meetings.scheduling import generate
from meetings.scheduling.__main__ import main
from meetings.scheduling.instance import SCHEMA_PATH, instance_schema, load_instance, schema_text
from meetings.scheduling.result import SCHEMA_PATH as RESULT_SCHEMA_PATH
from meetings.scheduling.result import Result, result_schema


def test_committed_schemas_are_up_to_date() -> None:
    """Regenerate with `python -m meetings.scheduling schema`."""
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(instance_schema())
    assert RESULT_SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(result_schema())


def test_generated_instances_follow_the_schema() -> None:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.validate(generate.plaza(1).model_dump(mode="json"), schema)
    jsonschema.validate(generate.forum(1, locked=0.1, precedences=0.1).model_dump(mode="json"), schema)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["meetings"][0].update(companies=["K01", "nobody"]), "unknown company"),
        (lambda d: d["meetings"][0].update(after=["missing"]), "unknown meeting"),
        (lambda d: d["meetings"][0].update(lock={"slot": "s99"}), "unknown slot"),
        (lambda d: d["people"][0].update(unavailable=["s99"]), "unknown slot"),
        (lambda d: d["tables"].append({"id": "T-K01"}), "duplicate table"),
        (lambda d: d["interpreters"][0].update(pairs=["korean"]), "bad pair"),
        (lambda d: d["meetings"][0].update(priority=9), "less than or equal to 5"),
    ],
)
def test_the_loader_refuses_broken_instances(change, message: str) -> None:
    data = generate.plaza(1).model_dump(mode="json")
    change(data)
    with pytest.raises(ValidationError, match=message):
        load_instance(data)


def test_solve_then_check_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    instance_path = tmp_path / "instance.json"
    instance_path.write_text(generate.plaza(2).model_dump_json(), encoding="utf-8")
    for solver in ("greedy", "exact"):
        assert (
            main(["solve", str(instance_path), "--time-limit", "1", "--seed", "1", "--solver", solver]) == 0
        )
        output = capsys.readouterr().out
        result = Result.model_validate_json(output)
        jsonschema.validate(json.loads(output), json.loads(RESULT_SCHEMA_PATH.read_text(encoding="utf-8")))
        result_path = tmp_path / f"{solver}.json"
        result_path.write_text(output, encoding="utf-8")
        assert main(["check", str(instance_path), str(result_path)]) == 0
        assert "ok:" in capsys.readouterr().out
        assert result.placements
    broken = Result.model_validate_json(result_path.read_text(encoding="utf-8"))
    tampered = broken.model_copy(update={"placements": [*broken.placements, broken.placements[0]]})
    result_path.write_text(tampered.model_dump_json(), encoding="utf-8")
    assert main(["check", str(instance_path), str(result_path)]) == 1
    assert "placed twice" in capsys.readouterr().out
    (tmp_path / "bad.json").write_text('{"slots": []}', encoding="utf-8")
    assert main(["solve", str(tmp_path / "bad.json")]) == 2
