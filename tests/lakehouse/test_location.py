"""Where a lake lives (lakehouse/location.py): a folder or a ``file://`` URL, refused in
Chinese when it is missing, a file, or not writable; named for Spark as Hadoop names it."""

from __future__ import annotations

from pathlib import Path

import pytest

from doudi.lakehouse.location import LakeError, check_writable, locate


def test_a_file_url_with_a_space_is_the_folder_it_names(tmp_path: Path) -> None:
    folder = tmp_path / "数据 湖"
    folder.mkdir()
    lake = locate(f"file://{folder.as_posix().replace(' ', '%20')}")
    assert lake.root == folder.as_posix()
    assert lake.spark_uri("people") == f"file://{folder.as_posix()}/people"


def test_a_missing_folder_is_refused_in_chinese(tmp_path: Path) -> None:
    with pytest.raises(LakeError, match=r"找不到文件夹 .*请先创建"):
        locate(str(tmp_path / "nowhere"))


def test_a_file_is_no_lake(tmp_path: Path) -> None:
    (tmp_path / "lake.txt").write_text("x")
    with pytest.raises(LakeError, match="是一个文件，不是文件夹"):
        locate(str(tmp_path / "lake.txt"))


def test_a_folder_that_takes_no_file_is_refused_in_chinese() -> None:
    # /proc takes no new file, whoever asks (root included, unlike a folder's mode bits)
    with pytest.raises(LakeError, match="没有写入 /proc 的权限"):
        check_writable(locate("/proc"))


def test_the_write_check_leaves_nothing_behind(tmp_path: Path) -> None:
    check_writable(locate(str(tmp_path)))
    assert list(tmp_path.iterdir()) == []
