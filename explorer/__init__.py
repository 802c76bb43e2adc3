"""Map composition, view state and share links, panels: the app logic, tested without a browser."""
