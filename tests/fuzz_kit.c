/* fuzz_kit.c - libFuzzer target for Hydrogen drumkit.xml (make fuzz),
 * through gv_kit_load as --kit uses it: the input is the drumkit.xml of a
 * scratch kit folder that also holds a few real samples (mono and stereo,
 * WAV and FLAC, one in a subfolder, one whose name needs XML entities), so
 * the inputs that name them load sounds.  Any file must give a kit or be
 * refused with a message and an empty kit; a kit has a sound in every slot.
 * Only the public loader is called, so the target does not depend on how the
 * XML is parsed. */
#include <math.h>
#include <sndfile.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "synth/kit.h"
#include "tests/fuzz_util.h"

#define RATE 8000.0 /* the lowest stream rate: the built-in kit is quick to make */

static char kitdir[512], xml[600];

static void write_sample(const char *file, int rate, int channels, int format, int frames, double hz)
{
    char p[1024];
    snprintf(p, sizeof p, "%s/%s", kitdir, file);
    SF_INFO info = {.samplerate = rate, .channels = channels, .format = format};
    SNDFILE *sf = sf_open(p, SFM_WRITE, &info);
    if (!sf)
        fz_die(sf_strerror(NULL), p);
    float *x = malloc(sizeof *x * (size_t)frames * (size_t)channels);
    for (int i = 0; i < frames; i++)
        for (int c = 0; c < channels; c++)
            x[i * channels + c] = (float)(sin(2 * M_PI * hz * i / rate) * exp(-8.0 * i / frames) * 0.8);
    if (sf_writef_float(sf, x, frames) != frames)
        fz_die("cannot write the sample", p);
    sf_close(sf);
    free(x);
}

/* Hydrogen kits as Hydrogen writes them (0.9.7 with velocity layers, 1.x
 * with instrument components, the old one-file-per-instrument layout), all
 * naming the samples of the scratch kit. */
