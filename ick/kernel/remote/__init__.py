"""Kernels on a Jupyter Server, Kernel Gateway or Enterprise Gateway: REST plus one websocket.

``address`` parses what the user typed, ``rest`` makes the server's REST
calls, ``wire`` turns messages into websocket frames and back (both wire
formats), and ``client`` is the :class:`~ick.kernel.client.KernelClient`
that puts them together.
"""
