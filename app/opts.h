/* opts.h - the option registry: every command-line option of groove as a
 * row of a descriptor table, and the one parser that reads them.
 *
 * A group is a table of gv_opt rows {name, key, type, lo, hi, field, ...}:
 * each row says where its value goes (an offset into the group's struct),
 * of what type, and in what range.  The groups several commands share are
 * declared here (window, noise, hits, feel, cond, model, ...); a command
 * keeps its own options in a table of its own.  It names the groups it
 * takes, each with the struct to fill, and calls gv_opts_parse:
 *
 *   gv_gencli g;
 *   gv_gencli_default(&g);
 *   const gv_opt_use use[] = {{&gv_opts_noise, &g.gen}, {&gv_opts_model, &g}};
 *   int rc = gv_opts_parse("sample", help, use, 2, argc, argv);
 *   if (rc >= 0)
 *       return rc;                 // 0 after --help, 2 after a usage error
 *   ...                            // operands from argv[optind]
 *
 * Defaults are not in the tables: each struct has its _default function.
 *
 * The getopt ids are made by the parser from each row's place (group and
 * row), so no two options of one command can share an id; an option name or
 * short key that two groups of one command both hold is refused as an
 * internal error before anything is parsed (test_cli runs every command's
 * --help, which checks it).
 *
 * One range per option everywhere: --seed 0..GV_SEED_MAX (2^53 - 1, exact as
 * a JSON number), --temperature 0..GV_TEMPERATURE_MAX, --threads
 * 1..GV_THREADS_MAX (one row, GV_OPT_THREADS, wherever it is taken; the
 * default is the command's: the cores available for train and eval, 1 for
 * the generating commands).
 *
 * Errors are one line on stderr, and the parser returns 2:
 *   unknown option, missing value: groove: CMD: bad option or missing value: '--x' (groove CMD --help)
 *   a number out of range:         groove: --opt: 'x' is not a whole number in LO..HI
 *   any other bad value:           groove: CMD: --opt: why (groove CMD --help)
 * -h and --help print the command's help on stdout (the parser returns 0). */
#ifndef GV_OPTS_H
#define GV_OPTS_H

#include <getopt.h> /* optind */
#include <stddef.h>
#include <stdio.h>

#define GV_SEED_MAX 9007199254740991ULL /* 2^53 - 1 */
#define GV_TEMPERATURE_MAX 100
#define GV_THREADS_MAX 256

typedef enum {
    GV_OPT_FLAG,  /* no value: the int field becomes 1 */
    GV_OPT_INT,   /* int in lo..hi; the field gets value + add (and so does field2 when not 0) */
    GV_OPT_FLOAT, /* float in lo..hi */
    GV_OPT_SEED,  /* uint64_t in 0..GV_SEED_MAX */
    GV_OPT_STR,   /* const char *: the argument itself (argv outlives the command) */
    GV_OPT_FN,    /* fn(arg, field, why, n) parses it */
} gv_opt_type;

/* A value parser: 0, or -1 with why filled ("tanh or sigmoid, not 'x'").
 * field is the group's struct plus the row's field offset (offset 0: the
 * whole struct, for an option that sets several fields). */
typedef int (*gv_opt_fn)(const char *arg, void *field, char *why, size_t n);

typedef struct gv_opt {
    const char *name; /* long name without "--"; NULL for a short option alone */
    char key;         /* short option letter, or 0 */
    gv_opt_type type;
    double lo, hi;    /* GV_OPT_INT, GV_OPT_FLOAT */
    size_t field;     /* offset of the value in the group's struct */
    gv_opt_fn fn;     /* GV_OPT_FN */
    size_t field2;    /* GV_OPT_INT: a second field given the same value (0: none) */
    int add;          /* GV_OPT_INT: --start-bar counts from 1, the window from 0 */
} gv_opt;

typedef struct gv_opt_group {
    const char *name;
    const gv_opt *opt;
    int n;
} gv_opt_group;
#define GV_OPT_GROUP(name, table) {name, table, (int)(sizeof table / sizeof *table)}

/* A group a command takes, and the struct its rows write into. */
typedef struct gv_opt_use {
    const gv_opt_group *group;
    void *base;
} gv_opt_use;

