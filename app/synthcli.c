/* synthcli.c - the options and set-up `groove play` and `groove render` share. */
#include "app/synthcli.h"

#include <stdio.h>
#include <stdlib.h>

void gv_synth_cli_default(gv_synth_cli *c)
{
    gv_load_opts_default(&c->window);
    c->loops = 1;
    c->tempo = 0;
    c->swing = 0;
    c->metronome = 0;
    c->kit = NULL;
}

int gv_synth_cli_load(const gv_synth_cli *c, const char *arg, gv_pattern **p)
{
    *p = malloc(sizeof **p);
    if (!*p) {
        gv_cli_error(NULL, "out of memory");
        return 1;
    }
    int rc = gv_cli_load(arg, &c->window, *p);
    if (rc) {
        free(*p);
        *p = NULL;
    }
    return rc;
}

int gv_synth_cli_kit(const gv_synth_cli *c, double rate, gv_kit *kit)
{
    gv_err warn = {0}, e = {0};
    int k = gv_kit_open(kit, c->kit, rate, &warn, &e);
    if (k < 0) {
        gv_cli_error(NULL, "%s", e.msg);
        return 1;
    }
    if (k == 1)
        gv_cli_error(c->kit, "%s; using the built-in kit", warn.msg);
    return 0;
}

double gv_synth_cli_bpm(const gv_synth_cli *c, const gv_pattern *p)
{
    return c->tempo > 0 ? c->tempo : p->bpm > 0 ? p->bpm : 120;
}
