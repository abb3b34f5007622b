#!/usr/bin/env python3
"""A scriptable HTTP/1.1 (optionally TLS) server for the client tests (KubeAPITests).

Why: the transport and the retry/informer drivers must be tested over real sockets against
faults (429, 5xx, cut streams, 410) that kubesim cannot inject yet. Tests push canned
responses, then read the request log (with arrival times) to assert what the client did.

Control endpoints (never scripted, never logged):
  POST /_control/script  body: JSON list of responses, appended to the queue
  GET  /_control/log     the requests seen so far: method, path, headers, body, time
Each response: {"status": 200, "headers": {...}, "body": "text" | JSON,
                "lines": ["..."], "end": "clean" | "cut" | "hold"}
"lines" streams chunked, one line per chunk; "end": "cut" drops the connection mid-body.
With an empty queue the server echoes the request as JSON.
Prints the bound port on stdout, then serves until stdin closes (so it dies with the test).
"""
import json, ssl, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

lock = threading.Lock()
queue, log = [], []


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        if self.path.startswith("/_control/"):
            return self.control(body)
        entry = {"method": self.command, "path": self.path, "headers": dict(self.headers.items()),
                 "body": body, "time": time.time(), "peer": self.client_address[1]}
        with lock:
            log.append(entry)
            response = queue.pop(0) if queue else None
        if response is None:
            return self.send_json(200, entry)
        self.respond(response)

    def control(self, body):
        with lock:
            if self.path == "/_control/script":
                queue.extend(json.loads(body))
                payload = {"queued": len(queue)}
            else:
                payload = list(log)
        self.send_json(200, payload)

    def send_json(self, status, payload, headers=None):
        data = json.dumps(payload).encode()
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def respond(self, r):
        status, headers = r.get("status", 200), r.get("headers", {})
        if "lines" not in r:
            body = r.get("body", "")
            if not isinstance(body, str):
                return self.send_json(status, body, headers)
            data = body.encode()
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            return
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for line in r["lines"]:
            text = (line if isinstance(line, str) else json.dumps(line)) + "\n"
            data = text.encode()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()
        if r.get("end") == "hold":  # a watch that never ends by itself: the client must hang up
            time.sleep(60)
        if r.get("end") == "cut":
            self.close_connection = True
            self.connection.shutdown(2)
            return
        self.wfile.write(b"0\r\n\r\n")

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_any


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if len(sys.argv) == 3:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[1], sys.argv[2])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()


if __name__ == "__main__":
    main()
