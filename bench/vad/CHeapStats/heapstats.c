#include "heapstats.h"
#if defined(__GLIBC__)
#include <malloc.h>
size_t cairn_heap_in_use(void) { return mallinfo2().uordblks; }
#else
size_t cairn_heap_in_use(void) { return 0; }
#endif
