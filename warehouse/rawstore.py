"""Raw documents, content-addressed: ``<data_dir>/raw/ab/cd/<sha256>.gz``.

The bytes are exactly what the server sent (re-parsing must see the same input), gzip
compressed (stdlib; HTML and text shrink 4–8×). Writing is idempotent and atomic
(temp file + ``os.replace``), so a crash never leaves a truncated document under a valid
name, and the same content fetched from two URLs is stored once.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import threading
from pathlib import Path


class RawStoreError(KeyError):
    def __str__(self) -> str:  # KeyError would print the repr of the message
        return str(self.args[0])


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class RawStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise RawStoreError(f"not a sha256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / f"{sha256}.gz"

    def put(self, data: bytes) -> tuple[str, Path]:
        digest = sha256_hex(data)
        p = self.path(digest)
        if not p.exists():
            p.parent.mkdir(parents=True, exist_ok=True)
            # unique per process and thread: two writers of the same bytes never share a temp
            tmp = p.with_name(f".{p.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            # mtime=0: the same bytes always compress to the same file
            tmp.write_bytes(gzip.compress(data, compresslevel=6, mtime=0))
            os.replace(tmp, p)
        return digest, p

    def get(self, sha256: str) -> bytes:
        p = self.path(sha256)
        try:
            data = gzip.decompress(p.read_bytes())
        except FileNotFoundError:
            raise RawStoreError(f"raw document {sha256} not in {self.root}") from None
        if sha256_hex(data) != sha256:
            raise RawStoreError(f"{p}: content does not match its sha256 (corrupt file)")
        return data

    def __contains__(self, sha256: str) -> bool:
        return self.path(sha256).exists()
