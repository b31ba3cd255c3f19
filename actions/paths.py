"""Where the actions find the content files operators edit."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Tests and deployments may point the action server at another content folder.
CONTENT_DIR = Path(os.environ.get("IMGCMA_CONTENT_DIR", PROJECT_ROOT / "data" / "content"))
