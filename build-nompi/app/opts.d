build-nompi/app/opts.o: app/opts.c app/opts.h app/cli.h patterns/load.h \
 base/error.h patterns/pattern.h patterns/pattern.h base/pool.h \
 app/datacli.h trainer/data.h engine/cond.h app/gencli.h base/json.h \
 engine/generate.h engine/feel.h engine/model.h engine/arch.h \
 engine/config.h engine/tensor.h kernels/backend.h kernels/rng.h \
 kernels/gemm.h engine/ops.h engine/provenance.h app/midicli.h \
 midi/midi_thread.h midi/midi_in.h midi/midi_map.h midi/midi_port.h \
 midi/midi_out.h patterns/sequencer.h app/synthcli.h synth/kit.h \
 synth/dsp_resample.h synth/voices.h patterns/lanes.h
app/opts.h:
app/cli.h:
patterns/load.h:
base/error.h:
patterns/pattern.h:
patterns/pattern.h:
base/pool.h:
app/datacli.h:
trainer/data.h:
engine/cond.h:
app/gencli.h:
base/json.h:
engine/generate.h:
engine/feel.h:
engine/model.h:
engine/arch.h:
engine/config.h:
engine/tensor.h:
kernels/backend.h:
kernels/rng.h:
kernels/gemm.h:
engine/ops.h:
engine/provenance.h:
app/midicli.h:
midi/midi_thread.h:
midi/midi_in.h:
midi/midi_map.h:
midi/midi_port.h:
midi/midi_out.h:
patterns/sequencer.h:
app/synthcli.h:
synth/kit.h:
synth/dsp_resample.h:
synth/voices.h:
patterns/lanes.h:
