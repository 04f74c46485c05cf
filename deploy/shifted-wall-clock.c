/*
 * A preload library that moves the wall clock of a process (and of every process
 * it starts) by LOA_CLOCK_SHIFT seconds, and nothing else: deploy/test-any-hour.sh
 * runs Loa's tests with it to show they pass at any hour of any day.
 *
 * Only CLOCK_REALTIME moves (clock_gettime, gettimeofday, time, timespec_get);
 * the monotonic and boot clocks, and every timer and timed wait armed on them,
 * stay true. Debian's libfaketime also shifts the deadlines of timerfd timers on
 * CLOCK_MONOTONIC and CLOCK_BOOTTIME, which is how libdispatch runs Swift's
 * Task.sleep: under it a sleeping task wakes only when something else happens in
 * the process, and an idle one never does (measured with libfaketime 0.9.10).
 *
 * Sleeps, timers and timed waits given as a wall-clock deadline (clock_nanosleep
 * with TIMER_ABSTIME, as a receiver sleeps until an airing's instant; timerfd
 * timers on CLOCK_REALTIME, as libdispatch's wall-time timers; sem_timedwait,
 * pthread_mutex_timedlock, and pthread_cond_timedwait on a condition left on its
 * default clock) get the deadline moved back, so they end when the program meant.
 *
 * Build: cc -shared -fPIC -O2 -o shifted-wall-clock.so shifted-wall-clock.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <time.h>

static long long shift_seconds(void) {
    static long long shift = 0;
    static int read = 0;
    if (!read) {
        const char *text = getenv("LOA_CLOCK_SHIFT");
        shift = text ? atoll(text) : 0;
        read = 1;
    }
    return shift;
}

static int is_wall_clock(clockid_t clock) {
    return clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE;
}

int clock_gettime(clockid_t clock, struct timespec *now) {
    static int (*real)(clockid_t, struct timespec *);
    if (!real) real = dlsym(RTLD_NEXT, "clock_gettime");
    int result = real(clock, now);
    if (result == 0 && is_wall_clock(clock)) now->tv_sec += shift_seconds();
    return result;
}

int gettimeofday(struct timeval *restrict now, void *restrict zone) {
    static int (*real)(struct timeval *restrict, void *restrict);
    if (!real) real = dlsym(RTLD_NEXT, "gettimeofday");
    int result = real(now, zone);
    if (result == 0) now->tv_sec += shift_seconds();
    return result;
}

time_t time(time_t *out) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    if (out) *out = now.tv_sec;
    return now.tv_sec;
}

int timespec_get(struct timespec *now, int base) {
    if (base != TIME_UTC) return 0;
    return clock_gettime(CLOCK_REALTIME, now) == 0 ? base : 0;
}

/* The real deadline of a wait the program computed on the shifted wall clock. */
static struct timespec unshifted(const struct timespec *deadline) {
    struct timespec real = *deadline;
    real.tv_sec -= shift_seconds();
    return real;
}

int clock_nanosleep(clockid_t clock, int flags, const struct timespec *request, struct timespec *remaining) {
    static int (*real)(clockid_t, int, const struct timespec *, struct timespec *);
    if (!real) real = dlsym(RTLD_NEXT, "clock_nanosleep");
    if (!(flags & TIMER_ABSTIME) || !is_wall_clock(clock)) return real(clock, flags, request, remaining);
    struct timespec moved = unshifted(request);
    return real(clock, flags, &moved, remaining);
}

/* Timer file descriptors on the wall clock (libdispatch's wall-time timers), by fd. */
static unsigned char wall_clock_timer[65536];

int timerfd_create(int clock, int flags) {
    static int (*real)(int, int);
    if (!real) real = dlsym(RTLD_NEXT, "timerfd_create");
    int fd = real(clock, flags);
    if (fd >= 0 && fd < (int)sizeof wall_clock_timer) wall_clock_timer[fd] = is_wall_clock(clock) || clock == CLOCK_REALTIME_ALARM;
    return fd;
}

int timerfd_settime(int fd, int flags, const struct itimerspec *value, struct itimerspec *old) {
    static int (*real)(int, int, const struct itimerspec *, struct itimerspec *);
    if (!real) real = dlsym(RTLD_NEXT, "timerfd_settime");
    if (!(flags & TFD_TIMER_ABSTIME) || fd < 0 || fd >= (int)sizeof wall_clock_timer || !wall_clock_timer[fd]
        || (value->it_value.tv_sec == 0 && value->it_value.tv_nsec == 0))
        return real(fd, flags, value, old);
    struct itimerspec moved = *value;
    moved.it_value = unshifted(&value->it_value);
    return real(fd, flags, &moved, old);
}

int pthread_mutex_timedlock(pthread_mutex_t *restrict mutex, const struct timespec *restrict deadline) {
    static int (*real)(pthread_mutex_t *restrict, const struct timespec *restrict);
    if (!real) real = dlsym(RTLD_NEXT, "pthread_mutex_timedlock");
    struct timespec moved = unshifted(deadline);
    return real(mutex, &moved);
}

int sem_timedwait(sem_t *restrict semaphore, const struct timespec *restrict deadline) {
    static int (*real)(sem_t *restrict, const struct timespec *restrict);
    if (!real) real = dlsym(RTLD_NEXT, "sem_timedwait");
    struct timespec moved = unshifted(deadline);
    return real(semaphore, &moved);
}

int pthread_cond_timedwait(
    pthread_cond_t *restrict condition, pthread_mutex_t *restrict mutex, const struct timespec *restrict deadline) {
    static int (*real)(pthread_cond_t *restrict, pthread_mutex_t *restrict, const struct timespec *restrict);
    if (!real) real = dlvsym(RTLD_NEXT, "pthread_cond_timedwait", "GLIBC_2.3.2");
    if (!real) real = dlsym(RTLD_NEXT, "pthread_cond_timedwait");
    /* A condition set to CLOCK_MONOTONIC (pthread_condattr_setclock) keeps its
       deadline; glibc keeps a condition's clock in bit 1 of __wrefs. */
    if ((condition->__data.__wrefs >> 1) & 1) return real(condition, mutex, deadline);
    struct timespec moved = unshifted(deadline);
    return real(condition, mutex, &moved);
}
