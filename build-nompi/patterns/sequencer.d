build-nompi/patterns/sequencer.o: patterns/sequencer.c \
 patterns/sequencer.h patterns/pattern.h
patterns/sequencer.h:
patterns/pattern.h:
