#ifndef CJEMALLOCSHIM_H
#define CJEMALLOCSHIM_H
#if __has_include(<jemalloc/jemalloc.h>)
#include <jemalloc/jemalloc.h>
#endif
#endif
