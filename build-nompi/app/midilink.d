build-nompi/app/midilink.o: app/midilink.c app/midilink.h session/core.h \
 base/error.h session/action.h session/core_io.h session/state.h \
 session/keymap.h session/keys.h session/library.h engine/provenance.h \
 engine/generate.h engine/cond.h patterns/pattern.h engine/feel.h \
 engine/model.h engine/arch.h engine/config.h engine/tensor.h \
 kernels/backend.h kernels/rng.h kernels/gemm.h session/tap.h \
 patterns/load.h patterns/pattern.h session/core_job.h \
 session/core_midi.h app/midicli.h midi/midi_thread.h midi/midi_in.h \
 midi/midi_map.h midi/midi_port.h midi/midi_out.h patterns/sequencer.h \
 synth/player.h synth/kit.h synth/dsp_resample.h synth/voices.h
app/midilink.h:
session/core.h:
base/error.h:
session/action.h:
session/core_io.h:
session/state.h:
session/keymap.h:
session/keys.h:
session/library.h:
engine/provenance.h:
engine/generate.h:
engine/cond.h:
patterns/pattern.h:
engine/feel.h:
engine/model.h:
engine/arch.h:
engine/config.h:
engine/tensor.h:
kernels/backend.h:
kernels/rng.h:
kernels/gemm.h:
session/tap.h:
patterns/load.h:
patterns/pattern.h:
session/core_job.h:
session/core_midi.h:
app/midicli.h:
midi/midi_thread.h:
midi/midi_in.h:
midi/midi_map.h:
midi/midi_port.h:
midi/midi_out.h:
patterns/sequencer.h:
synth/player.h:
synth/kit.h:
synth/dsp_resample.h:
synth/voices.h:
