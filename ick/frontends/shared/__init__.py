"""What the REPL, the script runner and the watcher share: running a front end from kernel
start to a clean end (``launch.py``), the SIGINT stack (``signals.py``), recording a session
as a notebook (``recording.py``) and the kernel's requests in an execute_reply
(``payloads.py``)."""
