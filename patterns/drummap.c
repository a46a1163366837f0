/* drummap.c - the note <-> voice table (data, not code).
 *
 * Every GM percussion note a file may hold is placed in one of the 9 voices.
 * The notes of Magenta's ROLAND_DRUM_PITCH_CLASSES (the Groove MIDI Dataset's
 * kit) come first and win; every other note follows Magenta's
 * REDUCED_DRUM_PITCH_CLASSES (note_seq DEFAULT_DRUM_TYPE_PITCHES). */
#include <string.h>
#include <strings.h>

#include "pattern.h"

static const struct {
    const char *label, *name;
    int note;
} voices[GV_VOICES] = {
    {"KD", "kick", 36},      {"SD", "snare", 38},   {"HH", "closed-hat", 42},
    {"OH", "open-hat", 46},  {"LT", "low-tom", 43}, {"MT", "mid-tom", 47},
    {"HT", "high-tom", 50},  {"CR", "crash", 49},   {"RD", "ride", 51},
};

/* One row per voice, zero-terminated.  Roland's GMD notes lead each row. */
static const int roland[GV_VOICES][6] = {
    {36}, {38, 37, 40}, {42, 22, 44}, {46, 26}, {43, 58},
    {47, 45}, {50, 48}, {49, 52, 55, 57}, {51, 53, 59},
};
static const int reduced[GV_VOICES][16] = {
    {36, 35},
    {38, 27, 28, 31, 32, 33, 34, 37, 39, 40, 56, 65, 66, 75, 85},
    {42, 44, 54, 68, 69, 70, 71, 73, 78, 80, 22},
    {46, 67, 72, 74, 79, 81, 26},
    {45, 29, 41, 43, 61, 64, 84},
    {48, 47, 60, 63, 77, 86, 87},
    {50, 30, 62, 76, 83},
    {49, 52, 55, 57, 58},
    {51, 53, 59, 82},
};

int gv_note_voice(int note)
{
    for (int v = 0; v < GV_VOICES; v++)
        for (int i = 0; i < 6 && roland[v][i]; i++)
            if (roland[v][i] == note)
                return v;
    for (int v = 0; v < GV_VOICES; v++)
        for (int i = 0; i < 16 && reduced[v][i]; i++)
            if (reduced[v][i] == note)
                return v;
    return -1;
}

const char *gv_voice_label(int v) { return v >= 0 && v < GV_VOICES ? voices[v].label : "??"; }
const char *gv_voice_name(int v) { return v >= 0 && v < GV_VOICES ? voices[v].name : "?"; }
int gv_voice_note(int v) { return v >= 0 && v < GV_VOICES ? voices[v].note : -1; }

int gv_voice_parse(const char *s)
{
    static const char *aliases[][2] = {
        {"bd", "kick"}, {"sn", "snare"}, {"ch", "closed-hat"}, {"hh", "closed-hat"},
        {"hihat", "closed-hat"}, {"oh", "open-hat"}, {"lt", "low-tom"}, {"mt", "mid-tom"},
        {"ht", "high-tom"}, {"cr", "crash"}, {"cy", "crash"}, {"rd", "ride"}, {"rc", "ride"},
    };
    for (int v = 0; v < GV_VOICES; v++)
        if (!strcasecmp(s, voices[v].label) || !strcasecmp(s, voices[v].name))
            return v;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
        if (!strcasecmp(s, aliases[i][0]))
            return gv_voice_parse(aliases[i][1]);
    return -1;
}
