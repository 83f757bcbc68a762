#!/usr/bin/env python3
"""Helpers of bench/stream.sh (see bench/README.md).

  stream_tool.py check BODY FIRST_ID LAST_ID   checks an NDJSON body of /api/v1/videos/stream: one JSON object a
                                               line, the last line ended, rows in (created_at DESC, id DESC) order,
                                               no id twice, first and last id as PostgreSQL gives them
  stream_tool.py gc GC_LOG FROM TO             the GC pauses of a -Xlog:gc*:file=…:time,… log between two epoch
                                               times: count, and the heap used after them (MB): max and last
  stream_tool.py jstat SAMPLES START FROM TO   `jstat -gc -t <pid> 200` output of a JVM started at epoch START: the
                                               samples between two epoch times, the max heap in use (S0U+S1U+EU+OU,
                                               garbage included) and the max old generation in use (MB)
  stream_tool.py jvmstart GC_LOG               the JVM's start as an epoch time, from the first line of a GC log
                                               decorated with time and uptime
  stream_tool.py top TOP_OUTPUT [N [SKIP_PID]]  the last iteration of `top -b`: its N busiest lines, as
                                               "COMMAND(pid) %CPU" (without the line of SKIP_PID: with -H -p the
                                               process's own line is the sum of its threads)
  stream_tool.py threads BEFORE AFTER [N]      two `jcmd <pid> Thread.print`: the N threads that used the most CPU
                                               between them, as "name seconds"
  stream_tool.py readers URL N RATE SECONDS OUT  N clients that each read URL at a steady RATE bytes/s (in 50 ms
                                               steps, with a 64 KB receive buffer, unlike curl --limit-rate, which
                                               reads in bursts and then pauses) for SECONDS; one line per client in
                                               OUT: status first_byte_s bytes end (end: "time", or "closed"/"reset"
                                               at N s when the server ended the body first)
  stream_tool.py first URL                     one request that stops after the first NDJSON row: "status
                                               headers_s first_row_s" (curl's time_starttransfer counts the
                                               headers, which the gateway sends before the query has a row)
  stream_tool.py median V…                     the median
"""
import datetime
import json
import re
import socket
import sys
import threading
import time
import urllib.parse

UNITS = {"B": 1 / (1024 * 1024), "K": 1 / 1024, "M": 1, "G": 1024}


def check(body, first_id, last_id):
    lines = json_errors = order_errors = 0
    ids = set()
    duplicates = 0
    previous = None
    first = last = None
    size = 0
    ends_with_newline = False
    with open(body, "rb") as f:
        for raw in f:
            size += len(raw)
            ends_with_newline = raw.endswith(b"\n")
            lines += 1
            try:
                row = json.loads(raw)
                key = (datetime.datetime.fromisoformat(row["created_at"]), row["id"])
            except Exception:  # noqa: BLE001 - any malformed line counts
                json_errors += 1
                continue
            if first is None:
                first = row["id"]
            last = row["id"]
            if row["id"] in ids:
                duplicates += 1
            ids.add(row["id"])
            if previous is not None and key > previous:
                order_errors += 1
            previous = key
    ok = (json_errors == 0 and order_errors == 0 and duplicates == 0 and ends_with_newline
          and first == first_id and last == last_id)
    print(f"lines={lines} bytes={size} json_errors={json_errors} order_errors={order_errors} "
          f"duplicate_ids={duplicates} last_line_ended={'yes' if ends_with_newline else 'no'} "
          f"first_id_matches={'yes' if first == first_id else 'no'} last_id_matches={'yes' if last == last_id else 'no'} "
          f"verdict={'ok' if ok else 'BAD'}")


GC_LINE = re.compile(r"^\[([0-9T:.\-+]+)\].*\[gc\s*\] GC\((\d+)\) (Pause .*?) (\d+)([BKMG])->(\d+)([BKMG])\((\d+)([BKMG])\)")


