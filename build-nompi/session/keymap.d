build-nompi/session/keymap.o: session/keymap.c session/keymap.h \
 base/error.h session/action.h session/keys.h base/fileio.h base/error.h
session/keymap.h:
base/error.h:
session/action.h:
session/keys.h:
base/fileio.h:
base/error.h:
