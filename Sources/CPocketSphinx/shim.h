// The pocketsphinx C API (Debian: libpocketsphinx-dev), exposed to Swift as CPocketSphinx.
#include <pocketsphinx.h>