def gc(log, start, end):
    count = 0
    peak = last = None
    kinds = {}
    with open(log, errors="replace") as f:
        for line in f:
            m = GC_LINE.match(line)
            if not m:
                continue
            when = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()
            if when < start or when > end:
                continue
            after = int(m.group(6)) * UNITS[m.group(7)]
            count += 1
            kind = m.group(3).strip()
            kinds[kind] = kinds.get(kind, 0) + 1
            peak = after if peak is None else max(peak, after)
            last = after
    fmt = lambda v: "n/a" if v is None else f"{v:.0f}"  # noqa: E731
    print(f"{count} {fmt(peak)} {fmt(last)} " + ";".join(f"{k}:{v}" for k, v in sorted(kinds.items())))


def jvm_start(log):
    with open(log, errors="replace") as f:
        m = re.match(r"^\[([0-9T:.\-+]+)\]\[([0-9.]+)s\]", f.readline())
    if not m:
        sys.exit(f"{log}: no [time][uptime] decoration on the first line")
    print(f"{datetime.datetime.strptime(m.group(1), '%Y-%m-%dT%H:%M:%S.%f%z').timestamp() - float(m.group(2)):.3f}")


def jstat(samples, jvm_started, start, end):
    header = None
    peak_used = peak_old = None
    count = 0
    with open(samples, errors="replace") as f:
        for line in f:
            parts = line.split()
            if len(parts) < 3:
                continue
            if parts[0] == "Timestamp":
                header = parts[1:]
                continue
            if header is None or len(parts) - 1 != len(header):
                continue
            try:
                when = jvm_started + float(parts[0])
                values = dict(zip(header, (float(p) for p in parts[1:])))
            except ValueError:
                continue
            if when < start or when > end:
                continue
            used = (values["S0U"] + values["S1U"] + values["EU"] + values["OU"]) / 1024
            old = values["OU"] / 1024
            count += 1
            peak_used = used if peak_used is None else max(peak_used, used)
            peak_old = old if peak_old is None else max(peak_old, old)
    fmt = lambda v: "n/a" if v is None else f"{v:.0f}"  # noqa: E731
    print(f"{count} {fmt(peak_used)} {fmt(peak_old)}")


def top(output, n, skip=None):
    blocks = open(output, errors="replace").read().split("\ntop - ")
    lines = blocks[-1].splitlines()
    header = next((i for i, l in enumerate(lines) if l.strip().startswith("PID")), None)
    if header is None:
        print("n/a")
        return
    rows = []
    for l in lines[header + 1:]:
        parts = l.split(None, 11)
        if len(parts) < 12:
            continue
        try:
            cpu = float(parts[8].replace(",", "."))
        except ValueError:
            continue
        if parts[0] == skip:
            continue
        rows.append((cpu, f"{parts[11].strip()}({parts[0]}) {cpu:.0f}%"))
    rows.sort(key=lambda r: -r[0])
    print(", ".join(r[1] for r in rows[:n] if r[0] > 0) or "idle")


THREAD = re.compile(r'^"(.+?)" .*?\bcpu=([0-9.]+)ms')


def thread_cpu(path):
    cpu = {}
    with open(path, errors="replace") as f:
        for line in f:
            m = THREAD.match(line)
            if m:
                cpu[m.group(1)] = cpu.get(m.group(1), 0) + float(m.group(2))
    return cpu


def threads(before, after, n):
    a, b = thread_cpu(before), thread_cpu(after)
    used = sorted(((b[k] - a.get(k, 0), k) for k in b), reverse=True)
    total = sum(u for u, _ in used)
    print(", ".join(f"{k} {u / 1000:.1f}s" for u, k in used[:n] if u > 0) + f" (all threads {total / 1000:.1f}s)")


