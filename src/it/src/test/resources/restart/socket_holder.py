#!/usr/bin/env python3
"""What systemd does for a socket unit and a Type=notify service with StandardInput=socket, for RestartIT.

Binds and listens on ADDRESS (a Unix socket path, or HOST:PORT) once, and keeps the socket for its whole life. Each
"start" runs a service process with that listening socket as its standard input (fd 0), its output written to a log
file, and NOTIFY_SOCKET pointing at a datagram socket this script reads, as systemd's sd_notify does; "stop" sends
SIGTERM and waits. Commands come one JSON object per line on standard input; events go one line each to standard
output:

  {"start": [ARGV...], "log": PATH}   ->  started PID
  {"stop": true}                      ->  stopped EXIT_STATUS
  (a datagram on NOTIFY_SOCKET)       ->  notify PID KEY=VALUE|KEY=VALUE...
  end of input                        ->  the service is stopped, the script exits

A barrier file descriptor that systemd-notify passes with BARRIER=1 is closed, as systemd closes it.
"""
import array
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import tempfile


def listen(address):
    if "/" in address:
        if os.path.exists(address):
            os.unlink(address)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.bind(address)
    else:
        host, port = address.rsplit(":", 1)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, int(port)))
    sock.listen(1024)
    return sock


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main():
    address = sys.argv[1]
    listener = listen(address)
    notify_dir = tempfile.mkdtemp(prefix="notify-")
    notify_path = os.path.join(notify_dir, "notify.sock")
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(notify_path)
    notify.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
    service = None
    stopping = False

    def stop_service():
        nonlocal service
        if service is None:
            return None
        if service.poll() is None:
            service.send_signal(signal.SIGTERM)
        status = service.wait()
        service = None
        return status

    def on_term(signum, frame):
        if service is not None and service.poll() is None:
            service.kill()
        sys.exit(1)

    signal.signal(signal.SIGTERM, on_term)
    selector = selectors.DefaultSelector()
    selector.register(sys.stdin, selectors.EVENT_READ, "command")
    selector.register(notify, selectors.EVENT_READ, "notify")
    say("listening " + address)
    try:
        while True:
            # the stopping service is waited for between reads of NOTIFY_SOCKET, as systemd keeps reading it
            if stopping and service.poll() is not None:
                stopping = False
                say("stopped " + str(stop_service()))
            for key, _ in selector.select(0.1):
                if key.data == "notify":
                    fds = array.array("i")
                    data, ancillary, _, _ = notify.recvmsg(4096, socket.CMSG_SPACE(16 * fds.itemsize) + socket.CMSG_SPACE(12))
                    pid = "?"
                    for level, kind, payload in ancillary:
                        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                            fds.frombytes(payload[:len(payload) - len(payload) % fds.itemsize])
                        elif level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
                            pid = str(int.from_bytes(payload[0:4], sys.byteorder))
                    for fd in fds:
                        os.close(fd)
                    say("notify " + pid + " " + "|".join(data.decode("utf-8", "replace").strip().split("\n")))
                    continue
                line = sys.stdin.readline()
                if not line:
                    return
                command = json.loads(line)
                if "start" in command:
                    with open(command["log"], "wb") as log:
                        environment = dict(os.environ, NOTIFY_SOCKET=notify_path)
                        environment.update(command.get("env", {}))
                        service = subprocess.Popen(command["start"], stdin=listener.fileno(), stdout=log,
                                                   stderr=subprocess.STDOUT, env=environment, cwd=command.get("cwd"))
                    say("started " + str(service.pid))
                elif "stop" in command:
                    if service is None:
                        say("stopped None")
                    else:
                        service.send_signal(signal.SIGTERM)
                        stopping = True
    finally:
        stop_service()
        notify.close()
        os.unlink(notify_path)
        os.rmdir(notify_dir)
        listener.close()
        if "/" in address and os.path.exists(address):
            os.unlink(address)


if __name__ == "__main__":
    main()
