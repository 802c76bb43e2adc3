"""Timeline: every event on a time axis, filtered and searchable, each linked to the map."""

from explorer import frame, timeline_page

frame.ensure_app_navigation()
timeline_page.render()
