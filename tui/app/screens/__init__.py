"""The app's screens, one per module.

STYLES: every screen's style sheets, paths relative to this folder. Each screen names them all
(CSS_PATH = STYLES): Textual reads them when the first screen after the library opens, and the
rules of one screen's widgets (an inject, say) apply on every screen that shows them.
"""

STYLES = ["screens.tcss", "answer.tcss", "console.tcss", "debrief.tcss", "review.tcss", "observer.tcss"]
