build-nompi/engine/safetensors.o: engine/safetensors.c \
 engine/safetensors.h engine/tensor.h base/error.h base/fileio.h \
 base/error.h base/json.h
engine/safetensors.h:
engine/tensor.h:
base/error.h:
base/fileio.h:
base/error.h:
base/json.h:
