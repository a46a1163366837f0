/* songcli.h - a song file (session/song.h) made ready to export or render
 * from the command line: read, its sections loaded from the library
 * ($XDG_DATA_HOME/groove/library) and beside the song, the model loaded
 * only when a fill is generated, and the arrangement laid out.
 *
 * Prints its error line itself ("groove: FILE.json: section 2 (verse): ...")
 * and returns the exit status (0 ok, 1 runtime error), as cli.h does. */
#ifndef GV_SONGCLI_H
#define GV_SONGCLI_H

#include "app/gencli.h"
#include "session/song.h"

typedef struct gv_song_cli {
    gv_song song;
    gv_pattern *parts; /* the arrangement */
    int nparts;
    long *starts;      /* [song.n]: each section's first step */
} gv_song_cli;

/* Reads path and arranges it; g gives the model for generated fills (its
 * --model and --threads).  Free with gv_song_cli_free, also after failure. */
int gv_song_cli_load(const char *path, const gv_gencli *g, gv_song_cli *sc);
void gv_song_cli_free(gv_song_cli *sc);

/* 1 when path names a song file (.json). */
int gv_song_cli_is_song(const char *path);

#endif
