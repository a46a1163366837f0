/* loss.h - the VAE's training losses and their gradients.
 *
 * Reconstruction (logits[B][32][27] against tgt of the same layout, see
 * trainer/data.h); hits a mean over the B*32*9 cells, velocity and offset a
 * weighted mean (sum of w*loss over the sum of w):
 *   hits      BCE with logits, empty cells weighted by hit_penalty (the
 *             Monotonic Groove Transformer's penalty multiplier), or soft Dice
 *             (1 - (2 sum p t + 1) / (sum p + sum t + 1) per example);
 *   velocity  MSE of sigmoid(x), or BCE with logits;
 *   offset    MSE of the activated offset (tanh(x)/2 or sigmoid(x)-1/2), or
 *             BCE of offset+1/2 (whose logit is 2x for tanh, x for sigmoid);
 *   velocity and offset count on hit cells (weight 1) and on empty cells
 *   with weight vo_empty (0 by default: they are read only where a hit is,
 *   and training them towards 0 elsewhere drags down the velocity of
 *   uncertain hits).
 * KL: per example k = sum_d -1/2 (1 + logvar - mu^2 - exp(logvar)); with free
 * bits F the example's term is max(k - F, 0); the loss is beta times its batch
 * mean.  Gradients are of the reported losses (KL gradient includes beta). */
#ifndef GV_TRAINER_LOSS_H
#define GV_TRAINER_LOSS_H

enum { GV_LOSS_BCE, GV_LOSS_DICE, GV_LOSS_MSE };

typedef struct gv_loss_opts {
    int hit;           /* GV_LOSS_BCE or GV_LOSS_DICE */
    float hit_penalty; /* weight of empty cells, 0..1 */
    int vel;           /* GV_LOSS_MSE or GV_LOSS_BCE */
    int off;           /* GV_LOSS_MSE or GV_LOSS_BCE */
    int off_sigmoid;   /* o_activation "sigmoid" (else tanh*0.5) */
    float vo_empty;    /* weight of empty cells in the velocity and offset losses */
} gv_loss_opts;

typedef struct gv_loss_parts {
    double hit, vel, off; /* reconstruction terms */
    double kl;            /* raw batch-mean KL (nats), before free bits and beta */
    double kl_term;       /* beta * mean max(kl - free_bits, 0) */
    double total;         /* hit + vel + off + kl_term */
} gv_loss_parts;

/* BCE, penalty 0.5, velocity MSE, offset MSE, tanh, vo_empty 0. */
void gv_loss_opts_default(gv_loss_opts *o);
/* Parses "bce" / "dice" / "mse" into *out; -1 when unknown. */
int gv_loss_parse(const char *s, int *out);
const char *gv_loss_name(int loss);

/* Sets p->hit, vel, off (and total = their sum); writes the gradient of that
 * sum into dlogits[B*32*27] (overwritten) when not NULL. */
void gv_recon_loss(const gv_loss_opts *o, const float *logits, const float *tgt, int B, float *dlogits,
                   gv_loss_parts *p);
/* A batch's normalisers, from its targets alone (so that every shard of a
 * batch, in any thread or process, can know them): B and the velocity and
 * offset losses' weight sum. */
typedef struct gv_loss_norm {
    int B;
    double wsum;
} gv_loss_norm;
void gv_loss_norm_of(const gv_loss_opts *o, const float *tgt, int B, gv_loss_norm *n);
/* gv_recon_loss on B rows that are a part of a batch whose normalisers are
 * nm: the gradients are the batch loss's, the parts this part's shares (the
 * shares of a batch's parts add up to its losses). */
void gv_recon_loss_part(const gv_loss_opts *o, const float *logits, const float *tgt, int B,
                        const gv_loss_norm *nm, float *dlogits, gv_loss_parts *p);

/* Sets p->kl and p->kl_term and adds kl_term to p->total; dmu, dlogvar [B*L]
 * (overwritten) when not NULL. */
void gv_kl_loss(const float *mu, const float *logvar, int B, int L, float beta, float free_bits, float *dmu,
                float *dlogvar, gv_loss_parts *p);
/* The same on B rows that are a part of a batch of NB: gradients of the
 * batch's loss, kl and kl_term this part's shares (p->total += kl_term). */
void gv_kl_loss_part(const float *mu, const float *logvar, int B, int NB, int L, float beta, float free_bits,
                     float *dmu, float *dlogvar, gv_loss_parts *p);

#endif
