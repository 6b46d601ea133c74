"""Where a lake lives: a folder on this machine (a path or a ``file://`` URL) or an
object store (``s3://bucket/prefix``), reached through pyarrow's filesystems.

Why pyarrow's and not fsspec's: pyarrow is installed already, writes the Parquet, and
has S3 built in (credentials from the environment, as the AWS tools read them); one
more package would bring nothing the export uses. Spark reads the same files through
Hadoop's connectors, whose names differ (``s3a://`` for S3): :meth:`Location.spark_uri`
translates. Only local folders are tested here.

A local folder must exist and be writable before anything is read from the registry:
a typo in ``--to`` fails in a second, in Chinese, not after minutes of reading.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import pyarrow as pa
import pyarrow.fs as pafs

#: pyarrow's scheme → the Hadoop connector's, where they differ (what Spark reads).
SPARK_SCHEMES = {"s3": "s3a"}


class LakeError(ValueError):
    """The lake cannot be read or written (str() is Chinese first); nothing changed."""


@dataclass(frozen=True)
class Location:
    """A lake's root: the filesystem and the path of the root on it (no trailing /)."""

    url: str
    fs: pafs.FileSystem
    root: str
    scheme: str  # "file", "s3", …

    def path(self, rel: str = "") -> str:
        """The filesystem path of ``rel`` (a path inside the lake, ``/``-separated)."""
        return f"{self.root}/{rel}" if rel else self.root

    def spark_uri(self, rel: str = "") -> str:
        """``rel`` as Spark names it: ``file:///…`` for a local folder, ``s3a://…`` for S3."""
        # a local root is absolute ("file://" + "/tmp/lake"), a bucket's is not ("s3a://b/p")
        base = f"{SPARK_SCHEMES.get(self.scheme, self.scheme)}://{self.root}"
        return f"{base}/{rel}" if rel else base

    def read_bytes(self, rel: str) -> bytes | None:
        """The file's bytes, or None when there is no such file."""
        if self.fs.get_file_info(self.path(rel)).type != pafs.FileType.File:
            return None
        with self.fs.open_input_stream(self.path(rel)) as f:
            data: bytes = f.read()
        return data

    def size(self, rel: str) -> int | None:
        """The file's size in bytes, or None when there is no such file."""
        info = self.fs.get_file_info(self.path(rel))
        return int(info.size) if info.type == pafs.FileType.File else None

    def write_bytes(self, rel: str, data: bytes) -> None:
        """Write ``data`` to ``rel`` whole: into a temporary name first, then moved into
        place, so no reader finds half a file under the final name (a rename on a local
        folder; on S3 an object appears whole anyway)."""
        final = self.path(rel)
        parent = final.rsplit("/", 1)[0]
        self.fs.create_dir(parent, recursive=True)
        temporary = f"{parent}/.tmp-{os.getpid()}-{final.rsplit('/', 1)[1]}"
        with self.fs.open_output_stream(temporary) as out:
            out.write(data)
        self.fs.move(temporary, final)

    def delete(self, rel: str) -> None:
        self.fs.delete_file(self.path(rel))

    def files(self, under: str) -> list[str]:
        """Every file below ``under`` (paths inside the lake), none if it is absent."""
        base = self.path(under)
        if self.fs.get_file_info(base).type != pafs.FileType.Directory:
            return []
        found = self.fs.get_file_info(pafs.FileSelector(base, recursive=True))
        start = len(self.root) + 1
        return sorted(f.path[start:] for f in found if f.type == pafs.FileType.File)

    def remove_empty_dirs(self, under: str) -> None:
        """Remove the folders below ``under`` left empty (a county no longer exported)."""
        base = self.path(under)
        if self.fs.get_file_info(base).type != pafs.FileType.Directory:
            return
        found = self.fs.get_file_info(pafs.FileSelector(base, recursive=True))
        dirs = sorted(
            (f.path for f in found if f.type == pafs.FileType.Directory), key=len, reverse=True
        )
        for d in dirs:
            if not self.fs.get_file_info(pafs.FileSelector(d)):
                self.fs.delete_dir(d)


def locate(url: str) -> Location:
    """The lake at ``url``: a folder path, ``file:///…`` or an object-store URL.

    A local folder must exist and be a readable folder: a Chinese :class:`LakeError`
    says which of these it is not."""
    parsed = urlparse(url)
    if parsed.scheme in ("", "file"):
        return _local(url, Path(unquote(parsed.path) if parsed.scheme else url))
    try:
        fs, path = pafs.FileSystem.from_uri(url)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError) as exc:
        raise LakeError(
            f"无法打开数据湖地址 {url}（支持本地文件夹、file://、s3://）：{exc} / "
            "cannot open the lake URL"
        ) from None
    return Location(url, fs, path.rstrip("/"), parsed.scheme)


def _local(url: str, folder: Path) -> Location:
    if not folder.exists():
        raise LakeError(f"找不到文件夹 {folder}，请先创建 / no such folder")
    if not folder.is_dir():
        raise LakeError(f"{folder} 是一个文件，不是文件夹 / not a folder")
    root = folder.resolve()
    if not os.access(root, os.R_OK | os.X_OK):
        raise LakeError(f"没有读取文件夹 {root} 的权限 / the folder cannot be read")
    return Location(url, pafs.LocalFileSystem(), root.as_posix(), "file")


def check_writable(location: Location) -> None:
    """Write and remove a small file at the lake's root: a Chinese :class:`LakeError`
    if the folder (or bucket) refuses it, before anything else is done."""
    probe = f".doudi-write-test-{os.getpid()}"
    try:
        with location.fs.open_output_stream(location.path(probe)) as out:
            out.write(b"")
        location.delete(probe)
    except OSError as exc:
        raise LakeError(
            f"没有写入 {location.url} 的权限：{exc} / the lake location is not writable"
        ) from None
