build-nompi/session/library.o: session/library.c session/library.h \
 base/error.h engine/provenance.h engine/generate.h engine/cond.h \
 patterns/pattern.h engine/feel.h engine/model.h engine/arch.h \
 engine/config.h engine/tensor.h kernels/backend.h kernels/rng.h \
 kernels/gemm.h /usr/include/cjson/cJSON.h base/json.h base/xdg.h \
 base/fileio.h base/error.h patterns/smf.h patterns/pattern.h \
 patterns/sequencer.h
session/library.h:
base/error.h:
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
/usr/include/cjson/cJSON.h:
base/json.h:
base/xdg.h:
base/fileio.h:
base/error.h:
patterns/smf.h:
patterns/pattern.h:
patterns/sequencer.h:
