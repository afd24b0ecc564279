#ifndef CAIRN_HEAPSTATS_H
#define CAIRN_HEAPSTATS_H
#include <stddef.h>

/// Bytes currently allocated on the heap by malloc (glibc mallinfo2().uordblks); 0 elsewhere.
size_t cairn_heap_in_use(void);

#endif
