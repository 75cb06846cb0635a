"""Root conftest: every suite shares the real-PostgreSQL fixtures of `plaza_dev.testing`.

The gateway's folder is called `gateway/` like its package; pytest (importlib mode) names test modules
after their folders (`gateway.tests.test_x`), so the real package is imported first, before pytest can
stand a placeholder `gateway` module in its place.
"""

import gateway  # noqa: F401

pytest_plugins = ["plaza_dev.testing"]
