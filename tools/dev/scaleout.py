"""Several Rasa replicas and action servers sharing PostgreSQL and Redis, on loopback.

Used by the scale-out test (tests/scaleout/) and the benchmark (tools/bench/). The
replicas read configs/endpoints.scaleout.yml, filled from the environment
returned by `scaleout_env`.
"""

from __future__ import annotations

import os
import secrets
import socket
from dataclasses import dataclass, field
from pathlib import Path

from tools.dev import stack
from tools.dev.stack import free_port

ROOT = Path(__file__).resolve().parents[2]
ENDPOINTS = ROOT / "configs" / "endpoints.scaleout.yml"


def reachable(host: str, port: int, timeout: float = 2.0) -> bool:
    """Whether something accepts TCP connections at host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


@dataclass
class Services:
    """Where the shared PostgreSQL and Redis live, and this run's own names in them."""

    db_name: str
    db_host: str = os.environ.get("DB_HOST", "127.0.0.1")
    db_port: int = int(os.environ.get("DB_PORT", "5432"))
    db_user: str = os.environ.get("DB_USER", "postgres")
    db_password: str = os.environ.get("DB_PASSWORD", "")
    db_login: str = os.environ.get("DB_LOGIN_DB", "postgres")
    redis_host: str = os.environ.get("REDIS_HOST", "127.0.0.1")
    redis_port: int = int(os.environ.get("REDIS_PORT", "6379"))
    redis_db: int = int(os.environ.get("REDIS_DB", "0"))
    redis_prefix: str = field(default_factory=lambda: f"imgcma{secrets.token_hex(4)}")

    def missing(self) -> list[str]:
        """The services that do not answer (empty when both are up)."""
        absent = []
        if not reachable(self.db_host, self.db_port):
            absent.append(f"PostgreSQL at {self.db_host}:{self.db_port}")
        if not reachable(self.redis_host, self.redis_port):
            absent.append(f"Redis at {self.redis_host}:{self.redis_port}")
        return absent

    def _admin(self):
        import psycopg2

        connection = psycopg2.connect(
            host=self.db_host,
            port=self.db_port,
            user=self.db_user,
            password=self.db_password or None,
            dbname=self.db_login,
        )
        connection.autocommit = True  # CREATE/DROP DATABASE refuse transactions
        return connection

    def create_database(self) -> None:
        connection = self._admin()
        try:
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{self.db_name}"')
        finally:
            connection.close()

    def drop_database(self) -> None:
        connection = self._admin()
        try:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
        finally:
            connection.close()

    def query(self, sql: str, *params: object) -> list[tuple]:
        """Rows of one query against this run's database."""
        import psycopg2

        connection = psycopg2.connect(
            host=self.db_host,
            port=self.db_port,
            user=self.db_user,
            password=self.db_password or None,
            dbname=self.db_name,
        )
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()
        finally:
            connection.close()

    def redis_keys(self) -> list[bytes]:
        import redis

        client = redis.Redis(host=self.redis_host, port=self.redis_port, db=self.redis_db)
        return list(client.scan_iter(f"{self.redis_prefix}*"))

    def clear_redis(self) -> None:
        import redis

        client = redis.Redis(host=self.redis_host, port=self.redis_port, db=self.redis_db)
        for key in client.scan_iter(f"{self.redis_prefix}*"):
            client.delete(key)

    def env(self, action_url: str) -> dict[str, str]:
        """The variables configs/endpoints.scaleout.yml reads."""
        return {
            "ACTION_SERVER_URL": action_url,
            "DB_HOST": self.db_host,
            "DB_PORT": str(self.db_port),
            "DB_NAME": self.db_name,
            "DB_USER": self.db_user,
            "DB_PASSWORD": self.db_password,
            "DB_LOGIN_DB": self.db_login,
            "REDIS_HOST": self.redis_host,
            "REDIS_PORT": str(self.redis_port),
            "REDIS_DB": str(self.redis_db),
            "REDIS_PASSWORD": "",  # nosec B105 - the local Redis has no password
            "REDIS_KEY_PREFIX": self.redis_prefix,
        }


def start_cluster(
    model: Path,
    services: Services,
    *,
    replicas: int,
    token: str,
    log_dir: Path | None = None,
    extra_env: dict[str, str] | None = None,
) -> list[stack.Stack]:
    """One action server and `replicas` Rasa servers on free ports (call wait_ready on each)."""
    action_port = free_port()
    env = {
        **services.env(f"http://127.0.0.1:{action_port}/webhook"),
        # Every replica must sign and check the plans' calendar links alike.
        "CALENDAR_LINK_SECRET": secrets.token_urlsafe(24),
        "PUBLIC_BASE_URL": "http://localhost:8080",
        **(extra_env or {}),
    }
    started: list[stack.Stack] = []
    try:
        for index in range(replicas):
            started.append(
                stack.start(
                    model,
                    token=token,
                    rasa_port=free_port(),
                    action_port=action_port,
                    endpoints=ENDPOINTS,
                    log_dir=log_dir / f"replica{index}" if log_dir else None,
                    extra_env=env,
                    with_action_server=index == 0,
                )
            )
    except BaseException:
        for running in started:
            running.stop()
        raise
    return started
