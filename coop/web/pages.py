"""The public pages of the service as a whole: home and accessibility statement."""

from __future__ import annotations

from litestar import Controller, get
from litestar.response import Template


class PagesController(Controller):
    include_in_schema = False

    @get("/", name="home", sync_to_thread=False)
    def home(self) -> Template:
        return Template(template_name="coop/home.html")

    @get("/toegankelijkheid", name="accessibility", sync_to_thread=False)
    def accessibility(self) -> Template:
        return Template(template_name="coop/toegankelijkheid.html")
