/* cmd_song.c - `groove song FILE.json -o OUT.mid`: a song (session/song.h)
 * exported as one Standard MIDI File with a marker at each section. */
#include <stdio.h>
#include <stdlib.h>

#include "app/cli.h"
#include "app/commands.h"
#include "app/gencli.h"
#include "app/opts.h"
#include "app/songcli.h"
#include "base/fileio.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: groove song FILE.json -o OUT.mid [--model M] [--threads K]\n"
            "Exports a song as one Standard MIDI File (format 1, drums on channel 10):\n"
            "its sections one after another, each repeated, fills on the last bar of a\n"
            "section's last repeat, a marker named after each section where it starts.\n"
            "Sections are library patterns by id ($XDG_DATA_HOME/groove/library) or\n"
            "pattern files (relative to the song file); see README.md, \"Songs\".\n"
            "  -o OUT.mid     the song (written atomically; required)\n"
            "  --model M      weights for generated fills (default: $GROOVE_MODEL, then\n"
            "                 the shipped model; loaded only when a fill is generated)\n"
            "  --threads K    BLAS threads (default 1)\n");
}

int cmd_song(int argc, char **argv)
{
    gv_gencli g;
    gv_gencli_default(&g);
    g.outdir = NULL;
    const gv_opt_use use[] = {{&gv_opts_model, &g}, {&gv_opts_outdir, &g}};
    int rc = gv_opts_parse("song", usage, use, 2, argc, argv);
    if (rc >= 0)
        return rc;
    if (argc - optind != 1)
        return gv_cli_usage_error("song", argc - optind < 1 ? "FILE.json needed" : "one song at a time");
    if (!g.outdir)
        return gv_cli_usage_error("song", "-o OUT.mid is required");
    const char *in = argv[optind], *out = g.outdir;
    if (gv_pattern_format(out) != GV_FMT_MID)
        return gv_cli_usage_error("song", "%s: the output must be a .mid file", out);
    gv_song_cli sc;
    rc = gv_song_cli_load(in, &g, &sc);
    unsigned char *data = NULL;
    size_t len = 0;
    gv_err e = {0};
    if (rc == 0 && (gv_song_export(&sc.song, sc.parts, sc.nparts, sc.starts, &data, &len, &e) ||
                    gv_write_atomic(out, data, len, &e))) {
        gv_cli_error(out, "%s", e.msg);
        rc = 1;
    }
    if (rc == 0) {
        long steps = 0;
        for (int i = 0; i < sc.nparts; i++)
            steps += sc.parts[i].steps;
        printf("%s: %d section%s, %ld bars at %g BPM\n", out, sc.song.n, sc.song.n == 1 ? "" : "s",
               steps / GV_STEPS_PER_BAR, (double)sc.parts[0].bpm);
    }
    free(data);
    gv_song_cli_free(&sc);
    return rc;
}
