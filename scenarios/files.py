"""Files read and written whole: only regular files are read, never half a file is written,
never one replaced unasked, and never anything but a regular file replaced. Both front ends and
the drill service save through here (exports, reports, generated scenarios); scenarios, answers
and playbooks are read through `read_limited`."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from .errors import BreachdrillError


class SaveError(BreachdrillError):
    """A file that cannot be written, as one line naming it."""


class ReadRefused(BreachdrillError):
    """A file that is not read: not a regular file, too big, or unreadable. The message says
    why, without the path (the caller locates it)."""


def kind_of(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EROFS: "the file system is read-only",
    errno.EPIPE: "the reader closed the pipe",
}


def reason(exc: OSError) -> str:
    """An OSError in a few words, for a one-line message."""
    return _REASONS.get(exc.errno) or exc.strerror or str(exc)


# --- reading ----------------------------------------------------------------------------------


def read_limited(path: str | Path, limit: int, what: str = "files") -> bytes:
    """The bytes of a regular file of at most `limit` bytes; ReadRefused otherwise.

    The file is stat'ed before it is opened, so a FIFO, a device or a socket is never opened
    (opening a FIFO waits for a writer; /dev/zero never ends); it is opened non-blocking and
    checked again on the open descriptor (a file swapped meanwhile), and never more than
    `limit` + 1 bytes are read (a file growing meanwhile)."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            raise ReadRefused(f"is {kind_of(st.st_mode)}, not a regular file")
        if st.st_size > limit:
            raise ReadRefused(f"file is {st.st_size:,} bytes; {what} are limited to {limit:,}")
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(path, flags)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise ReadRefused(f"is {kind_of(st.st_mode)}, not a regular file")
            parts, size = [], 0
            while size <= limit:
                part = os.read(fd, min(limit + 1 - size, 1 << 20))
                if not part:
                    break
                parts.append(part)
                size += len(part)
        finally:
            os.close(fd)
    except IsADirectoryError:
        raise ReadRefused("is a directory, not a regular file") from None
    except OSError as exc:
        raise ReadRefused(f"cannot read file: {exc.strerror or exc}") from None
    if size > limit:
        raise ReadRefused(f"file grew past {limit:,} bytes while being read; {what} are limited to {limit:,}")
    return b"".join(parts)


# --- writing ----------------------------------------------------------------------------------


def chunks(text: str | Iterable[str]) -> Iterable[str]:
    return (text,) if isinstance(text, str) else text


def save_text(path: str | Path, text: str | Iterable[str] | bytes, force: bool = False) -> None:
    """Write FILE whole: FileExistsError when it is there and not `force`, SaveError for any
    other reason it cannot be written. `text` may be a stream of chunks, written as they come,
    so a long export never sits whole in memory, or bytes (a workbook), written as they are.

    What FILE is decides how, as a shell's `>` would, except that a regular file is replaced
    whole (written beside it, then renamed over it) and nothing else is ever replaced:
    - a character device or a FIFO (/dev/stdout, /dev/null, a pipe) is written into;
    - a symlink is followed: the file it points to is the one replaced, in that file's folder
      (the link stays a link), or created when it is not there yet;
    - a directory, a socket or a block device is refused."""
    target = Path(path).expanduser()
    try:
        st = os.stat(target)  # follows symlinks: what a write would reach
    except FileNotFoundError:
        st = None  # nothing there, or a symlink to nothing yet: created through it
    except OSError as exc:
        raise SaveError(f"{path}: cannot write ({reason(exc)})") from None
    if st is not None and (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
        if _write_into(path, target, text):
            return
        try:
            st = os.stat(target)  # swapped for something else meanwhile: judged as that
        except FileNotFoundError:
            st = None
        except OSError as exc:
            raise SaveError(f"{path}: cannot write ({reason(exc)})") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise SaveError(f"{path}: is a directory; give a file name")
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise SaveError(f"{path}: is {kind_of(st.st_mode)}; only a regular file, a character device "
                        "or a FIFO is written")
    if st is not None and not force:
        raise FileExistsError(str(path))
    real = Path(os.path.realpath(target)) if target.is_symlink() else target
    if not real.parent.is_dir():
        raise SaveError(f"{path}: no such folder {real.parent}")
    _replace(path, real, text)


def _write_all(fd: int, text: str | Iterable[str] | bytes) -> None:
    if isinstance(text, bytes):
        with open(fd, "wb", closefd=True) as handle:
            handle.write(text)
        return
    with open(fd, "w", encoding="utf-8", newline="", closefd=True) as handle:
        for chunk in chunks(text):
            handle.write(chunk)


def _write_into(path: str | Path, target: Path, text: str | Iterable[str] | bytes) -> bool:
    """Write into a character device or a FIFO, as `>` does (a FIFO waits for its reader).
    False when what was opened is no longer one (nothing written)."""
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(target, flags)
    except OSError as exc:
        raise SaveError(f"{path}: cannot write ({reason(exc)})") from None
    try:
        mode = os.fstat(fd).st_mode
    except OSError as exc:
        os.close(fd)
        raise SaveError(f"{path}: cannot write ({reason(exc)})") from None
    if not (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        os.close(fd)
        return False
    try:
        _write_all(fd, text)
    except OSError as exc:
        raise SaveError(f"{path}: cannot write ({reason(exc)})") from None
    return True


def _replace(path: str | Path, target: Path, text: str | Iterable[str] | bytes) -> None:
    """Write `target` (a regular file, or nothing yet) whole: beside it, then renamed over it."""
    partial = target.with_name(f".{target.name}.partial")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        try:
            fd = os.open(partial, flags, 0o666)
        except FileExistsError:  # left by a write that was killed: whatever it is, never written into
            os.unlink(partial)
            fd = os.open(partial, flags, 0o666)
    except OSError as exc:
        raise SaveError(f"{path}: cannot write ({reason(exc)})") from None
    try:
        _write_all(fd, text)
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise SaveError(f"{path}: cannot write ({reason(exc)})") from None
    except BaseException:  # the stream failed (a damaged drill): no half file is left behind
        partial.unlink(missing_ok=True)
        raise
