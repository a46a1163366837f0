#define _POSIX_C_SOURCE 200809L
#include "trainer/progress.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

void gv_progress_init(gv_progress *p, FILE *f)
{
    p->f = f;
    p->tty = isatty(fileno(f));
    p->interval = p->tty ? 0.2 : 15.0;
    p->last = 0;
    p->drawn = 0;
}

static void hms(double s, char *out, size_t n)
{
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(out, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(out, n, "%ld:%02ld", t / 60, t % 60);
}

void gv_progress_step(gv_progress *p, const gv_step_info *s)
{
    double now = wall();
    int last_step = s->step == s->total_steps;
    if (!last_step && now - p->last < p->interval)
        return;
    p->last = now;
    char eta[32];
    hms(s->eta_s, eta, sizeof eta);
    long in_epoch = (s->step - 1) % s->steps_per_epoch + 1;
    if (p->tty) {
        char bar[21];
        int fill = (int)(20.0 * (double)in_epoch / (double)s->steps_per_epoch);
        for (int i = 0; i < 20; i++)
            bar[i] = i < fill ? '#' : '.';
        bar[20] = 0;
        fprintf(p->f, "\r\033[Kepoch %d/%d [%s] step %ld/%ld  %.0f ex/s  ETA %s  loss %.4f (hit %.4f vel %.4f off %.4f kl %.2f)",
                s->epoch, s->epochs, bar, s->step, s->total_steps, s->ex_per_s, eta, s->loss.total, s->loss.hit,
                s->loss.vel, s->loss.off, s->loss.kl);
        p->drawn = 1;
    } else {
        fprintf(p->f, "epoch %d/%d step %ld/%ld (%ld/%ld) %.0f ex/s ETA %s loss %.4f hit %.4f vel %.4f off %.4f kl %.2f\n",
                s->epoch, s->epochs, s->step, s->total_steps, in_epoch, s->steps_per_epoch, s->ex_per_s, eta,
                s->loss.total, s->loss.hit, s->loss.vel, s->loss.off, s->loss.kl);
    }
    fflush(p->f);
}

void gv_progress_break(gv_progress *p)
{
    if (p->drawn)
        fputc('\n', p->f);
    p->drawn = 0;
}

void gv_progress_epoch(gv_progress *p, const gv_epoch_stats *s)
{
    gv_progress_break(p);
    char t[32];
    hms(s->seconds, t, sizeof t);
    fprintf(p->f, "epoch %d done (%s): train %.4f (hit %.4f vel %.4f off %.4f kl %.2f)  val %.4f (hit %.4f vel %.4f off %.4f kl %.2f)  val F1@0.5 %.3f  lr %.2g beta %.3g\n",
            s->epoch, t, s->train.total, s->train.hit, s->train.vel, s->train.off, s->train.kl, s->val.total,
            s->val.hit, s->val.vel, s->val.off, s->val.kl, s->val_f1, s->lr, s->beta);
    fflush(p->f);
}

char *gv_history_csv(const gv_epoch_stats *h, int n)
{
    size_t cap = 256 + (size_t)n * 320;
    char *s = malloc(cap);
    if (!s)
        return NULL;
    size_t len = (size_t)snprintf(s, cap, "epoch,step,seconds,lr,beta,train_total,train_hit,train_vel,train_off,train_kl,"
                                          "val_total,val_hit,val_vel,val_off,val_kl,val_f1\n");
    for (int i = 0; i < n && len < cap; i++)
        len += (size_t)snprintf(s + len, cap - len, "%d,%ld,%.1f,%.6g,%.6g,%.6f,%.6f,%.6f,%.6f,%.4f,%.6f,%.6f,%.6f,%.6f,%.4f,%.4f\n",
                                h[i].epoch, h[i].step, h[i].seconds, h[i].lr, h[i].beta, h[i].train.total,
                                h[i].train.hit, h[i].train.vel, h[i].train.off, h[i].train.kl, h[i].val.total,
                                h[i].val.hit, h[i].val.vel, h[i].val.off, h[i].val.kl, h[i].val_f1);
    return s;
}

void gv_plot_losses(FILE *f, const gv_epoch_stats *h, int n, int width, int height)
{
    if (n < 1 || width < 8 || height < 3)
        return;
    double lo = h[0].train.total, hi = lo;
    for (int i = 0; i < n; i++) {
        double a = h[i].train.total, b = h[i].val.total;
        lo = a < lo ? a : lo;
        hi = a > hi ? a : hi;
        lo = b < lo ? b : lo;
        hi = b > hi ? b : hi;
    }
    if (hi - lo < 1e-9)
        hi = lo + 1e-9;
    char *grid = malloc((size_t)width * height);
    if (!grid)
        return;
    memset(grid, ' ', (size_t)width * height);
    for (int i = 0; i < n; i++) {
        int x = n == 1 ? 0 : (int)((double)i * (width - 1) / (n - 1) + 0.5);
        int yt = (int)((hi - h[i].train.total) / (hi - lo) * (height - 1) + 0.5);
        int yv = (int)((hi - h[i].val.total) / (hi - lo) * (height - 1) + 0.5);
        grid[yt * width + x] = 't';
        grid[yv * width + x] = grid[yv * width + x] == 't' ? '*' : 'v';
    }
    fprintf(f, "loss per epoch (t train, v validation, * both)\n");
    for (int y = 0; y < height; y++) {
        double val = hi - (hi - lo) * y / (height - 1);
        fprintf(f, "%9.4f |%.*s\n", val, width, grid + (size_t)y * width);
    }
    fprintf(f, "          +");
    for (int x = 0; x < width; x++)
        fputc('-', f);
    fprintf(f, "\n%10s 1%*d  epoch\n", "", width - 1, n);
    free(grid);
}
