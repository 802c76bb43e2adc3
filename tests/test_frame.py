"""The entry point's guard for cold deep links relies on one Streamlit class attribute: fail
loudly, with the reason, if an upgrade renames or retypes it."""

from __future__ import annotations

from streamlit.runtime.pages_manager import PagesManager

from explorer import frame


def test_streamlit_still_has_the_pages_directory_flag():
    assert hasattr(PagesManager, "uses_pages_directory"), (
        "Streamlit no longer has PagesManager.uses_pages_directory: explorer.frame."
        "ensure_app_navigation must find another way to keep a cold /timeline link inside "
        "st.navigation (see its docstring)"
    )
    assert PagesManager.uses_pages_directory in (None, True, False)


def test_the_guard_turns_the_old_multipage_mode_off():
    before = PagesManager.uses_pages_directory
    try:
        PagesManager.uses_pages_directory = True  # a server whose first request was /timeline
        frame.ensure_app_navigation()  # (outside a script run, its st.rerun does nothing)
        assert PagesManager.uses_pages_directory is False
    finally:
        PagesManager.uses_pages_directory = before
