"""Sources: the bibliography, how each layer is drawn, the article's claims, and downloads."""

from explorer import frame, sources_page

frame.ensure_app_navigation()
sources_page.render()
