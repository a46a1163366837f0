#include "trainer/schedule.h"

#include <math.h>
#include <string.h>

float gv_lr_at(long step, long warmup, long total, float lr, float min_ratio)
{
    if (warmup > 0 && step < warmup)
        return lr * (float)(step + 1) / (float)warmup;
    if (total <= warmup)
        return lr;
    double x = (double)(step - warmup) / (double)(total - warmup);
    if (x > 1)
        x = 1;
    double c = 0.5 * (1.0 + cos(3.14159265358979323846 * x));
    return (float)(lr * (min_ratio + (1.0 - min_ratio) * c));
}

float gv_beta_at(long step, int kind, long period, float ramp, float beta_max)
{
    if (period <= 0)
        return beta_max;
    double x;
    if (kind == GV_BETA_CYCLIC) {
        double r = ramp > 0 ? ramp : 1.0;
        x = (double)(step % period) / ((double)period * r);
    } else {
        x = (double)step / (double)period;
    }
    return (float)(beta_max * (x < 1 ? x : 1));
}

int gv_beta_parse(const char *s, int *kind)
{
    if (!strcmp(s, "linear"))
        *kind = GV_BETA_LINEAR;
    else if (!strcmp(s, "cyclic"))
        *kind = GV_BETA_CYCLIC;
    else
        return -1;
    return 0;
}
