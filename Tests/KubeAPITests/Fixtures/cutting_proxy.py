#!/usr/bin/env python3
"""A TCP proxy in front of kubesim that cuts connections on command, for informer tests.

Why: a proxy gives real cuts over real sockets, at the moment the test chooses, with kubesim's
real watch semantics behind them.
Usage: cutting_proxy.py TARGET_PORT. Prints its own port, then reads commands on stdin:
  cut     close every open connection (clients see a broken stream)
  pause   cut, and from now on close new connections at once (server unreachable)
  resume  accept and forward again
Each command is acknowledged with "ok" on stdout. EOF on stdin stops the proxy.
"""
import socket, sys, threading

target = int(sys.argv[1])
lock = threading.Lock()
open_sockets, paused = set(), [False]


def pump(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def accept(listener):
    while True:
        client, _ = listener.accept()
        with lock:
            refuse = paused[0]
        if refuse:
            client.close()
            continue
        upstream = socket.create_connection(("127.0.0.1", target))
        with lock:
            open_sockets.update((client, upstream))
        threading.Thread(target=pump, args=(client, upstream), daemon=True).start()
        threading.Thread(target=pump, args=(upstream, client), daemon=True).start()


def cut():
    with lock:
        for s in open_sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        open_sockets.clear()


def main():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    print(listener.getsockname()[1], flush=True)
    threading.Thread(target=accept, args=(listener,), daemon=True).start()
    for line in sys.stdin:
        command = line.strip()
        if command in ("cut", "pause"):
            with lock:
                paused[0] = command == "pause"
            cut()
        elif command == "resume":
            with lock:
                paused[0] = False
        print("ok", flush=True)


if __name__ == "__main__":
    main()
