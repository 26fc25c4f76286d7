# The client of the nginx workload (tests/integration/services-decode.sh):
# waits for nginx to listen on PORT, then asks for the page N times, one
# connection each, and checks each answer.
import http.client
import sys
import time

port, n = int(sys.argv[1]), int(sys.argv[2])
for attempt in range(200):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        c.connect()
        break
    except ConnectionRefusedError:
        time.sleep(0.05)
else:
    sys.exit("nginx did not listen on port %d" % port)
c.close()
for i in range(n):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", "/index.html")
    r = c.getresponse()
    assert r.status == 200 and r.read().startswith(b"services-decode"), r.status
    c.close()
print("client done")
