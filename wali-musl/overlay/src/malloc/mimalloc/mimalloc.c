/* mimalloc, the whole allocator as one translation unit (its own
 * src/static.c). build.sh unpacks Debian's mimalloc source into mimalloc/
 * at the top of the musl tree; config.mak adds its include directories and
 * options for this directory's objects. See glue.c for how musl calls it. */
#include "static.c"
