"""A "copy link" control: the full share link in a read-only box, with a button that copies it.

A small components-v2 element instead of `st.code`, whose syntax highlighter is a 1.5 MB
download the page would otherwise wait for. The link is set as the input's value, never as
HTML, so nothing in it can become markup.
"""

from __future__ import annotations

import streamlit as st

from explorer.i18n import _

_HTML = (
    '<div class="copy-link"><input type="text" readonly aria-label="Link to this view">'
    '<button type="button">Copy link</button></div>'
)
_CSS = """
.copy-link { display: flex; gap: 0.5rem; font-family: "Source Sans", sans-serif; }
.copy-link input { flex: 1; min-width: 0; padding: 0.4rem 0.6rem; border: 1px solid #d5d5d9;
  border-radius: 0.5rem; font: 0.85rem ui-monospace, monospace; color: #31333f;
  background: #f8f8fa; }
.copy-link button { padding: 0.4rem 0.8rem; border: 1px solid #d5d5d9; border-radius: 0.5rem;
  background: #fff; cursor: pointer; font-size: 0.9rem; }
.copy-link button:hover { border-color: #ff4b4b; color: #ff4b4b; }
"""
_JS = """
export default function ({ data, parentElement }) {
  const input = parentElement.querySelector("input");
  const button = parentElement.querySelector("button");
  const words = data.words || { copy: "Copy link", copied: "Copied", label: "Link to this view" };
  input.value = data.url;
  input.setAttribute("aria-label", words.label);
  input.dir = "ltr";
  button.textContent = words.copy;
  input.onfocus = () => input.select();
  button.onclick = async () => {
    try {
      await navigator.clipboard.writeText(input.value);
    } catch (err) {
      input.select();
      document.execCommand("copy");
    }
    button.textContent = words.copied;
    setTimeout(() => (button.textContent = words.copy), 1500);
  };
}
"""

_mount = st.components.v2.component(
    "stalins_shadow_copy_link", html=_HTML, css=_CSS, js=_JS, isolate_styles=True
)


def copy_link(url: str, *, key: str) -> None:
    """Show `url` with a button that copies it to the clipboard."""
    words = {"copy": _("Copy link"), "copied": _("Copied"), "label": _("Link to this view")}
    _mount(key=key, data={"url": url, "words": words}, height="content")
