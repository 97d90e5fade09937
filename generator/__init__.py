"""canales: a static-site generator for help desks."""

import importlib.util
import os
import zoneinfo

__version__ = "0.1.0"

# Time zones come from the pinned tzdata package only, never the machine's /usr/share/zoneinfo:
# the same content must give the same calendars and open-now data wherever it is built.
# zoneinfo is pointed at the package's folder rather than left to fall back on it: the fallback
# reads through importlib.resources, whose imports (tempfile, shutil, zipfile...) cost `check`
# more than reading the zones.
_tzdata = importlib.util.find_spec("tzdata")  # found, not imported
if _tzdata is None or _tzdata.origin is None:
    raise ImportError("the tzdata package is missing: run `make site` to install the dependencies")
TZDATA_FOLDER = os.path.dirname(_tzdata.origin)
zoneinfo.reset_tzpath(to=(os.path.join(TZDATA_FOLDER, "zoneinfo"),))
