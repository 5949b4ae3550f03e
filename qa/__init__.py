"""报告问答 (report QA): ask Chinese questions about a report, get short answers quoted from it."""

__version__ = "0.1.0"
