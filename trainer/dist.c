/* dist.c - gv_dist on MPI (GV_MPI) or alone. */
#include "trainer/dist.h"

#include <stdlib.h>
#include <string.h>

#ifdef GV_MPI
#include <mpi.h>
#endif

int gv_dist_built(void)
{
#ifdef GV_MPI
    return 1;
#else
    return 0;
#endif
}

int gv_dist_launched(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
        if (getenv(vars[i]))
            return 1;
    return 0;
}

int gv_dist_init(gv_dist *d, int *argc, char ***argv, gv_err *e)
{
    memset(d, 0, sizeof *d);
    d->size = 1;
    if (!gv_dist_launched())
        return 0;
#ifdef GV_MPI
    if (MPI_Init(argc, argv) != MPI_SUCCESS)
        return gv_fail(e, "cannot join the MPI job (MPI_Init failed)");
    d->mpi = 1;
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL);
    MPI_Comm_rank(MPI_COMM_WORLD, &d->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &d->size);
    return 0;
#else
    (void)argc;
    (void)argv;
    return gv_fail(e, "started by mpirun, but this groove was built without MPI (no mpicc when it was built: "
                      "install libopenmpi-dev and openmpi-bin, then make clean && make)");
#endif
}

void gv_dist_finish(gv_dist *d)
{
#ifdef GV_MPI
    if (d->mpi)
        MPI_Finalize();
#endif
    d->mpi = 0;
}

void gv_dist_abort(const gv_dist *d, int rc)
{
#ifdef GV_MPI
    if (d && d->mpi)
        MPI_Abort(MPI_COMM_WORLD, rc);
#else
    (void)d;
    (void)rc;
#endif
}

void gv_dist_sum_f(const gv_dist *d, float *x, size_t n)
{
#ifdef GV_MPI
    for (size_t i = 0; d && d->mpi && d->size > 1 && i < n; i += 1u << 30) {
        int m = n - i < (1u << 30) ? (int)(n - i) : 1 << 30;
        MPI_Allreduce(MPI_IN_PLACE, x + i, m, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
    }
#else
    (void)d;
    (void)x;
    (void)n;
#endif
}

void gv_dist_sum_d(const gv_dist *d, double *x, size_t n)
{
#ifdef GV_MPI
    if (d && d->mpi && d->size > 1)
        MPI_Allreduce(MPI_IN_PLACE, x, (int)n, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
#else
    (void)d;
    (void)x;
    (void)n;
#endif
}

void gv_dist_bcast(const gv_dist *d, void *x, size_t n)
{
#ifdef GV_MPI
    for (size_t i = 0; d && d->mpi && d->size > 1 && i < n; i += 1u << 30) {
        int m = n - i < (1u << 30) ? (int)(n - i) : 1 << 30;
        MPI_Bcast((char *)x + i, m, MPI_BYTE, 0, MPI_COMM_WORLD);
    }
#else
    (void)d;
    (void)x;
    (void)n;
#endif
}

void gv_dist_barrier(const gv_dist *d)
{
#ifdef GV_MPI
    if (d && d->mpi && d->size > 1)
        MPI_Barrier(MPI_COMM_WORLD);
#else
    (void)d;
#endif
}
