import sys
from pathlib import Path

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture
def downloads(monkeypatch) -> dict:
    """Every download a page offers, by its file id: the function a click would run."""
    made, register = {}, MediaFileManager.add_deferred

    def spy(self, data_callable, *args, **kw):
        file_id = register(self, data_callable, *args, **kw)
        made[file_id] = data_callable
        return file_id

    monkeypatch.setattr(MediaFileManager, "add_deferred", spy)
    return made
