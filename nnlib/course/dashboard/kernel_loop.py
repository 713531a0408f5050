"""The kernel's event loop, and keeping the dashboard's work on it, one change at a time.

The dashboard trains on the kernel's main event loop (see `live.py`). But
JupyterLab 4.6 with ipykernel 7 may send a widget's messages on a kernel
subshell, which handles them in a thread of its own. A press of pause
handled there would draw the same matplotlib figures at the same moment as
the training task on the main thread (seen in the browser test as
"list.remove(x): x not in list" and a run that never settled). `on_loop`
hands such a call over to the loop the dashboard was made on.

Where no loop runs (a plain Python script), there is nothing to hand over
to: several threads changing the controls at once would draw the same
figures at once. There `on_loop` makes each call wait for the one before
to finish (a lock), so the changes are made one after the other.
"""

import asyncio
import threading


def running_loop():
    """The event loop running this code (the kernel's), or None outside one."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def on_loop(loop, action, lock):
    """`action`, always done on `loop`'s thread and never while another holds `lock`.

    Parameters
    ----------
    loop : asyncio event loop or None
        The loop the dashboard was made on (the kernel's main loop); None
        outside one, where `action` is called in the caller's thread.
    action : function
        Called as action(argument), as a widget's callback is.
    lock : threading.RLock
        Shared by all of one dashboard's callbacks: one runs at a time.

    Returns
    -------
    function
        A callback for `observe` or `on_click`.
    """
    def one_at_a_time(argument):
        """Do `action` holding the lock."""
        with lock:
            action(argument)

    def on_home_loop(argument):
        """Do `action` here if this is its loop's thread (or there is no loop), else schedule it there."""
        if loop is None or running_loop() is loop:
            one_at_a_time(argument)
        elif not loop.is_closed():  # a kernel shutting down takes no more work
            loop.call_soon_threadsafe(one_at_a_time, argument)
    return on_home_loop


def new_lock():
    """A lock for `on_loop`, re-entrant: an action that sets its own dashboard's control does not wait for itself."""
    return threading.RLock()
