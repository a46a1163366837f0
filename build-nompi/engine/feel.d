build-nompi/engine/feel.o: engine/feel.c engine/feel.h base/error.h \
 patterns/pattern.h
engine/feel.h:
base/error.h:
patterns/pattern.h:
