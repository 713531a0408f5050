"""The kernel's event loop, and keeping the dashboard's work on it.

The dashboard trains on the kernel's main event loop (see `live.py`). But
JupyterLab 4.6 with ipykernel 7 may send a widget's messages on a kernel
subshell, which handles them in a thread of its own. A press of pause
handled there would draw the same matplotlib figures at the same moment as
the training task on the main thread (seen in the browser test as
"list.remove(x): x not in list" and a run that never settled). `on_loop`
hands such a call over to the loop the dashboard was made on.
"""

import asyncio


def running_loop():
    """The event loop running this code (the kernel's), or None outside one."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def on_loop(loop, action):
    """`action`, always done on `loop`'s thread: called from another thread, it is handed over.

    Parameters
    ----------
    loop : asyncio event loop or None
        The loop the dashboard was made on (the kernel's main loop); None
        outside one, where `action` is simply called.
    action : function
        Called as action(argument), as a widget's callback is.

    Returns
    -------
    function
        A callback for `observe` or `on_click`.
    """
    def on_home_loop(argument):
        """Do `action` here if this is its loop's thread, else schedule it there."""
        if loop is None or running_loop() is loop:
            action(argument)
        elif not loop.is_closed():  # a kernel shutting down takes no more work
            loop.call_soon_threadsafe(action, argument)
    return on_home_loop
