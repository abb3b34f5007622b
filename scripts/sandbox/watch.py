"""Watch streams of the sandbox's API server, feeding (resource, event type, object) into a queue.

A thread per resource reads `?watch=1` JSON lines (the Kubernetes watch protocol) and resumes
from the last resourceVersion when the stream ends, so no pod that lives only for a moment is
missed (a poll could miss the exit pod of a killed run: it is deleted as soon as it ends).
"""
import json
import threading
import time
import urllib.request

PATHS = {
    "omjobs": "/apis/pipelines.openmetadata.org/v1/omjobs",
    "pods": "/api/v1/pods",
}


def start(server, resource, events, stop, early=None):
    """Starts a daemon thread that puts (resource, type, object) on `events` until `stop` is set;
    `early(resource, type, object)`, if given, runs on that thread first."""
    thread = threading.Thread(target=_follow, args=(server, resource, events, stop, early), daemon=True)
    thread.start()
    return thread


def _follow(server, resource, events, stop, early):
    version = ""
    while not stop.is_set():
        url = f"{server}{PATHS[resource]}?watch=1&timeoutSeconds=300"
        if version:
            url += f"&resourceVersion={version}"
        try:
            with urllib.request.urlopen(url, timeout=310) as stream:
                for line in stream:
                    if stop.is_set():
                        return
                    event = json.loads(line)
                    obj = event.get("object", {})
                    if event.get("type") == "ERROR":
                        version = ""  # 410 Gone: start again from now
                        break
                    version = obj.get("metadata", {}).get("resourceVersion", version)
                    if early:
                        early(resource, event["type"], obj)
                    events.put((resource, event["type"], obj))
        except Exception as error:  # the server stopping ends the sandbox anyway; retry until then
            if stop.is_set():
                return
            events.put(("error", resource, str(error)))
            time.sleep(0.5)
