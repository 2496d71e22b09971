"""The README stays true: its function reference is generated, its commands exist."""

from pathlib import Path

from xl_cskpi import docs
from xl_cskpi.cli import COMMANDS
from xl_cskpi.registry import catalogue

README = Path(__file__).resolve().parents[1] / "README.md"


def test_function_reference_is_current():
    text = README.read_text(encoding="utf-8")
    assert docs.render_readme(text) == text, "README is stale: run `python -m xl_cskpi.docs`"


def test_every_function_and_command_is_in_the_readme():
    text = README.read_text(encoding="utf-8")
    for f in catalogue():
        assert f"`{f.signature_text()}`" in text
    for name in COMMANDS:
        assert f"xl-cskpi {name}" in text, name


def test_readme_opens_with_the_two_commands():
    blocks = README.read_text(encoding="utf-8").split("```bash\n")[1:3]
    assert "xl-cskpi demo" in blocks[0]
    assert "pytest" in blocks[1]
