"""Moving the dashboard's work forward on the kernel's event loop, and drawing frames as it goes.

Why chunks on the event loop: a Jupyter kernel handles one message at a
time, and a slider's change is a message. A callback that trains for three
seconds keeps the next change waiting for three seconds, and the changes
queue. So a change trains only until its first frame is due, and schedules
the rest as an asyncio task on the kernel's own event loop: between chunks
of about CHUNK_SECONDS the task awaits, the kernel handles what arrived,
and a new change cancels the task at that point and starts its own. Where
no event loop runs (a plain Python script, the tests, the first picture a
notebook saves), the player trains to the end before returning.

A change trains as fast as it can: the answer to "what if?" comes soonest.
Play can go at a pace instead (`pace` epochs a second): at 1,000 a second
a 2,000-epoch run takes two seconds and shows twenty frames, so the curve
grows before the student's eyes instead of jumping to its end.
"""

import asyncio
import math
import time

from .kernel_loop import running_loop

CHUNK_SECONDS = 0.02  # training between two looks at the kernel's messages
FIRST_FRAME = 0.03  # seconds of training before the first picture of a change
FRAME_SECONDS = 0.1  # at most ten pictures a second...
DRAW_SHARE = 0.1  # ...and, as fast as it can, drawing at most this share of the time


class Player:
    """Moves work forward in chunks, drawing a frame now and then; one piece of work at a time.

    Parameters
    ----------
    draw : function
        Called as draw(settled=False) for a frame while training goes on,
        and as draw() when it has stopped.
    report : function
        Called as report(error) with an exception raised while playing, so
        that it reaches the page instead of the kernel's log.
    """

    def __init__(self, draw, report):
        self.draw = draw
        self.report = report
        self.task = None
        self.work, self.pace = None, math.inf  # what the last play moves forward, and how fast

    def playing(self):
        """Whether a task is training right now."""
        return self.task is not None and not self.task.done()

    def stop(self):
        """Stop the running task at its next chunk; its work keeps what it trained."""
        if self.task is not None:
            self.task.cancel()
            self.task = None

    def play(self, work, live=True, pace=math.inf):
        """Train `work` to its end, showing frames; return after the first frame if live.

        Parameters
        ----------
        work : object
            With `done()`, `advance_for(seconds, most)` and `seconds_left()`.
        live : bool
            False trains to the end before returning and draws only the end.
        pace : float
            At most this many epochs a second (math.inf: as fast as it can).
            A paced play shows its first frame before it trains. Outside an
            event loop there is nothing to wait on: it trains to the end.
        """
        self.stop()
        loop = running_loop() if live else None
        paced = loop is not None and pace != math.inf
        self.work, self.pace = work, pace if paced else math.inf
        start = time.perf_counter()
        while not work.done() and not paced and (loop is None or time.perf_counter() - start < FIRST_FRAME):
            work.advance_for(CHUNK_SECONDS if loop is not None else math.inf)  # no loop: no chunks
        self.draw(settled=work.done())
        if not work.done():
            self.task = loop.create_task(self.finish(work, self.pace))

    async def finish(self, work, pace=math.inf):
        """Train the rest of `work` between the kernel's messages, at most `pace` epochs a second, drawing frames."""
        try:
            start = last = time.perf_counter()
            trained, interval = 0, FRAME_SECONDS
            while not work.done():
                await asyncio.sleep(0)  # the kernel handles what arrived; a cancel lands here
                allowed = pace * (time.perf_counter() - start) - trained  # epochs the pace allows by now
                if allowed >= 1:
                    trained += work.advance_for(CHUNK_SECONDS, most=allowed)
                elif time.perf_counter() - last < interval:  # up with the pace: wait for the next frame, then train
                    await asyncio.sleep(last + interval - time.perf_counter())
                    continue
                due = time.perf_counter() - last >= interval
                near_end = pace == math.inf and work.seconds_left() <= FRAME_SECONDS / 2  # no frame just before it
                if due and not near_end and not work.done():
                    drawn = time.perf_counter()
                    self.draw(settled=False)
                    last = time.perf_counter()
                    if pace == math.inf:  # as fast as it can: drawing takes at most DRAW_SHARE of the time
                        interval = max(FRAME_SECONDS, (last - drawn) / DRAW_SHARE)
            self.task = None
            self.draw()
        except asyncio.CancelledError:
            raise
        except Exception as error:  # shown on the page, never lost in the kernel's log
            self.task = None
            self.report(error)
