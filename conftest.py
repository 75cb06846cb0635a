"""Root conftest: every suite shares the real-PostgreSQL fixtures of `plaza_dev.testing`."""

pytest_plugins = ["plaza_dev.testing"]
