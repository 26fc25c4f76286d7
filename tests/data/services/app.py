# The Python workload of tests/integration/services-decode.sh: the same
# short run in a container and under strace. A file written and read, a
# ThreadingHTTPServer on 127.0.0.1 (a port the kernel picks) answering a
# client thread, a subprocess, then a clean shutdown.
import http.client
import http.server
import json
import os
import subprocess
import threading

path = "/tmp/services-decode.json"
with open(path, "w") as f:
    json.dump({"requests": 3}, f)
with open(path) as f:
    n = json.load(f)["requests"]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"path": self.path}).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
serving = threading.Thread(target=server.serve_forever)
serving.start()


def client():
    for i in range(n):
        c = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
        c.request("GET", "/%d" % i)
        assert c.getresponse().read() == json.dumps({"path": "/%d" % i}).encode()
        c.close()


asking = threading.Thread(target=client)
asking.start()
asking.join()
subprocess.run(["/bin/true"], check=True)
server.shutdown()
server.server_close()
serving.join()
os.unlink(path)
print("python done")
