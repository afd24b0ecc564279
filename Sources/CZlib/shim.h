// zlib (Debian: zlib1g-dev), exposed to Swift as CZlib for the gzip layers of OCI images.
#include <zlib.h>
