"""Files written whole: never half a file, never over one unasked. Both front ends and the
drill service save through here (exports, reports, generated scenarios)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .errors import BreachdrillError


class SaveError(BreachdrillError):
    """A file that cannot be written, as one line naming it."""


def chunks(text: str | Iterable[str]) -> Iterable[str]:
    return (text,) if isinstance(text, str) else text


def save_text(path: str | Path, text: str | Iterable[str], force: bool = False) -> None:
    """Write FILE whole: FileExistsError when it is there and not `force`, SaveError for any
    other reason it cannot be written. `text` may be a stream of chunks, written as they come,
    so a long export never sits whole in memory."""
    target = Path(path).expanduser()
    if target.exists() and not force:
        raise FileExistsError(str(path))
    if not target.parent.is_dir():
        raise SaveError(f"{path}: no such folder {target.parent}")
    partial = target.with_name(f".{target.name}.partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as handle:
            for chunk in chunks(text):
                handle.write(chunk)
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise SaveError(f"{path}: cannot write ({exc.strerror or exc})") from None
    except BaseException:  # the stream failed (a damaged drill): no half file is left behind
        partial.unlink(missing_ok=True)
        raise
