"""The dev runner's process group: children restart when they die; stop escalates to SIGKILL."""
import sys
import time

from deploy.local.processes import ProcessGroup

IGNORES_SIGINT = ("import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); "
                  "print('ready', flush=True); time.sleep(60)")


def wait_until(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def test_a_dead_child_is_restarted_in_place(tmp_path):
    group = ProcessGroup(tmp_path)
    first = group.start("worker", [sys.executable, "-c", "import time; time.sleep(60)"])
    group.start("other", [sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        first.kill()
        first.wait()
        assert group.restart_dead(["worker"]) == ["worker"]
        assert [name for name, _ in group.children] == ["worker", "other"]
        assert group.children[0][1].pid != first.pid
        assert group.dead() == []
    finally:
        group.stop(timeout=2)
    assert group.children == []


def test_stop_kills_a_child_that_ignores_sigint(tmp_path):
    group = ProcessGroup(tmp_path)
    stubborn = group.start("stubborn", [sys.executable, "-c", IGNORES_SIGINT])
    wait_until(lambda: b"ready" in (tmp_path / "stubborn.log").read_bytes())
    started = time.monotonic()
    group.stop(timeout=0.5)
    assert stubborn.returncode == -9
    assert time.monotonic() - started < 5
