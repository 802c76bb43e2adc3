"""Story: a guided tour from the 1941 invasion to the June 2025 war, one map view per stop."""

from explorer import frame, story_page

frame.ensure_app_navigation()
story_page.render()
