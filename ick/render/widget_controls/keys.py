"""The keys a control takes, and how far each one moves a value or a choice."""

#: The keys :meth:`WidgetKeyboard.press` knows besides single printable characters.
KEYS = frozenset(
    {"left", "right", "up", "down", "home", "end", "pageup", "pagedown", "enter", "space",
     "backspace"}
)  # fmt: skip

STEPS = {"left": -1, "down": -1, "right": 1, "up": 1, "pagedown": -10, "pageup": 10}
# A list drawn top to bottom: Down goes to the next option, as Right does.
MOVES = {"left": -1, "up": -1, "right": 1, "down": 1, "pageup": -10, "pagedown": 10}
