// Talks to itself over loopback, with known counts per peer, for
// tests/integration/net-peers.sh: TCP (bind, listen, 3 connects, 3
// accepts), UDP (bind, 2 sendto and 1 sendmsg with an address, 1
// connect), a unix stream socket (bind, listen, 2 connects, 2 accepts),
// 2 TCP connects that fail (refused, unreachable), and TCP over IPv6 when
// the kernel has it (prints "ipv6" then).
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void lo_up(void)
{
	struct ifreq ifr = {0};
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	strcpy(ifr.ifr_name, "lo");
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		die("SIOCGIFFLAGS lo");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		die("SIOCSIFFLAGS lo");
	close(s);
}

/* A listener on addr, n connects to it and n accepts. */
static void stream(const struct sockaddr *addr, socklen_t len, int n)
{
	int l = socket(addr->sa_family, SOCK_STREAM, 0);

	if (l < 0 || bind(l, addr, len) < 0 || listen(l, 8) < 0)
		die("listen");
	for (int i = 0; i < n; i++) {
		int c = socket(addr->sa_family, SOCK_STREAM, 0), a;

		if (c < 0 || connect(c, addr, len) < 0)
			die("connect");
		a = accept(l, NULL, NULL);
		if (a < 0 || write(c, "x", 1) != 1)
			die("accept");
		close(a);
		close(c);
	}
	close(l);
}

/* A TCP connect that must fail. */
static void refused(const struct sockaddr *addr, socklen_t len)
{
	int c = socket(addr->sa_family, SOCK_STREAM, 0);

	if (c < 0)
		die("socket");
	if (connect(c, addr, len) == 0)
		die("connect to an address that should refuse succeeded");
	close(c);
}

int main(void)
{
	struct sockaddr_in tcp = {.sin_family = AF_INET, .sin_port = htons(7001)};
	struct sockaddr_in udp = {.sin_family = AF_INET, .sin_port = htons(7002)};
	struct sockaddr_in udp2 = {.sin_family = AF_INET, .sin_port = htons(7003)};
	struct sockaddr_in6 tcp6 = {
		.sin6_family = AF_INET6, .sin6_port = htons(7004), .sin6_addr = IN6ADDR_LOOPBACK_INIT};
	struct sockaddr_un un = {.sun_family = AF_UNIX, .sun_path = "/tmp/og.sock"};
	struct sockaddr_in refuse = {.sin_family = AF_INET, .sin_port = htons(7009)};
	struct sockaddr_in far = {.sin_family = AF_INET, .sin_port = htons(443)};
	struct iovec iov = {.iov_base = "m", .iov_len = 1};
	struct msghdr msg = {.msg_name = &udp, .msg_namelen = sizeof(udp), .msg_iov = &iov, .msg_iovlen = 1};
	char buf[8];
	int s, c;

	lo_up();
	inet_pton(AF_INET, "127.0.0.1", &tcp.sin_addr);
	udp.sin_addr = udp2.sin_addr = refuse.sin_addr = tcp.sin_addr;
	inet_pton(AF_INET, "192.0.2.1", &far.sin_addr);
	stream((struct sockaddr *)&tcp, sizeof(tcp), 3);

	s = socket(AF_INET, SOCK_DGRAM, 0);
	c = socket(AF_INET, SOCK_DGRAM, 0);
	if (s < 0 || c < 0 || bind(s, (struct sockaddr *)&udp, sizeof(udp)) < 0)
		die("udp bind");
	for (int i = 0; i < 2; i++)
		if (sendto(c, "d", 1, 0, (struct sockaddr *)&udp, sizeof(udp)) != 1)
			die("sendto");
	if (sendmsg(c, &msg, 0) != 1)
		die("sendmsg");
	for (int i = 0; i < 3; i++)
		if (recv(s, buf, sizeof(buf), 0) != 1)
			die("recv");
	close(c);
	c = socket(AF_INET, SOCK_DGRAM, 0);
	if (c < 0 || connect(c, (struct sockaddr *)&udp2, sizeof(udp2)) < 0)
		die("udp connect");
	close(c);
	close(s);

	stream((struct sockaddr *)&un, sizeof(un), 2);

	/* Connects that fail are no peers: refused on loopback, and a
	 * documentation address (RFC 5737) no route leads to. */
	refused((struct sockaddr *)&refuse, sizeof(refuse));
	refused((struct sockaddr *)&far, sizeof(far));

	if (access("/proc/net/if_inet6", F_OK) == 0) {
		stream((struct sockaddr *)&tcp6, sizeof(tcp6), 1);
		puts("ipv6");
	}
	puts("done");
	return 0;
}
