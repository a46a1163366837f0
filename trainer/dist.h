/* dist.h - the processes of a data-parallel training run: this one's rank
 * among `size`, and sums over all of them.  Without MPI (or run alone) a
 * run is one process: rank 0 of 1, and the sums leave their data as is.
 *
 * Built with MPI (the Makefile defines GV_MPI when mpicc is found),
 * gv_dist_init joins the job when the process was started by mpirun (Open
 * MPI's OMPI_COMM_WORLD_SIZE, or PMI_SIZE / PMIX_RANK in the environment);
 * a build without MPI started that way fails with one line that says so.
 * Sums are MPI_Allreduce(MPI_SUM) over MPI_COMM_WORLD: every rank gets the
 * same result, the reduction's order fixed by the job's size alone.  Any
 * failure of a rank ends the whole job (MPI_ERRORS_ARE_FATAL, and
 * gv_dist_abort): no rank waits forever for a dead one. */
#ifndef GV_TRAINER_DIST_H
#define GV_TRAINER_DIST_H

#include <stddef.h>

#include "base/error.h"

typedef struct gv_dist {
    int rank, size;
    int mpi; /* joined an MPI job (gv_dist_finish leaves it) */
} gv_dist;

/* 1 when this build has MPI. */
int gv_dist_built(void);
/* 1 when the environment says this process was started by mpirun. */
int gv_dist_launched(void);
/* Rank 0 of 1, or this process's place in its MPI job (see above).  -1 with
 * e set when the job cannot be joined or MPI is not built in. */
int gv_dist_init(gv_dist *d, int *argc, char ***argv, gv_err *e);
/* Leaves the job (MPI_Finalize) when it was joined. */
void gv_dist_finish(gv_dist *d);
/* Ends every rank of the job with status rc (MPI_Abort); returns only when
 * not in a job. */
void gv_dist_abort(const gv_dist *d, int rc);

/* x[n] summed over the ranks, in place, on every rank. */
void gv_dist_sum_f(const gv_dist *d, float *x, size_t n);
void gv_dist_sum_d(const gv_dist *d, double *x, size_t n);
/* Rank 0's x[n] bytes copied to every rank. */
void gv_dist_bcast(const gv_dist *d, void *x, size_t n);
/* Waits until every rank got here. */
void gv_dist_barrier(const gv_dist *d);

#endif
