"""Map explorer: the occupation zones, the two republics and the sites, through time."""

from explorer import frame, map_page

frame.ensure_app_navigation()
map_page.render()
