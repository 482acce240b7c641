"""The Jupyter widget protocol as state: a store of widget models, knowing no screen.

ipywidgets (and what is built on it: tqdm.auto's bars, ``interact``) keeps each
widget's state in the kernel and mirrors it to front ends over comms, protocol
version 2 (ipywidgets' ``packages/schema/messages.md``): a ``comm_open`` on the
``jupyter.widget`` target carries a model's whole state, ``comm_msg`` ``update``
and ``echo_update`` messages carry changes, binary values travel as the
message's buffers at the places ``buffer_paths`` name, and ``comm_close`` ends
a model.  :class:`WidgetStore` follows those messages for one kernel client,
whichever request (or other client) caused them, by observing iopub before the
router hands messages on.  It sends the user's changes (``update``) and a
button's ``click`` (``custom``) back, and learns the widgets that already exist
when attaching through the ``jupyter.widget.control`` comm.

The Output widget's capture is protocol state too: while an Output model's
``msg_id`` names a request, that request's output belongs inside the widget
(JupyterLab's rule).  The store appends it to the model's ``outputs``, syncs
them back to the kernel as JupyterLab does when the request was ick's own,
and answers :meth:`captures` so that a front end leaves those messages out of
its ordinary output.

Kernels are untrusted: malformed comm messages, updates for models never
opened, buffers that do not match their paths and widgets of libraries ick
does not draw are skipped (or kept undrawn) with one warning per kind.

:mod:`.models` holds the models and what every part shares, :mod:`.store`
follows the comm messages and sends the user's changes, :mod:`.capture` is
the Output widget's capture, :mod:`.existing` the control comm, and
:mod:`.buffers` the binary values.
"""

from ick.kernel.widgets.capture import CAPTURED_TYPES, OUTPUTS_SYNC_DELAY, REMEMBERED_CAPTURES
from ick.kernel.widgets.existing import CONTROL_PROTOCOL_VERSION, CONTROL_TARGET
from ick.kernel.widgets.models import (
    DRAWN_MODULES,
    OUTPUT_MODEL,
    PROTOCOL_MAJOR,
    WIDGET_TARGET,
    CustomListener,
    ModelListener,
)
from ick.kernel.widgets.store import WidgetStore

__all__ = [
    "CAPTURED_TYPES",
    "CONTROL_PROTOCOL_VERSION",
    "CONTROL_TARGET",
    "DRAWN_MODULES",
    "OUTPUTS_SYNC_DELAY",
    "OUTPUT_MODEL",
    "PROTOCOL_MAJOR",
    "REMEMBERED_CAPTURES",
    "WIDGET_TARGET",
    "CustomListener",
    "ModelListener",
    "WidgetStore",
]
