build-nompi/session/core_midi.o: session/core_midi.c session/core_midi.h \
 session/state.h session/keymap.h base/error.h session/action.h \
 session/keys.h session/library.h engine/provenance.h engine/generate.h \
 engine/cond.h patterns/pattern.h engine/feel.h engine/model.h \
 engine/arch.h engine/config.h engine/tensor.h kernels/backend.h \
 kernels/rng.h kernels/gemm.h session/tap.h patterns/load.h \
 patterns/pattern.h midi/midi_thread.h midi/midi_in.h midi/midi_map.h \
 midi/midi_port.h midi/midi_out.h patterns/sequencer.h
session/core_midi.h:
session/state.h:
session/keymap.h:
base/error.h:
session/action.h:
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
midi/midi_thread.h:
midi/midi_in.h:
midi/midi_map.h:
midi/midi_port.h:
midi/midi_out.h:
patterns/sequencer.h:
