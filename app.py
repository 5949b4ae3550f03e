"""Start the 报告问答 web page: `python app.py [--host 127.0.0.1] [--port 7860] [--corpus corpus]
[--index index] [--model …]`; the same as `qa serve`, whose parser it uses so the two never drift.

The admin token for rebuilding the index from the page comes from QA_ADMIN_TOKEN, never a flag
(a flag would show in the process list).
"""
import sys

from qa.cli import main

if __name__ == "__main__":
    sys.exit(main(["serve", *sys.argv[1:]]))
