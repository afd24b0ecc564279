// The pocketsphinx C API (Debian: libpocketsphinx-dev), exposed to Swift as CPocketSphinx,
// plus sphinxbase's logging controls.
#include <pocketsphinx.h>
#include <sphinxbase/err.h>
