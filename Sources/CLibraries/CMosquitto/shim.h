#ifndef LOA_CMOSQUITTO_SHIM_H
#define LOA_CMOSQUITTO_SHIM_H
#include <mosquitto.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/epoll.h>
#endif
