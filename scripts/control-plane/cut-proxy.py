#!/usr/bin/env python3
"""A TCP proxy between one client and the API server that can be cut and healed.

Usage: cut-proxy.py UPSTREAM_HOST:PORT [--source-ip 127.0.0.2] [--log FILE]

Listens on a free loopback port and prints it on stdout (one line), then forwards every
connection byte for byte (TLS passes through untouched, so the server's certificate for
127.0.0.1 still matches). Upstream connections leave from --source-ip, any 127/8 address, so
the server's audit log (sourceIPs) tells this client's requests from everyone else's.

  SIGUSR1  cut: every open connection is closed at once and new ones are refused (closed on
           accept), as when the network between the client and the server fails
  SIGUSR2  heal: new connections are forwarded again
  SIGTERM  exit

The log (JSON lines, wall-clock seconds) records each cut, heal, connection and refusal.
"""
import argparse
import asyncio
import json
import signal
import sys
import time


class Proxy:
    def __init__(self, upstream_host, upstream_port, source_ip, log):
        self.upstream = (upstream_host, upstream_port)
        self.source_ip = source_ip
        self.log_file = log
        self.cut = False
        self.open = set()

    def log(self, event, **fields):
        if self.log_file is None:
            return
        self.log_file.write(json.dumps({"t": round(time.time(), 6), "event": event, **fields}) + "\n")
        self.log_file.flush()

    def set_cut(self, cut):
        self.cut = cut
        self.log("cut" if cut else "heal", open=len(self.open))
        if cut:
            for writer in list(self.open):
                transport = writer.transport
                if transport is not None:
                    transport.abort()
            self.open.clear()

    async def handle(self, reader, writer):
        if self.cut:
            self.log("refused")
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(
                *self.upstream, local_addr=(self.source_ip, 0) if self.source_ip else None)
        except OSError as error:
            self.log("upstream-failed", error=str(error))
            writer.transport.abort()
            return
        if self.cut:  # cut while connecting
            up_writer.transport.abort()
            writer.transport.abort()
            return
        self.open.update((writer, up_writer))
        self.log("open")

        async def pipe(source, sink):
            try:
                while True:
                    data = await source.read(65536)
                    if not data or self.cut:
                        break
                    sink.write(data)
                    await sink.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                if sink.transport is not None and not sink.transport.is_closing():
                    sink.transport.abort()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self.open.discard(writer)
        self.open.discard(up_writer)


async def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("upstream", help="HOST:PORT of the API server")
    parser.add_argument("--source-ip", default=None, help="local address of upstream connections (127/8)")
    parser.add_argument("--log", default=None, help="JSON-lines log of cuts, heals and connections")
    args = parser.parse_args()
    host, _, port = args.upstream.rpartition(":")
    if not host or not port.isdigit():
        parser.error(f"upstream must be HOST:PORT, got {args.upstream!r}")
    log = open(args.log, "a", encoding="utf-8") if args.log else None
    proxy = Proxy(host, int(port), args.source_ip, log)
    server = await asyncio.start_server(proxy.handle, "127.0.0.1", 0)
    loop = asyncio.get_running_loop()
    stop = loop.create_future()
    loop.add_signal_handler(signal.SIGUSR1, proxy.set_cut, True)
    loop.add_signal_handler(signal.SIGUSR2, proxy.set_cut, False)
    loop.add_signal_handler(signal.SIGTERM, lambda: stop.done() or stop.set_result(None))
    loop.add_signal_handler(signal.SIGINT, lambda: stop.done() or stop.set_result(None))
    print(server.sockets[0].getsockname()[1], flush=True)
    proxy.log("listening", port=server.sockets[0].getsockname()[1], upstream=args.upstream, source_ip=args.source_ip)
    await stop
    server.close()
    proxy.set_cut(True)


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(130)
