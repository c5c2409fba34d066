"""The pins live in pyproject.toml; environment.yml (Binder, conda) must mirror them exactly.

environment.yml is read line by line (PyYAML is not a dependency): the file is the simple
shape conda documents, top-level keys with lists under them and one nested `pip:` list.
"""
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*==\s*([^\s;,]+)$")


def normalise(name):
    """PEP 503 normalised project name: case and runs of -_. do not matter."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_pins(requirements, where):
    """{name: version} from requirement strings, each of which must be an exact == pin."""
    pins = {}
    for req in requirements:
        match = PIN.match(req.strip())
        assert match, f"{where}: {req!r} is not an exact pin (name==version)"
        name = normalise(match.group(1))
        assert name not in pins, f"{where}: {name} is pinned twice"
        pins[name] = match.group(3)
    return pins


def pyproject_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra, reqs in project.get("optional-dependencies", {}).items():
        requirements += reqs
    return parse_pins(requirements, "pyproject.toml")


def _item(line):
    """The value of a YAML list item line '- value', without quotes."""
    value = line.strip()[1:].strip()
    return value.strip("'\"")


def read_environment(text):
    """Parse the simple environment.yml shape into
    {"name": str, "channels": [...], "dependencies": [...], "pip": [...]}."""
    env = {"name": None, "channels": [], "dependencies": [], "pip": []}
    section, pip_indent = None, None
    for raw in text.splitlines():
        line = re.sub(r"\s+#.*$", "", raw) if not raw.lstrip().startswith("#") else ""
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        if indent == 0:
            key, _, value = line.partition(":")
            section, pip_indent = key.strip(), None
            if section == "name":
                env["name"] = value.strip().strip("'\"")
            continue
        stripped = line.strip()
        if pip_indent is not None and indent > pip_indent and stripped.startswith("-"):
            env["pip"].append(_item(stripped))
        elif section == "dependencies" and stripped.replace(" ", "") == "-pip:":
            pip_indent = indent
        elif section in ("channels", "dependencies") and stripped.startswith("-"):
            pip_indent = None
            env[section].append(_item(stripped))
        else:
            raise AssertionError(f"environment.yml: cannot read line {raw!r}")
    return env


@pytest.fixture(scope="module")
def environment():
    path = ROOT / "environment.yml"
    assert path.exists(), "environment.yml is missing: Binder and conda users need it"
    return read_environment(path.read_text())


def test_pyproject_pins_every_dependency_exactly():
    pins = pyproject_pins()
    for needed in ("numpy", "matplotlib", "ipywidgets", "jupyterlab", "nbval", "pytest"):
        assert needed in pins, f"pyproject.toml does not pin {needed}"


def test_environment_uses_conda_forge_and_python_3_12(environment):
    assert environment["name"] == "rnn-course"
    assert environment["channels"] == ["conda-forge"]
    conda = environment["dependencies"]
    assert "python=3.12" in conda, conda
    assert "pip" in conda, "the pip: section needs pip itself"


def test_environment_pip_section_pins_exactly_what_pyproject_pins(environment):
    pip_lines = environment["pip"]
    local = [line for line in pip_lines if line.startswith((".", "-e", "--"))]
    pins = parse_pins([line for line in pip_lines if line not in local], "environment.yml")
    expected = pyproject_pins()
    missing = {k: v for k, v in expected.items() if k not in pins}
    extra = {k: v for k, v in pins.items() if k not in expected}
    different = {k: (pins[k], v) for k, v in expected.items() if k in pins and pins[k] != v}
    assert not missing, f"environment.yml lacks pins of pyproject.toml: {missing}"
    assert not extra, f"environment.yml pins packages pyproject.toml does not: {extra}"
    assert not different, f"versions differ (environment.yml, pyproject.toml): {different}"


def test_conda_packages_do_not_contradict_the_pins(environment):
    expected = pyproject_pins()
    for dep in environment["dependencies"]:
        parts = re.split(r"[=<>!\s]+", dep, maxsplit=1)
        name, version = normalise(parts[0]), (parts[1] if len(parts) > 1 else "")
        if name in expected:
            assert version.lstrip("=") == expected[name], (
                f"conda dependency {dep!r} contradicts pyproject.toml's {name}=={expected[name]}"
            )


def test_the_parser_reads_what_it_checks():
    text = """# comment
name: demo
channels:
  - conda-forge
dependencies:
  - python=3.12  # the interpreter
  - pip
  - pip:
    - "numpy==1.0"
    - -e .
"""
    env = read_environment(text)
    assert env == {"name": "demo", "channels": ["conda-forge"],
                   "dependencies": ["python=3.12", "pip"], "pip": ["numpy==1.0", "-e ."]}
    with pytest.raises(AssertionError, match="not an exact pin"):
        parse_pins(["numpy>=1.0"], "test")
