#include "patterns/lanes.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define ALL_VOICES ((1u << GV_VOICES) - 1)
#define BIT(v) (1u << (v))

/* lane_mask[nlanes-1][lane]: the tables of the header. */
static const unsigned lane_mask[GV_MAX_LANES][GV_MAX_LANES] = {
    {ALL_VOICES},
    {BIT(GV_KICK) | BIT(GV_LTOM), ALL_VOICES & ~(BIT(GV_KICK) | BIT(GV_LTOM))},
    {BIT(GV_KICK) | BIT(GV_LTOM), BIT(GV_SNARE) | BIT(GV_MTOM) | BIT(GV_HTOM),
     BIT(GV_CHAT) | BIT(GV_OHAT) | BIT(GV_CRASH) | BIT(GV_RIDE)},
};
static const int lane_main[GV_MAX_LANES][GV_MAX_LANES] = {
    {GV_CHAT},
    {GV_KICK, GV_CHAT},
    {GV_KICK, GV_SNARE, GV_CHAT},
};

int gv_lanes_valid(int nlanes) { return nlanes >= 1 && nlanes <= GV_MAX_LANES; }

unsigned gv_lane_voices(int nlanes, int lane)
{
    return gv_lanes_valid(nlanes) && lane >= 0 && lane < nlanes ? lane_mask[nlanes - 1][lane] : 0;
}

int gv_lane_of_voice(int nlanes, int voice)
{
    if (!gv_lanes_valid(nlanes) || voice < 0 || voice >= GV_VOICES)
        return -1;
    for (int l = 0; l < nlanes; l++)
        if (lane_mask[nlanes - 1][l] & BIT(voice))
            return l;
    return -1;
}

int gv_lane_main_voice(int nlanes, int lane)
{
    return gv_lanes_valid(nlanes) && lane >= 0 && lane < nlanes ? lane_main[nlanes - 1][lane] : -1;
}

void gv_pattern_lanes(const gv_pattern *p, int nlanes, float *hvo)
{
    if (!gv_lanes_valid(nlanes))
        return;
    for (int l = 0; l < nlanes; l++)
        gv_pattern_groove_of(p, lane_mask[nlanes - 1][l], hvo + 3 * l, 3 * nlanes);
}

static int voice_list(char *buf, size_t n)
{
    int len = 0;
    for (int v = 0; v < GV_VOICES; v++)
        len += snprintf(buf + len, n - (size_t)len, "%s%s (%s)", v ? ", " : "", gv_voice_name(v), gv_voice_label(v));
    return len;
}

int gv_voice_set_parse(const char *s, unsigned *mask, gv_err *e)
{
    char names[200];
    voice_list(names, sizeof names);
    unsigned m = 0;
    const char *p = s ? s : "";
    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len && isspace((unsigned char)*p)) {
            p++;
            len--;
        }
        while (len && isspace((unsigned char)p[len - 1]))
            len--;
        if (len == 0)
            return gv_fail(e, "empty voice name in '%s'; voices: %s", s ? s : "", names);
        char word[32];
        int v = -1;
        if (len < sizeof word) {
            memcpy(word, p, len);
            word[len] = 0;
            v = gv_voice_parse(word);
        }
        if (v < 0)
            return gv_fail(e, "unknown voice '%.*s'; voices: %s", (int)(len < 32 ? len : 32), p, names);
        m |= BIT(v);
        if (!end)
            break;
        p = end + 1;
    }
    *mask = m;
    return 0;
}

void gv_voice_set_format(unsigned mask, char *buf, int n)
{
    int len = 0;
    if (n > 0)
        buf[0] = 0;
    for (int v = 0; v < GV_VOICES && len < n; v++)
        if (mask & BIT(v))
            len += snprintf(buf + len, (size_t)(n - len), "%s%s", len ? "," : "", gv_voice_name(v));
}

int gv_lanes_tapped(const gv_pattern *p)
{
    unsigned used = 0;
    for (int s = 0; s < p->steps; s++)
        for (int v = 0; v < GV_VOICES; v++)
            if (p->hit[s][v])
                used |= 1u << gv_lane_of_voice(3, v);
    return !used ? 0 : (used & (used - 1)) ? 3 : 1;
}
