"""Binder: the configuration repo2docker builds from, and every launch link in the course.

Conda and repo2docker cannot run here, so these tests check structure. tests/test_packaging.py
already checks environment.yml's name, channel, Python version and that its pins equal
pyproject.toml's; this module checks what Binder needs beyond that:

- environment.yml installs no local package (repo2docker installs it before copying the
  repository, jupyterhub/repo2docker#1265), and ./postBuild installs rnnlib instead;
- nothing overrides the root configuration (a binder/ folder or a Dockerfile would);
- every Binder link (README.md and every notebook) opens this repository at a path that exists,
  the README's badge opens the first lecture, and each notebook's first cell links to itself;
- no notebook bends sys.path to find rnnlib: it is installed, so it imports from any folder.
"""
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The project's GitHub slug: the one place the tests spell it.
GITHUB_SLUG = "rnn-course/rnn-course"
BINDER = f"https://mybinder.org/v2/gh/{GITHUB_SLUG}/HEAD"
BADGE = "https://mybinder.org/badge_logo.svg"
FIRST_LECTURE = "notebooks/01-sequences.ipynb"

NOTEBOOKS = sorted(
    path.relative_to(ROOT).as_posix()
    for folder in ("notebooks", "exercises", "solutions")
    for path in (ROOT / folder).glob("*.ipynb")
)
# Up to the first character that cannot be part of a URL in Markdown or HTML.
BINDER_LINK = re.compile(r"https?://mybinder\.org/v2/[^\s)\]\"'<>]+")


def binder_target(url):
    """The repository path a Binder URL opens, or raise AssertionError saying what is wrong."""
    parts = urlsplit(url)
    match = re.fullmatch(r"/v2/gh/([^/]+/[^/]+)/([^/]+)/?", parts.path)
    assert match, f"{url}: not a Binder link to a GitHub repository (/v2/gh/OWNER/REPO/REF)"
    slug, ref = match.groups()
    assert slug == GITHUB_SLUG, f"{url}: opens {slug}, not {GITHUB_SLUG}"
    assert ref == "HEAD", f"{url}: pins ref {ref!r}; use HEAD so links follow the default branch"
    query = parse_qs(parts.query)
    if "labpath" in query:
        return unquote(query["labpath"][0])
    urlpath = unquote(query.get("urlpath", [""])[0])
    match = re.fullmatch(r"/?lab/tree/(.+)", urlpath)
    assert match, f"{url}: urlpath={urlpath!r} does not open a file in JupyterLab (lab/tree/PATH)"
    return match.group(1)


def links_in(text):
    return [url.rstrip(".,;") for url in BINDER_LINK.findall(text)]


def read_notebook(relpath):
    return json.loads((ROOT / relpath).read_text())


def source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


# ---------------------------------------------------------------------------------------------
# The Binder configuration
# ---------------------------------------------------------------------------------------------

def test_environment_installs_no_local_package():
    lines = (ROOT / "environment.yml").read_text().splitlines()
    local = [line for line in lines
             if re.match(r"^\s*-\s*(-e\s+|--editable\s+)?(\.|file:)", line.split("#")[0])]
    assert not local, (
        f"environment.yml installs the repository itself ({local}); repo2docker installs "
        "environment.yml before it copies the repository, so this fails on Binder "
        "(jupyterhub/repo2docker#1265). postBuild installs rnnlib instead.")


def test_postbuild_installs_rnnlib():
    path = ROOT / "postBuild"
    assert path.exists(), "postBuild is missing: Binder would have no rnnlib"
    text = path.read_text()
    assert text.startswith("#!"), "postBuild needs a shebang line (#!/usr/bin/env bash)"
    assert os.access(path, os.X_OK), "postBuild must be executable (chmod +x postBuild)"
    assert re.search(r"^set -[a-z]*e", text, re.MULTILINE), \
        "postBuild must stop at the first failing command (set -e), so a broken build fails"
    code = [line.split("#")[0] for line in text.splitlines()]
    installs = [line for line in code
                if re.search(r"\bpip install\b", line) and re.search(r"\s\.(\s|$)", line)]
    assert installs, "postBuild does not `pip install` the repository (`.`)"
    assert all("--no-deps" in line for line in installs), (
        "postBuild must install rnnlib with --no-deps: environment.yml pinned its dependencies")
    # A fresh clone gets the mode git recorded: once committed, it must be 100755.
    staged = subprocess.run(["git", "ls-files", "--stage", "postBuild"], cwd=ROOT,
                            capture_output=True, text=True).stdout
    assert not staged or staged.startswith("100755"), f"git records postBuild as {staged!r}"
    # Binder starts the script from the repository; conda users may start it from elsewhere.
    assert any(re.search(r'\bcd\b.*dirname', line) for line in code), \
        "postBuild should cd to its own folder before installing `.`"


