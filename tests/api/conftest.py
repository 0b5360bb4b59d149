"""Print what the schemathesis run sent, in CI's log as well as with -s."""

from __future__ import annotations


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    from tests.api.test_fuzz import SENT

    if SENT["requests"]:
        statuses = dict(sorted(SENT["statuses"].items()))
        terminalreporter.write_line(
            f"schemathesis: {SENT['requests']} generated requests, statuses {statuses}, "
            f"{SENT['failures']} failing (a failure fails its test with schemathesis's reproduction)"
        )
