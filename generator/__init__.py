"""canales: a static-site generator for help desks."""

import zoneinfo

__version__ = "0.1.0"

# Time zones come from the pinned tzdata package only, never the machine's /usr/share/zoneinfo:
# the same content must give the same calendars and open-now data wherever it is built.
zoneinfo.reset_tzpath(to=())
