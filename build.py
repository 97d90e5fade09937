#!/usr/bin/env python3
"""Build the help site: `python build.py [build|check|serve] --help` for the options."""

import gc
import sys

# Few of a build's objects form cycles; collecting less often while the libraries load and the
# site renders saves a tenth of a cold build.
gc.set_threshold(50_000, 20, 100)

from generator.cli import main  # noqa: E402

if __name__ == "__main__":
    status = main()
    # Python's last collection at exit walks every object the build made, a tenth of a cold build;
    # frozen objects are skipped, and the process is ending anyway.
    gc.freeze()
    sys.exit(status)
