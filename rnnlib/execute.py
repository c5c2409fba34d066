"""Re-execute notebooks from a clean kernel and save their outputs, reproducibly.

    python -m rnnlib.execute notebooks/*.ipynb solutions/*.ipynb

Each notebook runs in its own folder, with no timing metadata and no widget state recorded, so
that running it twice leaves the compared outputs unchanged.
"""
import argparse
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute(path, *, timeout=120):
    """Run every cell of the notebook at `path` in a fresh kernel and write it back."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        record_timing=False,
        # nbclient 0.11 raises KeyError when an Output widget (inside every
        # ipywidgets.interactive) receives output while store_widget_state is False, so the
        # state is collected and then dropped: the saved notebook records none.
        store_widget_state=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", help="notebook files to execute in place")
    parser.add_argument("--timeout", type=int, default=120, help="seconds allowed per cell")
    args = parser.parse_args(argv)
    for path in args.notebooks:
        start = time.perf_counter()
        execute(path, timeout=args.timeout)
        print(f"{path}: {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