def test_postbuild_is_valid_bash():
    result = subprocess.run(["bash", "-n", str(ROOT / "postBuild")], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr


def test_nothing_overrides_the_root_configuration():
    # repo2docker reads binder/ or .binder/ instead of the root when either exists, and a
    # Dockerfile replaces environment.yml and postBuild altogether.
    for name in ("binder", ".binder", "Dockerfile", "requirements.txt", "runtime.txt"):
        assert not (ROOT / name).exists(), (
            f"{name} would change what Binder builds: the configuration is environment.yml and "
            "postBuild at the root (requirements.txt would be a second list of pins)")


def test_rnnlib_imports_from_any_folder(tmp_path):
    # Locally rnnlib is installed into .venv (make lab / make test); on Binder by postBuild.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([sys.executable, "-c", "import rnnlib; print(rnnlib.__file__)"],
                            cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"import rnnlib fails outside the repository:\n{result.stderr}"


@pytest.mark.parametrize("relpath", NOTEBOOKS)
def test_notebook_does_not_bend_sys_path(relpath):
    for index, cell in enumerate(read_notebook(relpath)["cells"]):
        if cell["cell_type"] == "code":
            assert not re.search(r"sys\.path\.(insert|append)|os\.chdir", source(cell)), (
                f"{relpath} cell {index}: rnnlib is installed, so notebooks import it without "
                "changing sys.path or the working directory")


# ---------------------------------------------------------------------------------------------
# The links
# ---------------------------------------------------------------------------------------------

def test_the_link_parser():
    assert binder_target(f"{BINDER}?urlpath=lab/tree/notebooks/01-sequences.ipynb") \
        == "notebooks/01-sequences.ipynb"
    encoded = f"{BINDER}?urlpath=lab%2Ftree%2Fnotebooks%2Fa.ipynb"
    assert binder_target(encoded) == "notebooks/a.ipynb"
    assert binder_target(f"{BINDER}?labpath=notebooks/a.ipynb") == "notebooks/a.ipynb"
    with pytest.raises(AssertionError, match="not rnn-course"):
        binder_target("https://mybinder.org/v2/gh/someone/else/HEAD?urlpath=lab/tree/a.ipynb")
    with pytest.raises(AssertionError, match="lab/tree/PATH"):
        binder_target(f"{BINDER}?urlpath=lab")
    text = f"[![Launch on Binder]({BADGE})]({BINDER}?urlpath=lab/tree/x.ipynb). More"
    assert links_in(text) == [f"{BINDER}?urlpath=lab/tree/x.ipynb"]


def test_readme_badge_opens_the_first_lecture():
    readme = (ROOT / "README.md").read_text()
    badge = f"[![Launch on Binder]({BADGE})]({BINDER}?urlpath=lab/tree/{FIRST_LECTURE})"
    assert badge in readme, f"README.md lacks the launch badge:\n{badge}"
    # Before the quick start: the first thing a student can click.
    assert readme.index(badge) < readme.index("make lab")


@pytest.mark.parametrize("document", ["README.md"] + NOTEBOOKS)
def test_every_binder_link_opens_a_file_that_exists(document):
    if document.endswith(".ipynb"):
        text = "\n".join(source(cell) for cell in read_notebook(document)["cells"])
    else:
        text = (ROOT / document).read_text()
    links = links_in(text)
    if document == "README.md":
        assert links, "README.md has no Binder link"
    for url in links:
        target = binder_target(url)
        assert (ROOT / target).is_file(), f"{document}: {url} opens {target}, which does not exist"


@pytest.mark.parametrize("relpath", NOTEBOOKS)
def test_first_cell_links_to_its_own_notebook(relpath):
    first = read_notebook(relpath)["cells"][0]
    assert first["cell_type"] == "markdown", f"{relpath}: the first cell must be markdown"
    text = source(first)
    assert re.match(r"# \S", text), f"{relpath}: the first cell must start with its # title"
    targets = [binder_target(url) for url in links_in(text)]
    assert relpath in targets, (
        f"{relpath}: the first cell's Binder link must open this notebook:\n"
        f"[![Launch on Binder]({BADGE})]({BINDER}?urlpath=lab/tree/{relpath})")
    assert f"[![Launch on Binder]({BADGE})]" in text, f"{relpath}: use the Binder badge image"


def test_every_course_notebook_is_covered():
    # The expected course; a missing notebook shows here, not as a silently shorter test list.
    for relpath in (FIRST_LECTURE, "exercises/01-build-a-recurrent-unit.ipynb",
                    "solutions/01-build-a-recurrent-unit.ipynb"):
        assert relpath in NOTEBOOKS
    assert len([n for n in NOTEBOOKS if n.startswith("notebooks/")]) == 9
