// An open-loop HTTP/1.1 load generator: requests are scheduled at a fixed rate whether or not
// earlier answers have come back, and each latency is measured from the moment its request
// was due, not from when it was sent. A closed-loop tool (wrk) waits for each answer before
// sending the next, so a stalled server is sent less and its stall hides from the figures
// ("coordinated omission"); this one does what wrk2 does, with a thread per connection.
//
// Usage: openloop HOST PORT RATE SECONDS CONNECTIONS REQUEST_FILE
//   REQUEST_FILE holds one complete HTTP/1.1 request (keep-alive), sent as is each time.
// Prints: sent, answered, non-2xx, errors, achieved rate, and latency p50/p90/p99/p99.9/max.
// Bounded: it stops after SECONDS, and talks only to the HOST it is given (loopback here).
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char *host;
static int port;
static double rate_per_connection;
static double seconds;
static char *request;
static size_t request_length;
static uint64_t start_ns;

typedef struct {
    uint64_t *latencies;
    size_t count, capacity;
    // How late this thread woke for requests it slept for: the generator's own delay (its
    // threads share the cores with the server), counted in the latencies but not the server's.
    uint64_t *lateness;
    size_t late_count, late_capacity;
    uint64_t sent, non2xx, errors;
} Worker;

static void append(uint64_t **values, size_t *count, size_t *capacity, uint64_t value) {
    if (*count == *capacity) {
        *capacity = *capacity ? *capacity * 2 : 4096;
        *values = realloc(*values, *capacity * sizeof(uint64_t));
    }
    (*values)[(*count)++] = value;
}

static uint64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static void sleep_until(uint64_t when) {
    struct timespec t = {(time_t)(when / 1000000000ull), (long)(when % 1000000000ull)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR) {}
}

static int connect_to_server(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, host, &address.sin_addr);
    if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        close(fd);
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

// Reads one response (headers and a Content-Length body); returns its status, or -1.
static int read_response(int fd, char *buffer, size_t size, size_t *buffered) {
    for (;;) {
        char *end = memmem(buffer, *buffered, "\r\n\r\n", 4);
        if (end) {
            size_t head = (size_t)(end - buffer) + 4;
            int status = atoi(buffer + 9);
            long length = 0;
            char *field = strcasestr(buffer, "\r\ncontent-length:");
            if (field && field < end) length = atol(field + 17);
            size_t total = head + (size_t)length;
            if (total > size) return -1;
            while (*buffered < total) {
                ssize_t got = read(fd, buffer + *buffered, size - *buffered);
                if (got <= 0) return -1;
                *buffered += (size_t)got;
            }
            memmove(buffer, buffer + total, *buffered - total);
            *buffered -= total;
            return status;
        }
        if (*buffered == size) return -1;
        ssize_t got = read(fd, buffer + *buffered, size - *buffered);
        if (got <= 0) return -1;
        *buffered += (size_t)got;
    }
}

static void *run(void *argument) {
    Worker *worker = argument;
    size_t size = 1 << 22;
    char *buffer = malloc(size);
    size_t buffered = 0;
    int fd = connect_to_server();
    uint64_t interval = (uint64_t)(1e9 / rate_per_connection);
    // Connections start spread over one interval, so the load is even from the first moment.
    uint64_t due = start_ns + (uint64_t)((double)interval * ((double)rand() / RAND_MAX));
    uint64_t end = start_ns + (uint64_t)(seconds * 1e9);
    while (due < end) {
        int slept = now_ns() < due;
        sleep_until(due);
        if (slept) append(&worker->lateness, &worker->late_count, &worker->late_capacity, now_ns() - due);
        if (fd < 0) fd = connect_to_server();
        worker->sent++;
        int status = -1;
        if (fd >= 0 && write(fd, request, request_length) == (ssize_t)request_length) {
            status = read_response(fd, buffer, size, &buffered);
        }
        uint64_t answered = now_ns();
        if (status < 0) {
            worker->errors++;
            if (fd >= 0) close(fd);
            fd = -1;
            buffered = 0;
        } else {
            if (status < 200 || status > 299) worker->non2xx++;
            append(&worker->latencies, &worker->count, &worker->capacity, answered - due);
        }
        due += interval;
    }
    if (fd >= 0) close(fd);
    free(buffer);
    return NULL;
}

static int compare(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
    if (argc != 7) {
        fprintf(stderr, "usage: openloop HOST PORT RATE SECONDS CONNECTIONS REQUEST_FILE\n");
        return 2;
    }
    host = argv[1];
    port = atoi(argv[2]);
    double rate = atof(argv[3]);
    seconds = atof(argv[4]);
    int connections = atoi(argv[5]);
    FILE *file = fopen(argv[6], "rb");
    if (!file || connections < 1 || rate <= 0 || seconds <= 0 || seconds > 600) {
        fprintf(stderr, "openloop: bad arguments\n");
        return 2;
    }
    request = malloc(1 << 20);
    request_length = fread(request, 1, 1 << 20, file);
    fclose(file);
    rate_per_connection = rate / connections;
    start_ns = now_ns() + 100000000ull;
    pthread_t *threads = calloc((size_t)connections, sizeof(pthread_t));
    Worker *workers = calloc((size_t)connections, sizeof(Worker));
    for (int i = 0; i < connections; i++) pthread_create(&threads[i], NULL, run, &workers[i]);
    uint64_t sent = 0, non2xx = 0, errors = 0;
    size_t count = 0;
    for (int i = 0; i < connections; i++) {
        pthread_join(threads[i], NULL);
        sent += workers[i].sent;
        non2xx += workers[i].non2xx;
        errors += workers[i].errors;
        count += workers[i].count;
    }
    size_t late_count = 0;
    for (int i = 0; i < connections; i++) late_count += workers[i].late_count;
    uint64_t *all = malloc((count ? count : 1) * sizeof(uint64_t));
    uint64_t *late = malloc((late_count ? late_count : 1) * sizeof(uint64_t));
    size_t at = 0, late_at = 0;
    for (int i = 0; i < connections; i++) {
        memcpy(all + at, workers[i].latencies, workers[i].count * sizeof(uint64_t));
        at += workers[i].count;
        memcpy(late + late_at, workers[i].lateness, workers[i].late_count * sizeof(uint64_t));
        late_at += workers[i].late_count;
    }
    qsort(all, count, sizeof(uint64_t), compare);
    qsort(late, late_count, sizeof(uint64_t), compare);
#define PERCENTILE(p) (count ? all[(size_t)((double)(count - 1) * (p))] / 1e6 : 0.0)
#define LATE(p) (late_count ? late[(size_t)((double)(late_count - 1) * (p))] / 1e6 : 0.0)
    printf("target %.0f req/s, %d connections, %.0f s: sent %llu, answered %zu (%.0f req/s), non-2xx %llu, errors %llu\n", rate,
           connections, seconds, (unsigned long long)sent, count, count / seconds, (unsigned long long)non2xx,
           (unsigned long long)errors);
    printf("latency ms: p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f\n", PERCENTILE(0.5), PERCENTILE(0.9), PERCENTILE(0.99),
           PERCENTILE(0.999), PERCENTILE(1.0));
    printf("generator wake-up lateness ms (%zu requests it slept for): p50 %.3f  p99 %.3f  p99.9 %.3f\n", late_count, LATE(0.5),
           LATE(0.99), LATE(0.999));
    return 0;
}
