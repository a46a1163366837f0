/* songcli.c - a song file read and arranged for the commands (songcli.h). */
#include "app/songcli.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/fileio.h"

int gv_song_cli_is_song(const char *path) { return !strcasecmp(gv_path_ext(path), "json"); }

void gv_song_cli_free(gv_song_cli *sc)
{
    gv_song_free(&sc->song);
    free(sc->parts);
    free(sc->starts);
    sc->parts = NULL;
    sc->starts = NULL;
    sc->nparts = 0;
}

/* The sections and their fills: pats and fills [n] (caller frees). */
static int sections(const char *path, const gv_gencli *g, const gv_song *s, gv_pattern *pats, gv_pattern *fills,
                    gv_lib_meta *metas)
{
    char lib[4096];
    gv_err e = {0};
    if (gv_library_dir(lib, sizeof lib, &e) || gv_song_resolve(s, lib, path, pats, metas, &e)) {
        gv_cli_error(path, "%s", e.msg);
        return 1;
    }
    gv_model m;
    int need = gv_song_needs_model(s);
    if (need && gv_gencli_model(g, &m, GV_MODE_DRUMIFY, 0) != 0)
        return 1;
    int rc = gv_song_fills(s, pats, metas, lib, need ? &m : NULL, fills, &e);
    if (need)
        gv_model_free(&m);
    if (rc)
        gv_cli_error(path, "%s", e.msg);
    return rc ? 1 : 0;
}

int gv_song_cli_load(const char *path, const gv_gencli *g, gv_song_cli *sc)
{
    memset(sc, 0, sizeof *sc);
    gv_err e = {0};
    if (gv_song_load(path, &sc->song, &e)) {
        gv_cli_error(path, "%s", e.msg);
        return 1;
    }
    int n = sc->song.n;
    if (n == 0) {
        gv_cli_error(path, "the song has no sections");
        return 1;
    }
    gv_pattern *pats = malloc((size_t)n * sizeof *pats), *fills = malloc((size_t)n * sizeof *fills);
    gv_lib_meta *metas = malloc((size_t)n * sizeof *metas);
    sc->starts = malloc((size_t)n * sizeof *sc->starts);
    int rc = 1;
    if (!pats || !fills || !metas || !sc->starts)
        gv_cli_error(path, "out of memory");
    else if (sections(path, g, &sc->song, pats, fills, metas) == 0) {
        if (gv_song_arrange(&sc->song, pats, fills, &sc->parts, &sc->nparts, sc->starts, &e))
            gv_cli_error(path, "%s", e.msg);
        else
            rc = 0;
    }
    free(pats), free(fills), free(metas);
    return rc;
}