def reader(url, rate, seconds, results, i):
    u = urllib.parse.urlsplit(url)
    start = time.monotonic()
    status, first, got, end = "000", None, 0, "time"
    try:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
        sock.settimeout(5)
        sock.connect((u.hostname, u.port or 80))
        sock.sendall(f"GET {u.path or '/'}{'?' + u.query if u.query else ''} HTTP/1.1\r\nHost: {u.netloc}\r\n"
                     f"Accept: application/x-ndjson\r\nConnection: close\r\n\r\n".encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = sock.recv(4096)
            if not chunk:
                raise ConnectionError("closed before the headers")
            head += chunk
        first = time.monotonic() - start
        status = head.split(b" ", 2)[1].decode()
        got = len(head.split(b"\r\n\r\n", 1)[1])
        step = 0.05
        allowance = 0.0
        next_tick = time.monotonic()
        while time.monotonic() - start < seconds:
            allowance = min(allowance + rate * step, rate * step * 2)
            while allowance >= 1:
                sock.settimeout(max(0.01, seconds - (time.monotonic() - start)))
                try:
                    chunk = sock.recv(int(min(allowance, 65536)))
                except socket.timeout:
                    break
                if not chunk:
                    end = f"closed@{time.monotonic() - start:.1f}s"
                    raise StopIteration
                got += len(chunk)
                allowance -= len(chunk)
                if len(chunk) < 1024:
                    break
            next_tick += step
            time.sleep(max(0.0, next_tick - time.monotonic()))
    except StopIteration:
        pass
    except (ConnectionError, OSError) as e:
        end = f"reset@{time.monotonic() - start:.1f}s({type(e).__name__})"
    finally:
        try:
            sock.close()
        except Exception:  # noqa: BLE001
            pass
    results[i] = f"{status} {'n/a' if first is None else f'{first:.3f}'} {got} {end}"


def first(url):
    u = urllib.parse.urlsplit(url)
    start = time.monotonic()
    sock = socket.create_connection((u.hostname, u.port or 80), timeout=120)
    sock.sendall(f"GET {u.path or '/'}{'?' + u.query if u.query else ''} HTTP/1.1\r\nHost: {u.netloc}\r\n"
                 f"Accept: application/x-ndjson\r\nConnection: close\r\n\r\n".encode())
    data = b""
    headers_at = row_at = None
    status = "000"
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
        if headers_at is None and b"\r\n\r\n" in data:
            headers_at = time.monotonic() - start
            head, data = data.split(b"\r\n\r\n", 1)
            status = head.split(b" ", 2)[1].decode()
            chunked = b"chunked" in head.lower()
        if headers_at is not None:
            body = data
            if chunked:  # drop the chunk-size lines: "<hex>\r\n<data>\r\n" …
                body, rest = b"", data
                while b"\r\n" in rest:
                    size_line, rest = rest.split(b"\r\n", 1)
                    size = int(size_line.split(b";")[0] or b"0", 16)
                    body += rest[:size]
                    rest = rest[size + 2:]
                    if size == 0 or len(rest) == 0:
                        break
            if b"\n" in body:
                row_at = time.monotonic() - start
                break
    sock.close()
    fmt = lambda v: "n/a" if v is None else f"{v:.4f}"  # noqa: E731
    print(f"{status} {fmt(headers_at)} {fmt(row_at)}")


def readers(url, n, rate, seconds, out):
    results = [None] * n
    threads = [threading.Thread(target=reader, args=(url, rate, seconds, results, i)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with open(out, "w") as f:
        f.write("\n".join(results) + "\n")


def median(values):
    v = sorted(float(x) for x in values)
    if not v:
        print("n/a")
        return
    mid = len(v) // 2
    print(v[mid] if len(v) % 2 else (v[mid - 1] + v[mid]) / 2)


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    cmd, args = argv[1], argv[2:]
    if cmd == "check":
        check(*args)
    elif cmd == "gc":
        gc(args[0], float(args[1]), float(args[2]))
    elif cmd == "jstat":
        jstat(args[0], float(args[1]), float(args[2]), float(args[3]))
    elif cmd == "jvmstart":
        jvm_start(args[0])
    elif cmd == "top":
        top(args[0], int(args[1]) if len(args) > 1 else 6, args[2] if len(args) > 2 else None)
    elif cmd == "threads":
        threads(args[0], args[1], int(args[2]) if len(args) > 2 else 6)
    elif cmd == "first":
        first(args[0])
    elif cmd == "readers":
        readers(args[0], int(args[1]), float(args[2]), float(args[3]), args[4])
    elif cmd == "median":
        median(args)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
