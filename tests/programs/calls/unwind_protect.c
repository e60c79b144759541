// bash's unwind-protect pattern (unwind_prot.c): cleanups of several signatures kept as K&R
// `int (*)()` pointers in one table and called with one argument through that type. In wasm each
// call is a call_indirect of type (i32) -> i32 reaching functions of other types; natively the
// calls simply work, and so they must through walic.
// cflags: -Wno-deprecated-non-prototype -Wno-incompatible-pointer-types
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int Function();

struct frame {
    Function *cleanup;
    char *arg;
};

static struct frame frames[16];
static int depth;
static long freed_bytes;
static int restored;

static void xfree(void *p) {
    freed_bytes += strlen(p);
    free(p);
}

static void restore_flag(char *name) {
    restored++;
    printf("restore %s\n", name);
}

static int unset_var(char *name) {
    printf("unset %s\n", name);
    return 7;
}

static void no_args() {
    printf("no-argument cleanup\n");
}

static void add_unwind_protect(Function *cleanup, char *arg) {
    frames[depth].cleanup = cleanup;
    frames[depth].arg = arg;
    depth++;
}

static int run_unwind_frame(void) {
    int sum = 0;
    while (depth > 0) {
        struct frame *f = &frames[--depth];
        /* The call bash makes: through int (*)() with the saved argument. */
        if (f->cleanup == (Function *)unset_var)
            sum += (*f->cleanup)(f->arg);
        else
            (*f->cleanup)(f->arg);
    }
    return sum;
}

int main(void) {
    for (int round = 0; round < 3; round++) {
        add_unwind_protect((Function *)xfree, strdup("temporary string"));
        add_unwind_protect((Function *)restore_flag, "noglob");
        add_unwind_protect(unset_var, "IFS");
        add_unwind_protect((Function *)no_args, NULL);
        add_unwind_protect((Function *)xfree, strdup("another"));
        printf("round %d: sum %d\n", round, run_unwind_frame());
    }
    printf("freed %ld bytes, restored %d flags\n", freed_bytes, restored);
    return 0;
}