static const char *seeds[][2] = {
    {"h2-097-layers.xml",
     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
     "<drumkit_info xmlns=\"http://www.hydrogen-music.org/drumkit\" "
     "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n"
     " <name>Fuzz Rock Kit</name>\n <author>groove tests</author>\n"
     " <info>&lt;p&gt;A small kit &amp; its layers&lt;/p&gt;</info>\n <license>GPL</license>\n"
     " <instrumentList>\n"
     "  <instrument>\n   <id>0</id>\n   <name>Kick</name>\n   <volume>1</volume>\n   <isMuted>false</isMuted>\n"
     "   <pan_L>1</pan_L>\n   <pan_R>1</pan_R>\n   <midiOutChannel>-1</midiOutChannel>\n"
     "   <midiOutNote>36</midiOutNote>\n"
     "   <layer>\n    <filename>kick.wav</filename>\n    <min>0</min>\n    <max>1</max>\n"
     "    <gain>1</gain>\n    <pitch>0</pitch>\n   </layer>\n  </instrument>\n"
     "  <instrument>\n   <id>1</id>\n   <name>Snare Jazz</name>\n   <volume>0.8</volume>\n"
     "   <midiOutNote>38</midiOutNote>\n"
     "   <layer>\n    <filename>snare-soft.flac</filename>\n    <min>0</min>\n    <max>0.5</max>\n"
     "    <gain>0.7</gain>\n   </layer>\n"
     "   <layer>\n    <filename>snare.wav</filename>\n    <min>0.5</min>\n    <max>1</max>\n"
     "    <gain>1.2</gain>\n   </layer>\n  </instrument>\n"
     "  <instrument>\n   <id>2</id>\n   <name>Hat Closed</name>\n   <volume>0.6</volume>\n"
     "   <midiOutNote>42</midiOutNote>\n"
     "   <layer>\n    <filename>cymbals/hat.wav</filename>\n    <min>0</min>\n    <max>1</max>\n"
     "    <gain>1</gain>\n   </layer>\n  </instrument>\n"
     "  <instrument>\n   <id>3</id>\n   <name>Hat Pedal</name>\n   <volume>0.6</volume>\n"
     "   <midiOutNote>44</midiOutNote>\n"
     "   <layer>\n    <filename>cymbals/hat.wav</filename>\n   </layer>\n  </instrument>\n"
     "  <instrument>\n   <id>4</id>\n   <name>Cymbal 1</name>\n   <volume>0.9</volume>\n"
     "   <midiOutNote>49</midiOutNote>\n"
     "   <layer>\n    <filename>tom &amp; crash.wav</filename>\n    <min>0</min>\n    <max>1</max>\n"
     "   </layer>\n  </instrument>\n"
     " </instrumentList>\n</drumkit_info>\n"},
    {"h2-1x-components.xml",
     "<?xml version='1.0' encoding='UTF-8'?>\n"
     "<drumkit_info xmlns=\"http://www.hydrogen-music.org/drumkit\">\n"
     " <formatVersion>2</formatVersion>\n <name>Fuzz Kit 1.x</name>\n <userVersion>3</userVersion>\n"
     " <componentList>\n  <drumkitComponent>\n   <id>0</id>\n   <name>Main</name>\n"
     "   <volume>1</volume>\n  </drumkitComponent>\n </componentList>\n"
     " <instrumentList>\n"
     "  <instrument>\n   <id>0</id>\n   <name>Bass Drum</name>\n   <volume>1</volume>\n"
     "   <midiOutNote>36</midiOutNote>\n   <instrumentComponent>\n    <component_id>0</component_id>\n"
     "    <gain>1</gain>\n    <layer>\n     <filename>kick.wav</filename>\n     <min>0</min>\n"
     "     <max>1</max>\n     <gain>1</gain>\n     <pitch>0</pitch>\n    </layer>\n"
     "   </instrumentComponent>\n  </instrument>\n"
     "  <instrument>\n   <id>1</id>\n   <name>Ride</name>\n   <volume>0.7</volume>\n"
     "   <midiOutNote>51</midiOutNote>\n   <instrumentComponent>\n    <component_id>0</component_id>\n"
     "    <layer>\n     <filename>cymbals/ride.wav</filename>\n     <min>0</min>\n     <max>1</max>\n"
     "    </layer>\n   </instrumentComponent>\n  </instrument>\n"
     " </instrumentList>\n</drumkit_info>\n"},
    {"h2-old-filename.xml",
     "<drumkit_info>\n<name>Old Kit</name>\n<instrumentList>\n"
     "<instrument><id>0</id><filename>kick.wav</filename><name>BD 1</name><volume>1.0</volume></instrument>\n"
     "<instrument><id>1</id><filename>snare.wav</filename><name>SD</name><volume>0.5</volume></instrument>\n"
     "<instrument><id>2</id><filename>cymbals/hat.wav</filename><name>Open HH</name></instrument>\n"
     "</instrumentList>\n</drumkit_info>\n"},
    {"edge-gm-notes-only.xml",
     "<drumkit_info><name>Numbered</name><instrumentList>\n"
     "<instrument><name>one</name><midiOutNote>35</midiOutNote><layer><filename>kick.wav</filename>"
     "</layer></instrument>\n"
     "<instrument><name>two</name><midiOutNote>40</midiOutNote><layer><filename>snare.wav</filename>"
     "</layer></instrument>\n"
     "<instrument><name>three</name><midiOutNote>45</midiOutNote><layer><filename>tom &amp; crash.wav"
     "</filename></layer></instrument>\n"
     "</instrumentList></drumkit_info>\n"},
    {"edge-comments-cdata-attributes.xml",
     "<?xml version=\"1.0\"?>\n<!-- a comment with <instrument> in it -->\n"
     "<drumkit_info version=\"0.9\">\n<name><![CDATA[Kit <&> CDATA]]></name>\n<instrumentList>\n"
     "<instrument id=\"0\"><name>Kick</name><!-- <filename>nope.wav</filename> -->\n"
     "<layer min=\"0\"><filename>kick.wav</filename><gain>&#49;</gain></layer></instrument>\n"
     "<instrument><name>Snare</name><layer><filename>  snare.wav  </filename></layer></instrument>\n"
     "</instrumentList>\n</drumkit_info>\n"},
    {"bad-escapes-kit.xml",
     "<drumkit_info><name>Escapes</name><instrumentList>\n"
     "<instrument><name>Kick</name><layer><filename>../../../../etc/passwd</filename></layer></instrument>\n"
     "<instrument><name>Snare</name><layer><filename>/etc/hostname</filename></layer></instrument>\n"
     "</instrumentList></drumkit_info>\n"},
    {"bad-unterminated.xml", "<drumkit_info><instrumentList><instrument><name>Kick</name>"
                             "<layer><filename>kick.wav</filename></layer>\n"},
    {"bad-missing-sample.xml", "<drumkit_info><instrumentList><instrument><name>Kick</name>"
                               "<layer><filename>missing.wav</filename></layer></instrument>"
                               "</instrumentList></drumkit_info>\n"},
    {"bad-no-voice.xml", "<drumkit_info><instrumentList><instrument><name>Cowbell</name>"
                         "<midiOutNote>56</midiOutNote><layer><filename>kick.wav</filename></layer>"
                         "</instrument></instrumentList></drumkit_info>\n"},
    {"bad-not-xml.xml", "kick.wav snare.wav\n"},
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    if (fz_seeding()) {
        for (size_t i = 0; i < sizeof seeds / sizeof *seeds; i++)
            fz_seed(seeds[i][0], seeds[i][1], strlen(seeds[i][1]));
        exit(0);
    }
    fz_init("fuzz_kit");
    fz_path(kitdir, sizeof kitdir, "kit");
    snprintf(xml, sizeof xml, "%s/drumkit.xml", kitdir);
    char sub[600];
    snprintf(sub, sizeof sub, "%s/cymbals", kitdir);
    if (mkdir(kitdir, 0755) != 0 || mkdir(sub, 0755) != 0)
        fz_die("cannot make the kit folder", kitdir);
    write_sample("kick.wav", 8000, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 400, 60);
    write_sample("snare.wav", 22050, 2, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 600, 200);
    write_sample("snare-soft.flac", 16000, 1, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 300, 180);
    write_sample("cymbals/hat.wav", 8000, 2, SF_FORMAT_WAV | SF_FORMAT_PCM_24, 200, 3000);
    write_sample("cymbals/ride.wav", 11025, 1, SF_FORMAT_AIFF | SF_FORMAT_PCM_16, 500, 2500);
    write_sample("tom & crash.wav", 8000, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_U8, 300, 120);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gv_kit k;
    gv_err e;
    e.msg[0] = 0;
    fz_put(xml, data, size);
    if (gv_kit_load(&k, kitdir, RATE, &e) != 0) {
        if (!e.msg[0])
            abort();
        for (int s = 0; s < GV_KIT_SLOTS; s++)
            if (k.smp[s] || k.dark[s])
                abort(); /* a refused kit is left empty */
        return 0;
    }
    if (k.loaded < 1 || k.loaded > GV_VOICES || k.rate != RATE || !k.name[0] || !memchr(k.name, 0, sizeof k.name))
        abort();
    for (int s = 0; s < GV_KIT_SLOTS; s++)
        if (!k.smp[s] || !k.dark[s] || k.len[s] < 1 || !isfinite(k.level[s]))
            abort();
    gv_kit_free(&k);
    return 0;
}
