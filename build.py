#!/usr/bin/env python3
"""Build the help site: `python build.py [build|check|serve] --help` for the options."""

import gc
import sys

# A command's process ends with it: reference counting frees its objects, and the few cycles go
# with the process. The collector would only walk every object again and again, as the libraries
# load and the site renders. `serve`, the one command that lives on, turns it back on.
gc.disable()

from generator.cli import main  # noqa: E402

if __name__ == "__main__":
    status = main()
    # Python's last collection at exit walks every object the build made, a tenth of a cold build;
    # frozen objects are skipped, and the process is ending anyway.
    gc.freeze()
    sys.exit(status)
