/*
 * The ceiling of a uwsgi frontend: a backend that does nothing but accept, read one whole uwsgi packet, write a fixed
 * 13-byte HTTP answer and close, on one thread, as uWSGI's C core does for each request. Compiled by run-bench.sh.
 * usage: null-backend SOCKET_PATH
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static const char ANSWER[] = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!";

int main(int argc, char **argv)
{
    if (argc != 2) { fprintf(stderr, "usage: %s SOCKET_PATH\n", argv[0]); return 2; }
    signal(SIGPIPE, SIG_IGN);
    struct sockaddr_un address = { .sun_family = AF_UNIX };
    strncpy(address.sun_path, argv[1], sizeof(address.sun_path) - 1);
    unlink(argv[1]);
    int server = socket(AF_UNIX, SOCK_STREAM, 0);
    if (server < 0 || bind(server, (struct sockaddr *) &address, sizeof(address)) < 0 || listen(server, 1024) < 0)
    { perror("null-backend: bind"); return 1; }
    chmod(argv[1], 0666);
    static char packet[65540];
    for (;;)
    {
        int client = accept(server, NULL, NULL);
        if (client < 0) { if (errno == EINTR) continue; perror("null-backend: accept"); return 1; }
        size_t have = 0, want = 4;
        while (have < want)
        {
            ssize_t n = read(client, packet + have, sizeof(packet) - have);
            if (n <= 0) break;
            have += (size_t) n;
            if (have >= 4) want = 4 + ((unsigned char) packet[1] | ((unsigned char) packet[2] << 8));
        }
        if (have >= want && write(client, ANSWER, sizeof(ANSWER) - 1) < 0) { /* the frontend went away: next */ }
        close(client);
    }
}
