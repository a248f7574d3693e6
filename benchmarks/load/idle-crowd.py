#!/usr/bin/env python3
"""Holds a crowd of idle connections open against a uwsgi socket, as a slowloris attacker does: each connects and
sends nothing (or, with --half-head, the first two bytes of a packet head). A connection the server closes is opened
again, so the crowd stays the same size whatever the server's socket-timeout. Writes the number held to the status
file once the whole crowd is open, then every second; stops on SIGTERM. Used by run-idle.sh."""
import argparse
import selectors
import signal
import socket
import sys
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--connect", required=True, help="HOST:PORT of the uwsgi socket")
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--status", required=True, help="file that gets 'held N reopened M'")
    parser.add_argument("--half-head", action="store_true")
    args = parser.parse_args()
    host, port = args.connect.rsplit(":", 1)
    address = (host, int(port))
    selector = selectors.DefaultSelector()
    running = [True]
    signal.signal(signal.SIGTERM, lambda *_: running.__setitem__(0, False))

    def open_one():
        while running[0]:
            try:
                sock = socket.create_connection(address, timeout=30)
                break
            except OSError as error:
                # a full accept queue: try again, the crowd must be whole
                print(f"idle-crowd: connect: {error}", file=sys.stderr)
                time.sleep(0.05)
        else:
            return
        if args.half_head:
            sock.sendall(b"\x00\x64")
        sock.setblocking(False)
        selector.register(sock, selectors.EVENT_READ)

    for _ in range(args.count):
        open_one()
    reopened = 0
    last = 0.0
    while running[0]:
        for key, _ in selector.select(timeout=0.2):
            sock = key.fileobj
            try:
                data = sock.recv(4096)
            except OSError:
                data = b""
            if not data:
                selector.unregister(sock)
                sock.close()
                reopened += 1
                open_one()
        now = time.monotonic()
        if now - last >= 1:
            last = now
            with open(args.status, "w") as status:
                status.write(f"held {len(selector.get_map())} reopened {reopened}\n")
    for key in list(selector.get_map().values()):
        key.fileobj.close()


if __name__ == "__main__":
    main()
