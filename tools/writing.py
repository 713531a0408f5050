"""Nothing is lost: checking where a tool will write, and writing every file or none.

`folder_problems` says why a target folder cannot receive what a tool
writes (it is the source folder or inside it, a file, read-only...);
`inspect` says what to do with one target file (skip it, write it, stop at
a clash with a file that differs, perhaps a student's work); `write_all`
writes every file beside its target first and renames them into place only
if all were written, never following a link. The student edition and the
nbgrader course write through it.
"""

import array
import os
import secrets
import stat
from pathlib import Path

from tools.notebooks import describe_kind, same_notebook

try:
    import fcntl  # Linux and macOS; not on Windows, where no file is immutable in this sense
except ImportError:
    fcntl = None

FS_IOC_GETFLAGS, IMMUTABLE, APPEND_ONLY = 0x80086601, 0x10, 0x20


def locked(path):
    """Whether Linux marks `path` immutable or append-only (`chattr +i`/`+a`): it cannot be replaced."""
    if fcntl is None:
        return False
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        flags = array.array("l", [0])
        fcntl.ioctl(descriptor, FS_IOC_GETFLAGS, flags, True)
        return bool(flags[0] & (IMMUTABLE | APPEND_ONLY))
    except OSError:  # a file system (or system) without these flags
        return False
    finally:
        os.close(descriptor)


def writable_folder(folder):
    """None if new files can be made and renamed in `folder`, else the reason."""
    if not os.access(folder, os.W_OK | os.X_OK):
        return "is not writable"
    if locked(os.path.realpath(folder)):
        return "is immutable or append-only (chattr)"
    return None


def folder_problems(source_dir, target_dir):
    """Why the target folder cannot receive the edition (it is the source, inside it, a file...)."""
    source_dir, target_dir = Path(source_dir), Path(target_dir)
    try:
        source = os.stat(source_dir)
    except OSError:
        return []  # reported with the source notebooks
    real = Path(os.path.realpath(target_dir))
    for folder in [real, *real.parents]:
        try:
            if os.path.samestat(os.stat(folder), source):
                where = "is the source folder" if folder == real else "is inside the source folder"
                path = "" if target_dir.absolute() == source_dir.absolute() else f" (it leads to {real})"
                return [f"{target_dir}: the target folder {where} {source_dir}{path}; "
                        "it must differ from the source folder and lie outside it"]
        except OSError:
            continue
    if os.path.lexists(target_dir):
        if target_dir.is_symlink() and not target_dir.exists():
            return [f"{target_dir}: the target folder is a symbolic link to {os.readlink(target_dir)}, "
                    "which does not exist"]
        if not target_dir.is_dir():
            return [f"{target_dir}: the target is a file, not a folder"]
        reason = writable_folder(target_dir)
        return [f"{target_dir}: the target folder {reason}"] if reason else []
    existing = target_dir.absolute()
    while not os.path.lexists(existing):
        existing = existing.parent
    if not existing.is_dir():
        kind = "a symbolic link to nothing" if existing.is_symlink() and not existing.exists() else "a file"
        return [f"{target_dir}: cannot create the target folder: {existing} is {kind}, not a folder"]
    reason = writable_folder(existing)
    return [f"{target_dir}: cannot create the target folder: {existing} {reason}"] if reason else []


def source_files(source_dir):
    """{(device, inode): path} of every file in the source folder (links followed)."""
    found = {}
    for entry in os.scandir(source_dir):
        try:
            info = os.stat(entry.path)
        except OSError:
            continue
        found[(info.st_dev, info.st_ino)] = Path(entry.path)
    return found


def inspect(target, text, sources):
    """What to do with one target path: ("skip" | "write" | "clash" | "problem", note).

    "write" replaces whatever is there by renaming a new file onto it; a
    "clash" is a file with other content (perhaps a student's work) that only
    --force may replace; "problem" cannot be written at all.
    """
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return "write", None
    except OSError as error:
        return "problem", f"{target}: cannot be inspected ({error.strerror})"
    if stat.S_ISLNK(info.st_mode):
        link = os.readlink(target)
        try:
            pointed = os.stat(target)
        except OSError:
            return "clash", f"{target} (a symbolic link to {link}, which does not exist)"
        source = sources.get((pointed.st_dev, pointed.st_ino))
        if source is not None:
            return "write", f"{target}: was a symbolic link to {source} in the source folder; " \
                            "replaced by the student copy, the source notebook untouched"
        if stat.S_ISREG(pointed.st_mode) and same_notebook(Path(target).read_text("utf-8", "replace"), text):
            return "write", f"{target}: was a symbolic link to {link}; replaced by the student copy, {link} untouched"
        return "clash", f"{target} (a symbolic link to {link}: --force replaces the link, never what it points to)"
    if not stat.S_ISREG(info.st_mode):
        return "problem", f"{target}: is {describe_kind(info.st_mode)}, not a notebook; move it away"
    if not os.access(target, os.W_OK) or locked(target):
        return "problem", f"{target}: is read-only or immutable, so it cannot be replaced"
    source = sources.get((info.st_dev, info.st_ino))
    if source is not None:
        return "write", f"{target}: was a hard link to {source} in the source folder; " \
                        "replaced by the student copy, the source notebook untouched"
    try:
        current = Path(target).read_bytes()
    except OSError as error:
        return "problem", f"{target}: cannot be read ({error.strerror})"
    if current == text.encode("utf-8"):
        return "skip", None
    if same_notebook(current.decode("utf-8", errors="replace"), text):
        return "write", None
    return "clash", str(target)


def write_temporary(final, text):
    """Write `text` to a new hidden file beside `final` (never following a link); return its path."""
    for _ in range(100):
        temporary = final.parent / f".{final.name}.{secrets.token_hex(4)}.tmp"
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
        except FileExistsError:
            continue
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        return temporary
    raise FileExistsError(f"no free temporary name beside {final}")


def make_folder(folder):
    """Create `folder` and missing parents; return the ones created, deepest first."""
    created, folder = [], Path(folder).absolute()
    while not os.path.lexists(folder):
        created.append(folder)
        folder = folder.parent
    for path in reversed(created):
        path.mkdir()
    return created


def write_all(target_dir, paths_and_texts):
    """Write every (path, text) atomically; return the error lines (empty if all were written).

    All the new files are first written beside their targets; only if every
    one of them was written are they renamed into place. A failure before
    that point removes them (and any folder made), so nothing has changed.
    """
    created, temporaries, current = [], [], target_dir
    try:
        created = make_folder(target_dir)
        for current, text in paths_and_texts:
            temporaries.append((write_temporary(current, text), current))
    except OSError as error:
        for temporary, _ in temporaries:
            temporary.unlink(missing_ok=True)
        for folder in created:
            try:
                folder.rmdir()
            except OSError:
                pass
        return [f"{current}: cannot be written ({error.strerror or error}); nothing was written"]
    written, problems = [], []
    for temporary, path in temporaries:
        try:
            os.replace(temporary, path)
            written.append(path)
        except OSError as error:
            temporary.unlink(missing_ok=True)
            problems.append(f"{path}: cannot be replaced ({error.strerror}); it was not written")
    if problems and written:
        problems.append("written anyway: " + ", ".join(str(path) for path in written))
    return problems
