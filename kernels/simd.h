/* simd.h - internal to kernels/: runtime-dispatched vector code for the
 * hot loops of training.
 *
 * GV_CLONES compiles a function three times (AVX-512, AVX2, baseline SSE2)
 * and picks the best for the CPU at load time; the build is plain -O2, where
 * every vectorised loop would be 4-lane SSE2.  Put it on static functions
 * that do a whole array's work (each call goes through the dispatch), never
 * on a public function whose address is compared.
 *
 * The gv_v* types are GCC/Clang vector extensions of GV_VL lanes, for loops
 * the -O2 vectoriser will not take (selects, mixed widths); each clone lowers
 * them to its own registers.  Move them with GV_LOAD / GV_STORE (unaligned,
 * one instruction); no function takes or returns one, as the calling
 * convention for wide vectors differs between the clones.  GV_VL is 8 (one
 * AVX2 register): at 16 lanes GCC splits each value over two ymm registers
 * and spills them to the stack, which made layernorm 3x slower on AVX2, the
 * only ISA this project's machines have (the AVX-512 clones run at half
 * width, unmeasured here).  No a * b + c is
 * contracted into an FMA under -std=c11, so every clone gives the same bits
 * wherever the order of operations per element is fixed. */
#ifndef GV_SIMD_H
#define GV_SIMD_H

#include <stdint.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define GV_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define GV_CLONES
#endif

#define GV_VL 8
typedef float gv_vf __attribute__((vector_size(4 * GV_VL)));
typedef int32_t gv_vi __attribute__((vector_size(4 * GV_VL)));
typedef uint32_t gv_vu __attribute__((vector_size(4 * GV_VL)));
typedef int8_t gv_vb __attribute__((vector_size(GV_VL)));
#define GV_LOAD(v, p) memcpy(&(v), (p), sizeof(v))
#define GV_STORE(p, v) memcpy((p), &(v), sizeof(v))

#endif
