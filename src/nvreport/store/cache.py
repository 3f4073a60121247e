"""A persistent cache of what was read and tagged, in an embedded SQLite database.

A re-run reads no file twice, and a taxonomy change re-tags without re-reading:

* ``reads``: what a file gave: its passages, column by column, the text its metadata
  is looked for in, its page count and warnings (or why it could not be read), keyed
  by the SHA-256 of its content, its format and nvreport's code
  (:class:`~nvreport.analysis.run.ReadEntry`);
* ``tags``: a document's matches as plain tuples, with its passage count, keyed by
  the document's SHA-256, the taxonomy's SHA-256, the year and nvreport's code;
* ``tokens``: the tokens of a document's passages (what spaCy's tokenizer gives,
  a quarter of tagging), keyed by what ``reads`` is keyed by and the tokenizer's
  version, so a taxonomy change re-tags without tokenising again.

"nvreport's code" is :func:`code_fingerprint`: a digest of every file of the
installed package, the Python version and the versions of the libraries that read,
tokenise and lemmatise. No version number has to be remembered: an upgrade, or any
edit to a reader or the tagger, misses the old entries instead of serving them.

Values are pickles of plain tuples, strings and numbers: cheap to write and to load,
so a run served from the cache does little more than hash the files and write the
outputs.

Keys hold everything the value depends on, so an entry is never stale: a changed
file, nvreport, library or taxonomy simply misses. Every entry is written in its own
transaction, so an interrupted run leaves the cache consistent and the next run
picks up where it stopped. The default place is the platform's user cache folder
(``$XDG_CACHE_HOME/nvreport`` on Linux).
"""

from __future__ import annotations

import contextlib
import hashlib
import mmap
import os
import pickle
import sqlite3
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from nvreport.store.cache_folder import default_cache_dir

#: Libraries whose version can change what a report reads, tokenises or tags to, or
#: what the outputs hold.
LIBRARIES = (
    "pypdfium2",
    "pdfplumber",
    "pdfminer.six",
    "python-docx",
    "lxml",
    "beautifulsoup4",
    "spacy",
    "simplemma",
    "pyyaml",
    "numpy",
    "pandas",
    "pyarrow",
)

_SCHEMA = """
create table if not exists reads (key text primary key, value blob not null);
create table if not exists tags (key text primary key, value blob not null);
create table if not exists tokens (key text primary key, value blob not null);
create table if not exists probe (key text primary key, value blob not null);
"""


def package_fingerprint(package: Path) -> str:
    """SHA-256 of every file of the package in ``package`` (code and data, not
    bytecode), the Python version and the :data:`LIBRARIES`' versions."""
    from importlib import metadata  # slow to import: only when a run has work to do

    digest = hashlib.sha256(f"nvreport\0{sys.version}\0".encode())
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(package).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    for name in LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}={version}\0".encode())
    return digest.hexdigest()


@cache
def code_fingerprint() -> str:
    """:func:`package_fingerprint` of the running nvreport (worked out once)."""
    from importlib import resources

    return package_fingerprint(Path(str(resources.files("nvreport"))))


def tables_dir(folder: Path | None = None) -> Path:
    """Where tables made at first use are kept (the lemma table, the tokenizer's
    rules): ``tables/`` in the cache folder (by default the user's)."""
    return (folder if folder is not None else default_cache_dir()) / "tables"


def read_table(name: str, folder: Path | None = None) -> mmap.mmap | None:
    """The table file ``name`` of :func:`tables_dir`, mapped into memory read-only
    (None: there is none, or it cannot be read)."""
    try:
        with (tables_dir(folder) / name).open("rb") as handle:
            return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # ValueError: an empty file
        return None


def write_table(name: str, data: bytes, folder: Path | None = None) -> bool:
    """Keep ``data`` as the table file ``name`` of :func:`tables_dir`, whole or not
    at all (written aside, then moved into place, so processes that make the same
    table at the same time do not see each other's half-written file). False: the
    folder cannot be written, and the table is made again next time."""
    target = tables_dir(folder) / name
    temporary = target.with_name(f".{name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        os.replace(temporary, target)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()
        return False
    return True


#: Values :func:`kept_value` keeps per kind (the oldest go first).
_KEPT_PER_KIND = 16


def kept_value(kind: str, key: str, make: Callable[[], Any], folder: Path | None = None) -> Any:
    """``make()``, made once and kept pickled in :func:`tables_dir` under a digest of
    ``kind``, ``key`` and nvreport's code (:func:`code_fingerprint`), so a change of
    either makes it anew. ``make`` raising keeps nothing. What cannot be read or
    written is made each time."""
    digest = hashlib.sha256(f"{kind}\0{key}\0{code_fingerprint()}".encode()).hexdigest()
    name = f"{kind}-{digest[:32]}.pickle"
    data = read_table(name, folder)
    if data is not None:
        try:
            with data:
                return pickle.loads(data)
        except Exception:  # damaged, or another version's: made again
            pass
    value = make()
    try:
        pickled = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        return value
    if write_table(name, pickled, folder):
        with contextlib.suppress(OSError):
            kept = sorted(
                tables_dir(folder).glob(f"{kind}-*.pickle"),
                key=lambda path: path.stat().st_mtime,
                reverse=True,
            )
            for stale in kept[_KEPT_PER_KIND:]:
                stale.unlink(missing_ok=True)
    return value


class Cache:
    """The cache database in ``folder`` (created when missing). Open one per process.

    The cache only saves work: when it cannot be opened, read or written (a full
    disk, a read-only folder, a damaged database), every call does nothing and
    :attr:`problem` says why, once, so the run goes on reading everything afresh.
    """

    def __init__(self, folder: Path) -> None:
        self.path = folder / "cache.sqlite3"
        #: why the cache could not be used (None: it could), for the run's notes
        self.problem: str | None = None
        self._connection: sqlite3.Connection | None = None
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._connection = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            self._connection.execute("pragma journal_mode=wal")
            self._connection.executescript(_SCHEMA)
        except (sqlite3.Error, OSError) as error:
            self._give_up("opened", error)

    def _give_up(self, doing: str, error: BaseException) -> None:
        """Stop using the cache, and say why once."""
        if self.problem is None:
            reason = getattr(error, "strerror", None) or str(error) or "unknown error"
            self.problem = (
                f"the cache in {self.path.parent} could not be {doing} ({reason}); "
                "nvreport went on without it, so the next run reads everything again"
            )
        if self._connection is not None:
            with contextlib.suppress(sqlite3.Error):
                self._connection.close()
        self._connection = None

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _get(self, table: str, key: str) -> Any | None:
        if self._connection is None:
            return None
        try:
            row = self._connection.execute(
                f"select value from {table} where key = ?", (key,)
            ).fetchone()
        except sqlite3.Error as error:
            self._give_up("read", error)
            return None
        if row is None:
            return None
        try:
            return pickle.loads(row[0])
        except Exception:  # an entry written by another version: read again
            return None

    def _put(self, table: str, key: str, value: Any) -> None:
        if self._connection is None:
            return
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self._connection.execute(
                f"insert or replace into {table} (key, value) values (?, ?)", (key, data)
            )
        except (sqlite3.Error, OSError) as error:  # a full disk: "database or disk is full"
            self._give_up("written", error)

    @staticmethod
    def read_key(sha256: str, suffix: str) -> str:
        return f"{sha256}:{suffix}:{code_fingerprint()}"

    @staticmethod
    def tag_key(sha256: str, taxonomy_sha256: str, year: int | None) -> str:
        return f"{sha256}:{taxonomy_sha256}:{year}:{code_fingerprint()}"

    def get_read(self, sha256: str, suffix: str) -> Any | None:
        return self._get("reads", self.read_key(sha256, suffix))

    def has_read(self, sha256: str, suffix: str) -> bool:
        """Is there an entry in ``reads`` for this content and format (not loaded)?"""
        if self._connection is None:
            return False
        try:
            row = self._connection.execute(
                "select 1 from reads where key = ?", (self.read_key(sha256, suffix),)
            ).fetchone()
        except sqlite3.Error:
            return False
        return row is not None

    def put_read(self, sha256: str, suffix: str, value: Any) -> None:
        self._put("reads", self.read_key(sha256, suffix), value)

    @staticmethod
    def tokens_key(sha256: str, suffix: str, tokenizer: str) -> str:
        return f"{sha256}:{suffix}:{tokenizer}:{code_fingerprint()}"

    def get_tokens(self, sha256: str, suffix: str, tokenizer: str) -> Any | None:
        return self._get("tokens", self.tokens_key(sha256, suffix, tokenizer))

    def put_tokens(self, sha256: str, suffix: str, tokenizer: str, value: Any) -> None:
        self._put("tokens", self.tokens_key(sha256, suffix, tokenizer), value)

    def get_tags(self, sha256: str, taxonomy_sha256: str, year: int | None) -> Any | None:
        return self._get("tags", self.tag_key(sha256, taxonomy_sha256, year))

    def put_tags(self, sha256: str, taxonomy_sha256: str, year: int | None, value: Any) -> None:
        self._put("tags", self.tag_key(sha256, taxonomy_sha256, year), value)


def cache_problem(folder: Path) -> str | None:
    """Why the cache in ``folder`` cannot be used (None: it can), found by writing
    and removing an entry: the workers that met the problem during a run are gone
    by its end, and a run's notes should say it once."""
    cache = Cache(folder)
    try:
        cache._put("probe", "written", None)
        if cache._connection is not None:
            try:
                cache._connection.execute("delete from probe")
            except sqlite3.Error as error:
                cache._give_up("written", error)
        return cache.problem
    finally:
        cache.close()
