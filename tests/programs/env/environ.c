// The environment a program starts with: environ in order, getenv of set, empty and unset names,
// values with spaces, '=' and non-ASCII bytes, and the third argument of main.
// env: FIRST=1 EMPTY= 'SPACED=a value with spaces' 'EQUALS=a=b=c' 'UTF8=grüße' LAST=end
// case: controlled
// case: path-set
// env: PATH=/custom/bin
// case: many
// env: V00=0 V01=1 V02=2 V03=3 V04=4 V05=5 V06=6 V07=7 V08=8 V09=9 V10=10 V11=11 V12=12 V13=13 V14=14
// env: V15=15 V16=16 V17=17 V18=18 V19=19 LONG=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static void show(const char *name) {
    const char *value = getenv(name);
    if (value)
        printf("getenv(%s) = [%s] (%zu)\n", name, value, strlen(value));
    else
        printf("getenv(%s) = NULL\n", name);
}

int main(int argc, char **argv, char **envp) {
    (void)argc;
    (void)argv;
    int count = 0;
    for (char **entry = environ; entry && *entry; entry++)
        printf("environ[%d] = [%s]\n", count++, *entry);
    int same = 1, envp_count = 0;
    for (; envp && envp[envp_count]; envp_count++)
        same &= envp_count < count && strcmp(envp[envp_count], environ[envp_count]) == 0;
    printf("%d variables; envp has %d, the same ones: %d\n", count, envp_count, same && envp_count == count);
    show("FIRST");
    show("EMPTY");
    show("SPACED");
    show("EQUALS");
    show("UTF8");
    show("UNSET_VARIABLE");
    show("FIRS");
    show("FIRST=1");
    show("");
    show("PATH");
    show("HOME");
    return 0;
}
