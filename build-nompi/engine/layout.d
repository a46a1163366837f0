build-nompi/engine/layout.o: engine/layout.c engine/layout.h \
 engine/cond.h base/error.h patterns/pattern.h engine/arch.h \
 engine/tensor.h
engine/layout.h:
engine/cond.h:
base/error.h:
patterns/pattern.h:
engine/arch.h:
engine/tensor.h:
