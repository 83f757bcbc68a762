#!/usr/bin/env python3
"""Walks a cursor listing of the Sluice gateway and prints the cursor found at the end.

usage: walk_cursor.py BASE_URL PATH LIMIT STEPS

Requests BASE_URL + PATH?limit=LIMIT, then follows `next_cursor` from each JSON body STEPS times in all
(STEPS requests), and prints the `next_cursor` of the last reply on stdout: the position
LIMIT * STEPS rows deep. Progress and a summary go to stderr. Exits 1, with the status and body
of the failing reply on stderr, if a reply is not 200 or has no next_cursor.
"""
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request


def main() -> int:
    base, path, limit, steps = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    cursor = None
    rows = 0
    started = time.monotonic()
    last_item = None
    for step in range(1, steps + 1):
        query = {"limit": str(limit)}
        if cursor is not None:
            query["cursor"] = cursor
        url = base + path + "?" + urllib.parse.urlencode(query)
        try:
            with urllib.request.urlopen(url, timeout=120) as reply:
                body = json.loads(reply.read())
        except urllib.error.HTTPError as e:
            print(f"walk: step {step}: HTTP {e.code}: {e.read()[:2000].decode('utf-8', 'replace')}", file=sys.stderr)
            return 1
        except (urllib.error.URLError, ValueError, OSError) as e:
            print(f"walk: step {step}: {e}", file=sys.stderr)
            return 1
        data = body.get("data") or []
        rows += len(data)
        if data:
            last_item = data[-1]
        cursor = body.get("next_cursor")
        if not cursor:
            print(f"walk: step {step}: no next_cursor after {rows} rows (has_more={body.get('has_more')})",
                  file=sys.stderr)
            return 1
        if step % 100 == 0:
            print(f"walk: {step}/{steps} pages, {rows} rows, {time.monotonic() - started:.1f} s", file=sys.stderr)
    took = time.monotonic() - started
    where = ""
    if isinstance(last_item, dict):
        where = f", last row created_at={last_item.get('created_at')} id={last_item.get('id')}"
    print(f"walk: done: {steps} pages of {limit}, {rows} rows in {took:.1f} s "
          f"({steps / took:.1f} pages/s){where}", file=sys.stderr)
    print(cursor)
    return 0


if __name__ == "__main__":
    sys.exit(main())
