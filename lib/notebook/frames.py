"""A ProgressBoard's figure in a notebook: one display, updated in place while a model trains."""
import time
from typing import Callable, Optional, Tuple

from .kernel import ipython_kernel, live_updates_wanted

MIN_SECONDS_BETWEEN_FRAMES = 0.25


class NotebookFrames:
    """Shows a board's picture in a notebook: one display, updated in place.

    Frames are sent at most every MIN_SECONDS_BETWEEN_FRAMES while points arrive
    (never under LIB_BOARD=final), and once more when the cell ends.
    """

    def __init__(self, bundle: Callable[[bool], Tuple[dict, dict]],
                 has_content: Callable[[], bool]):
        self.bundle = bundle  # bundle(final): the picture as a MIME bundle and its metadata
        self.has_content = has_content  # whether there is anything to show
        self.handle = None
        self.last_frame: Optional[float] = None
        self.shell = None

    def point_added(self) -> None:
        shell = ipython_kernel()
        if shell is None:
            return
        if self.shell is None:
            shell.events.register("post_run_cell", self.cell_ended)
            self.shell = shell
        if not live_updates_wanted():
            return
        now = time.monotonic()
        if self.last_frame is None:
            self.last_frame = now  # the first frame waits one interval
        elif now - self.last_frame >= MIN_SECONDS_BETWEEN_FRAMES:
            self.last_frame = now
            self.send(final=False)

    def send(self, final: bool) -> None:
        from IPython.display import display
        data, metadata = self.bundle(final)
        if self.handle is None:
            self.handle = display(data, raw=True, metadata=metadata, display_id=True)
        else:
            self.handle.update(data, raw=True, metadata=metadata)

    def cell_ended(self, *args) -> None:
        self.finish()

    def finish(self) -> None:
        """Send the final frame (if there is anything to show) and stop following this cell."""
        if self.shell is None:
            return
        self.shell.events.unregister("post_run_cell", self.cell_ended)
        self.shell = None
        if self.has_content():
            self.send(final=True)
        self.handle = None
        self.last_frame = None
