"""Idle keep-alive connections, for the RSS table of bench/load.sh (IDLE=1).

    python3 idle_client.py HOST PORT PATH N HOLD_SECONDS PID[,PID...]

Reads the server's RSS (VmRSS of the PIDs, summed, in KiB), opens N
connections (at most 200 connecting at once, so the listener's backlog
does not overflow), sends one GET on each and reads its whole answer, then
keeps every connection open and idle. Prints, one line each:

    before RSS                  before the first connection
    ready OK FAILED             connections that got a 2xx answer, others
    with RSS OPEN               1 s later: the RSS, and how many of the
                                connections the server had not closed
    held OPEN                   after HOLD_SECONDS more
    after RSS                   1 s after the client closed them all
"""

import asyncio
import sys


async def answer(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    status = head.split(b" ", 2)[1]
    length, chunked = 0, False
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value.strip())
        elif name == b"transfer-encoding" and b"chunked" in value.lower():
            chunked = True
    if chunked:
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(length)
    return status.startswith(b"2")


async def one(host, port, request, gate):
    async with gate:
        try:
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(request)
            if await answer(reader):
                return reader, writer
            writer.close()
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            pass
        return None


def rss(pids):
    total = 0
    for pid in pids:
        with open("/proc/%s/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total


async def main():
    host, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    n, hold = int(sys.argv[4]), float(sys.argv[5])
    pids = sys.argv[6].split(",")
    request = ("GET %s HTTP/1.1\r\nHost: %s:%d\r\n\r\n" % (path, host, port)).encode()
    print("before", rss(pids), flush=True)
    gate = asyncio.Semaphore(200)
    conns = await asyncio.gather(*(one(host, port, request, gate) for _ in range(n)))
    live = [c for c in conns if c is not None]
    print("ready", len(live), n - len(live), flush=True)
    await asyncio.sleep(1)
    memory = rss(pids)
    print("with", memory, sum(1 for reader, _ in live if not reader.at_eof()), flush=True)
    await asyncio.sleep(hold)
    print("held", sum(1 for reader, _ in live if not reader.at_eof()), flush=True)
    for _, writer in live:
        writer.close()
    await asyncio.sleep(1)
    print("after", rss(pids), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
