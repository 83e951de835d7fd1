"""The command line: solve, check and bench, with one-line errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from planner.cli import main

DATA = Path(__file__).parent / "data"


def _write(tmp_path: Path, name: str, data: Any) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def test_solve_then_check(
    tmp_path: Path, village: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    """`solve -o` writes a plan that `check` accepts; progress goes to stderr."""
    problem = _write(tmp_path, "problem.json", village)
    plan = tmp_path / "plan.json"
    assert main(["solve", str(problem), "--time-limit", "1", "-o", str(plan)]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert "served 5/5" in err
    assert json.loads(plan.read_text())["summary"]["served"] == 5
    assert main(["check", str(problem), str(plan)]) == 0
    assert "plan is valid" in capsys.readouterr().err


def test_check_lists_violations(
    tmp_path: Path, village: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    """A plan that serves nobody and explains nothing fails the check."""
    problem = _write(tmp_path, "problem.json", village)
    plan = _write(tmp_path, "plan.json", {"routes": [], "unassigned": []})
    assert main(["check", str(problem), str(plan)]) == 1
    out, err = capsys.readouterr()
    assert out.count("neither served nor unassigned") == 5
    assert "violation(s)" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["solve", "missing.json"], "missing.json: no such file"),
        (["solve", "{bad}", "--time-limit", "0"], "--time-limit: must be positive: '0'"),
        (["solve", "{bad}", "--time-limit", "soon"], "not a number: 'soon'"),
        (["solve", "{bad}"], "invalid JSON at line 1"),
        (["solve", "{wrong}"], "requests[0].pickup.window: end 1 is before start 5"),
        (["bench", "nowhere"], "nowhere: not a directory"),
        (["fly"], "invalid choice: 'fly'"),
    ],
)
def test_errors_are_one_line(
    tmp_path: Path,
    village: dict[str, Any],
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    """Bad arguments and malformed files give one clear line and a non-zero exit."""
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    village["requests"][0]["pickup"]["window"] = [5, 1]
    wrong = _write(tmp_path, "wrong.json", village)
    argv = [a.replace("{bad}", str(bad)).replace("{wrong}", str(wrong)) for a in argv]
    argv = [str(tmp_path / a) if a == "missing.json" else a for a in argv]
    with pytest.raises(SystemExit) if argv[0] == "fly" or "--time-limit" in argv else _nothing():
        code = main(argv)
        assert code != 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert message in err


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return False


def test_bench_prints_a_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`bench` solves each instance, recomputes the exact cost and reports the gap."""
    bks = tmp_path / "bks.csv"
    bks.write_text("set,instance,bks,source\ncordeau,a2-16,294.25,test\n")
    out_json = tmp_path / "rows.json"
    code = main(
        ["bench", str(DATA), "--time-limit", "1", "--bks", str(bks), "--json", str(out_json)]
    )
    out, _ = capsys.readouterr()
    assert code == 0
    assert "a2-16      16/16" in out
    assert "all served: yes, all plans valid: yes" in out
    rows = json.loads(out_json.read_text())
    assert rows[0]["instance"] == "a2-16"
    assert rows[0]["violations"] == 0
