/* kits.h - the kits groove can play, as the TUI's kit picker lists them.
 *
 * The list is: the built-in kit (dir ""), the --kit folder when one was
 * given, then every Hydrogen drumkit (a folder holding drumkit.xml) in the
 * system's drumkits folder (GV_KITS_SYSTEM_DIR) and in the user's
 * (HOME/.hydrogen/data/drumkits), each group sorted by name, a folder that
 * is listed already not repeated.  Folders that cannot be read are skipped
 * (the list is what can be offered; loading says what is wrong with one). */
#ifndef GV_KITS_H
#define GV_KITS_H

#define GV_KITS_MAX 64
#define GV_KITS_SYSTEM_DIR "/usr/share/hydrogen/data/drumkits"
#define GV_KITS_USER_DIR ".hydrogen/data/drumkits" /* under $HOME */

typedef struct gv_kit_choice {
    char name[128];  /* "built-in", the folder's name */
    char dir[1024];  /* "" for the built-in kit */
    char where[16];  /* "built-in", "--kit", "hydrogen", "~/.hydrogen" */
} gv_kit_choice;

/* Fills out (max entries) and returns the count.  kit_arg: the --kit folder
 * ("" or NULL: none); home: $HOME (NULL: no user kits); system_dir: the
 * system drumkits folder (NULL: none). */
int gv_kits_find(gv_kit_choice *out, int max, const char *kit_arg, const char *home, const char *system_dir);

/* The name a kit folder is listed under: its last path component ("" gives
 * "built-in"), into out (n bytes). */
void gv_kits_name(const char *dir, char *out, int n);

#endif
