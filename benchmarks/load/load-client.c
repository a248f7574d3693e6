/*
 * A load client without a frontend in the way, for run-bench.sh. Threads, each with one connection at a time:
 *   uwsgi  SOCKET_PATH PACKET_FILE   a new Unix-socket connection per request, sending the captured nginx packet, as
 *                                    nginx uwsgi_pass does; the answer is read until the server closes
 *   close  HOST:PORT PATH            HTTP/1.1 with "Connection: close": a new TCP connection per request
 *   keepalive HOST:PORT PATH         HTTP/1.1 on one persistent TCP connection per thread
 * usage: load-client MODE TARGET ARG THREADS SECONDS|-nCOUNT EXPECTED_BODY
 * Prints one line: requests=N seconds=S rps=R p50_ms=A p99_ms=B errors=E
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define MAX_SAMPLES 2000000

static enum { UWSGI, CLOSE, KEEPALIVE } mode;
static struct sockaddr_un unix_address;
static struct sockaddr_in tcp_address;
static char request[70000];
static size_t request_length;
static const char *expected_body;
static double deadline;
static long count_limit;
static atomic_long issued, errors;
static double *samples;
static atomic_long sample_count;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static int open_connection(void)
{
    int fd;
    if (mode == UWSGI)
    {
        fd = socket(AF_UNIX, SOCK_STREAM, 0);
        if (fd >= 0 && connect(fd, (struct sockaddr *) &unix_address, sizeof(unix_address)) == 0) return fd;
    }
    else
    {
        fd = socket(AF_INET, SOCK_STREAM, 0);
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        if (fd >= 0 && connect(fd, (struct sockaddr *) &tcp_address, sizeof(tcp_address)) == 0) return fd;
    }
    if (fd >= 0) close(fd);
    return -1;
}

static int write_all(int fd, const char *data, size_t length)
{
    while (length > 0)
    {
        ssize_t n = write(fd, data, length);
        if (n <= 0) return -1;
        data += n;
        length -= (size_t) n;
    }
    return 0;
}

/* Reads one answer: until close (uwsgi, close), or the end of a Content-Length body (keepalive). 0 when it is a 200
 * with the expected body. */
static int read_answer(int fd, char *buffer, size_t size)
{
    size_t have = 0;
    for (;;)
    {
        ssize_t n = read(fd, buffer + have, size - 1 - have);
        if (n < 0) return -1;
        if (n == 0) break;
        have += (size_t) n;
        buffer[have] = 0;
        if (mode == KEEPALIVE)
        {
            char *end = strstr(buffer, "\r\n\r\n");
            char *length = strcasestr(buffer, "\r\nContent-Length:");
            if (end && length && have >= (size_t) (end + 4 - buffer) + (size_t) atol(length + 17)) break;
        }
        if (have >= size - 1) return -1;
    }
    buffer[have] = 0;
    if (strncmp(buffer, "HTTP/1.1 200", 12) != 0 && strncmp(buffer, "HTTP/1.0 200", 12) != 0 && strncmp(buffer, "Status: 200", 11) != 0)
        return -1;
    char *end = strstr(buffer, "\r\n\r\n");
    /* an empty expected body (the echo WAR's JSON varies) accepts any 200 */
    return end && (!*expected_body || strcmp(end + 4, expected_body) == 0) ? 0 : -1;
}

static void *worker(void *unused)
{
    (void) unused;
    char buffer[65536];
    int fd = -1;
    for (;;)
    {
        if (count_limit > 0 ? atomic_fetch_add(&issued, 1) >= count_limit : now() >= deadline) break;
        double start = now();
        if (fd < 0) fd = open_connection();
        int failed = fd < 0 || write_all(fd, request, request_length) != 0 || read_answer(fd, buffer, sizeof(buffer)) != 0;
        if (mode != KEEPALIVE || failed)
        {
            if (fd >= 0) close(fd);
            fd = -1;
        }
        if (failed) { atomic_fetch_add(&errors, 1); continue; }
        long slot = atomic_fetch_add(&sample_count, 1);
        if (slot < MAX_SAMPLES) samples[slot] = now() - start;
    }
    if (fd >= 0) close(fd);
    return NULL;
}

static int compare(const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc != 7)
    {
        fprintf(stderr, "usage: %s uwsgi|close|keepalive SOCKET_PATH|HOST:PORT PACKET_FILE|PATH THREADS SECONDS|-nCOUNT EXPECTED_BODY\n", argv[0]);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    mode = strcmp(argv[1], "uwsgi") == 0 ? UWSGI : strcmp(argv[1], "close") == 0 ? CLOSE : KEEPALIVE;
    if (mode == UWSGI)
    {
        unix_address.sun_family = AF_UNIX;
        strncpy(unix_address.sun_path, argv[2], sizeof(unix_address.sun_path) - 1);
        FILE *packet = fopen(argv[3], "rb");
        if (!packet) { perror(argv[3]); return 1; }
        request_length = fread(request, 1, sizeof(request), packet);
        fclose(packet);
    }
    else
    {
        char host[256];
        int port;
        if (sscanf(argv[2], "%255[^:]:%d", host, &port) != 2) { fprintf(stderr, "target: %s (expected: HOST:PORT)\n", argv[2]); return 2; }
        tcp_address.sin_family = AF_INET;
        tcp_address.sin_port = htons((unsigned short) port);
        inet_pton(AF_INET, host, &tcp_address.sin_addr);
        request_length = (size_t) snprintf(request, sizeof(request), "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: load-client\r\nAccept: */*\r\n%s\r\n",
            argv[3], argv[2], mode == CLOSE ? "Connection: close\r\n" : "");
    }
    int threads = atoi(argv[4]);
    if (argv[5][0] == '-' && argv[5][1] == 'n') count_limit = atol(argv[5] + 2);
    expected_body = argv[6];
    samples = malloc(sizeof(double) * MAX_SAMPLES);
    double start = now();
    deadline = start + atof(argv[5]);
    pthread_t ids[256];
    for (int i = 0; i < threads && i < 256; i++) pthread_create(&ids[i], NULL, worker, NULL);
    for (int i = 0; i < threads && i < 256; i++) pthread_join(ids[i], NULL);
    double seconds = now() - start;
    long n = atomic_load(&sample_count);
    long kept = n < MAX_SAMPLES ? n : MAX_SAMPLES;
    qsort(samples, (size_t) kept, sizeof(double), compare);
    printf("requests=%ld seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f errors=%ld\n", n, seconds, n / seconds,
        kept ? samples[kept / 2] * 1000 : 0, kept ? samples[kept * 99 / 100] * 1000 : 0, atomic_load(&errors));
    return 0;
}
