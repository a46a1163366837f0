/* commands.h - the groove subcommands.
 *
 * Each command lives in app/cmd_<name>.c as `int cmd_<name>(int argc, char **argv)`
 * where argv[0] is the command name.  It parses its options through the
 * registry (app/opts.h; optind is reset by main), prints `groove: ...` errors
 * on stderr and returns the exit status: 0 success, 1 runtime error, 2 usage
 * error.  main.c's table lists them in --help order. */
#ifndef GV_COMMANDS_H
#define GV_COMMANDS_H

typedef int (*gv_cmd_fn)(int argc, char **argv);

typedef struct gv_command {
    const char *name;
    gv_cmd_fn fn;
    const char *summary;
} gv_command;

#define GV_CMD(n) int cmd_##n(int argc, char **argv);
GV_CMD(show)
GV_CMD(convert)
GV_CMD(flatten)
GV_CMD(generate)
GV_CMD(humanize)
GV_CMD(sample)
GV_CMD(interpolate)
GV_CMD(encode)
GV_CMD(decode)
GV_CMD(info)
GV_CMD(train)
GV_CMD(train_rnn) /* cmd_train's --arch groovae|groovae-hier */
GV_CMD(eval)
GV_CMD(render)
GV_CMD(play)
GV_CMD(devices)
GV_CMD(jam)
GV_CMD(song)
GV_CMD(tui)
#undef GV_CMD

/* The table, in --help order. */
extern const gv_command gv_commands[];
extern const int gv_ncommands;

#endif
