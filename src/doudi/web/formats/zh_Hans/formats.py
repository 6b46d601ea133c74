"""简体中文: the dates of doudi.web.formats."""

from doudi.web.formats import *  # noqa: F403
