/* datadir.h - where groove's data lives, installed or in the source tree.
 *
 * Data is named in the installed layout, relative to share/groove/:
 *   models/...   presets/...   gmd/...
 * The source tree keeps them at engine/models, patterns/presets and
 * patterns/gmd; the lookup maps between the two.  Candidates, first hit wins:
 *   1. $GROOVE_DATA/REL                       (installed layout)
 *   2. EXEDIR/../share/groove/REL             (the program's own install, also
 *                                              when relocated or staged in DESTDIR)
 *   3. GV_DATADIR/REL                         (PREFIX/share/groove, from the Makefile)
 *   4. EXEDIR/SRC, EXEDIR/../SRC              (./groove or build/groove in a checkout)
 *   5. $GROOVE_ROOT/SRC, then ./SRC           (tests, running from the tree)
 * where EXEDIR is the directory of /proc/self/exe and SRC the source-layout
 * name of REL. */
#ifndef GV_DATADIR_H
#define GV_DATADIR_H

#include <stddef.h>

/* Finds REL (a file or a directory); on success writes its path into out (n
 * bytes) and returns 0, else returns -1 with out empty. */
int gv_data_path(const char *rel, char *out, size_t n);

#endif
