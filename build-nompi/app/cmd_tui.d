build-nompi/app/cmd_tui.o: app/cmd_tui.c app/cli.h patterns/load.h \
 base/error.h patterns/pattern.h patterns/pattern.h app/commands.h \
 app/opts.h session/session.h session/core.h session/action.h \
 session/core_io.h session/state.h session/keymap.h session/keys.h \
 session/library.h engine/provenance.h engine/generate.h engine/cond.h \
 engine/feel.h engine/model.h engine/arch.h engine/config.h \
 engine/tensor.h kernels/backend.h kernels/rng.h kernels/gemm.h \
 session/tap.h session/core_job.h session/core_midi.h app/tui.h \
 app/midicli.h midi/midi_thread.h midi/midi_in.h midi/midi_map.h \
 midi/midi_port.h midi/midi_out.h patterns/sequencer.h app/midilink.h \
 synth/player.h synth/kit.h synth/dsp_resample.h synth/voices.h \
 synth/audio.h base/xdg.h engine/modelpath.h base/fileio.h base/error.h \
 patterns/presets.h
app/cli.h:
patterns/load.h:
base/error.h:
patterns/pattern.h:
patterns/pattern.h:
app/commands.h:
app/opts.h:
session/session.h:
session/core.h:
session/action.h:
session/core_io.h:
session/state.h:
session/keymap.h:
session/keys.h:
session/library.h:
engine/provenance.h:
engine/generate.h:
engine/cond.h:
engine/feel.h:
engine/model.h:
engine/arch.h:
engine/config.h:
engine/tensor.h:
kernels/backend.h:
kernels/rng.h:
kernels/gemm.h:
session/tap.h:
session/core_job.h:
session/core_midi.h:
app/tui.h:
app/midicli.h:
midi/midi_thread.h:
midi/midi_in.h:
midi/midi_map.h:
midi/midi_port.h:
midi/midi_out.h:
patterns/sequencer.h:
app/midilink.h:
synth/player.h:
synth/kit.h:
synth/dsp_resample.h:
synth/voices.h:
synth/audio.h:
base/xdg.h:
engine/modelpath.h:
base/fileio.h:
base/error.h:
patterns/presets.h:
