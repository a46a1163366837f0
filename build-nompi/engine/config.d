build-nompi/engine/config.o: engine/config.c engine/config.h base/error.h \
 engine/arch.h patterns/pattern.h engine/cond.h engine/layout.h \
 engine/tensor.h base/json.h
engine/config.h:
base/error.h:
engine/arch.h:
patterns/pattern.h:
engine/cond.h:
engine/layout.h:
engine/tensor.h:
base/json.h:
