# SPDX-License-Identifier: EUPL-1.2
"""Start and stop the local system's processes; stop means SIGINT, then SIGKILL.

``nameko run`` can hang on SIGTERM, so every child gets SIGINT first and is
killed after a timeout. Each child runs in its own process group.
"""
from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path


class ProcessGroup:
    """The processes one runner started, stopped in reverse order."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.children: list[tuple[str, subprocess.Popen]] = []
        self.commands: dict[str, tuple[list[str], Path | None, dict[str, str] | None]] = {}
        log_dir.mkdir(parents=True, exist_ok=True)

    def start(self, name: str, command: Sequence[str], cwd: Path | None = None,
              env: dict[str, str] | None = None) -> subprocess.Popen:
        """Start ``command`` with its output in ``<log_dir>/<name>.log``."""
        process = self._spawn(name, command, cwd, env)
        self.children.append((name, process))
        self.commands[name] = (list(command), cwd, env)
        return process

    def _spawn(self, name: str, command: Sequence[str], cwd: Path | None,
               env: dict[str, str] | None) -> subprocess.Popen:
        with open(self.log_dir / f"{name}.log", "ab") as log:  # the child keeps its own copy
            return subprocess.Popen(list(command), cwd=cwd, env={**os.environ, **(env or {})},
                                    stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)

    def restart_dead(self, names: Sequence[str]) -> list[str]:
        """Start again each child in ``names`` that exited; return which were restarted."""
        restarted = []
        for index, (name, process) in enumerate(list(self.children)):
            if name in names and process.poll() is not None:
                command, cwd, env = self.commands[name]
                self.children[index] = (name, self._spawn(name, command, cwd, env))
                restarted.append(name)
        return restarted

    def dead(self) -> list[str]:
        """Names of children that exited."""
        return [name for name, process in self.children if process.poll() is not None]

    def stop_child(self, name: str, timeout: float = 10.0) -> None:
        """Stop the child ``name`` as :meth:`stop` would and forget it (``start`` it again)."""
        for index, (child, process) in enumerate(list(self.children)):
            if child == name:
                _signal_group(process, signal.SIGINT)
                try:
                    process.wait(timeout)
                except subprocess.TimeoutExpired:
                    _signal_group(process, signal.SIGKILL)
                    process.wait()
                del self.children[index]
                return
        raise KeyError(name)

    def stop(self, timeout: float = 10.0) -> None:
        """SIGINT every child, wait up to ``timeout`` seconds, then SIGKILL what is left."""
        for _, process in reversed(self.children):
            _signal_group(process, signal.SIGINT)
        deadline = time.monotonic() + timeout
        for _, process in reversed(self.children):
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()
        self.children.clear()


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    if process.poll() is None:
        try:
            os.killpg(process.pid, signum)
        except ProcessLookupError:
            pass
