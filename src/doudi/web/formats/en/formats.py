"""English: the dates of doudi.web.formats, as in Chinese."""

from doudi.web.formats import *  # noqa: F403