/* Row builders. */
#define GV_OPT_ROW(nm, k, ty, l, h, st, mem) \
    {.name = nm, .key = k, .type = ty, .lo = l, .hi = h, .field = offsetof(st, mem)}
#define GV_OPT_I(nm, l, h, st, mem) GV_OPT_ROW(nm, 0, GV_OPT_INT, l, h, st, mem)
#define GV_OPT_F(nm, l, h, st, mem) GV_OPT_ROW(nm, 0, GV_OPT_FLOAT, l, h, st, mem)
#define GV_OPT_S(nm, st, mem) GV_OPT_ROW(nm, 0, GV_OPT_STR, 0, 0, st, mem)
#define GV_OPT_B(nm, st, mem) GV_OPT_ROW(nm, 0, GV_OPT_FLAG, 0, 0, st, mem)
#define GV_OPT_SEED_ROW(st, mem) GV_OPT_ROW("seed", 0, GV_OPT_SEED, 0, 0, st, mem)
#define GV_OPT_THREADS(st, mem) GV_OPT_I("threads", 1, GV_THREADS_MAX, st, mem)
/* --device cpu|cuda|auto into an int holding a gv_device (app/devicecli.h);
 * one row wherever it is taken (gv_opts_model has it), the default the
 * command's. */
#define GV_OPT_DEVICE(st, mem) GV_OPT_FN_ROW("device", gv_opt_device, st, mem)
#define GV_OPT_FN_ROW(nm, f, st, mem) {.name = nm, .type = GV_OPT_FN, .field = offsetof(st, mem), .fn = f}
/* An option that parses into the whole struct. */
#define GV_OPT_FN_ALL(nm, f) {.name = nm, .type = GV_OPT_FN, .fn = f}

/* Parses argv (argv[0] is the command's name) against the groups: -1 to go
 * on (optind at the first operand; getopt_long moves operands behind the
 * options), else the exit status: 0 after --help (help(stdout) printed), 2
 * after a usage error (its line printed). */
int gv_opts_parse(const char *cmd, void (*help)(FILE *), const gv_opt_use *use, int nuse, int argc,
                  char **argv);

/* The groups several commands share; the comment names the struct to pass. */
extern const gv_opt_group gv_opts_window; /* gv_load_opts: --start-bar --bars --channel */
extern const gv_opt_group gv_opts_noise;  /* gv_gen_opts: --temperature --seed --sampling */
extern const gv_opt_group gv_opts_hits;   /* gv_gen_opts: --density --max-hits */
extern const gv_opt_group gv_opts_feel;   /* gv_gen_opts: --timing --dynamics */
extern const gv_opt_group gv_opts_cond;   /* gv_gen_opts: --lanes --keep-voices */
extern const gv_opt_group gv_opts_model;  /* gv_gencli: --model --threads --json --device */
extern const gv_opt_group gv_opts_outdir; /* gv_gencli: -o DIR */
extern const gv_opt_group gv_opts_count;  /* gv_gencli: -n N */
extern const gv_opt_group gv_opts_bpm;    /* gv_gencli: --bpm */
extern const gv_opt_group gv_opts_data;   /* gv_data_cli: --data --beat-type --time-signature --min-hits --max-files */
extern const gv_opt_group gv_opts_synth;  /* gv_synth_cli: --tempo --swing --kit --metronome */
extern const gv_opt_group gv_opts_midi;   /* gv_midi_cli: --midi-out --midi-in --midi-channel --clock ... */

/* Value parsers commands' own tables share: the player's feel
 * (gv_feel_mode, engine/feel.h) and a set of kept voices (unsigned, a bit
 * per voice; every voice is refused). */
int gv_opt_feel(const char *arg, void *field, char *why, size_t n);
int gv_opt_keep_voices(const char *arg, void *field, char *why, size_t n);
int gv_opt_device(const char *arg, void *field, char *why, size_t n); /* a gv_device (app/devicecli.h) */

/* The --threads default of train and eval: the cores this process may run
 * on (base/pool.h), at most GV_THREADS_MAX. */
int gv_default_threads(void);

#endif
