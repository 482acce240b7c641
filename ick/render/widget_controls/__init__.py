"""Operating widgets from the keyboard: focus, and what each key does to a control.

Pure logic over the same models the drawing reads: which controls on screen
take the keyboard, in the order they are drawn (Tab, Shift-Tab), and what a
key does to the focused one, returned as :class:`WidgetChange` values (an
``update`` of its state, or a ``custom`` event such as a button's ``click``)
for the front end to send through the widget store.  Nothing here sends or
draws; the front end redraws with :meth:`WidgetKeyboard.focus` passed to the
renderer, so that the focused control is highlighted.

It sits in the render layer beside the drawing because focus follows what is
drawn: a hidden widget or a closed Accordion section takes no focus, and a
key acts on what the user sees (a list box's cursor, a range slider's handle,
a number typed but not yet sent).

:mod:`.focus` says which controls take the keyboard, :mod:`.keyboard` moves
the focus and hands each key to the keys of the focused control's kind
(:mod:`.sliders`, :mod:`.choices`, :mod:`.fields`); :mod:`.place` holds what
they share and the changes they make.
"""

from ick.render.widget_controls.focus import focusable_controls
from ick.render.widget_controls.keyboard import WidgetKeyboard
from ick.render.widget_controls.keys import KEYS
from ick.render.widget_controls.place import WidgetChange, WidgetFocus, WidgetSender

__all__ = [
    "KEYS",
    "WidgetChange",
    "WidgetFocus",
    "WidgetKeyboard",
    "WidgetSender",
    "focusable_controls",
]
