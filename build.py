#!/usr/bin/env python3
"""Build the help site: `python build.py [build|check] --help` for the options."""

import sys

from generator.cli import main

if __name__ == "__main__":
    sys.exit(main())
