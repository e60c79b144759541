/* clang renames `int main(int, char **)` to __main_argc_argv and
 * `int main(void)` to __main_void; a three-argument main keeps its name.
 * This is the __main_void used when the program's main takes arguments. It
 * lives alone in its object so that a program whose main takes none never
 * links it. Both candidates are weak: exactly one of them is defined. */
#include "libc.h"

extern hidden int __wali_argc;
extern hidden char **__wali_argv;
extern char **__environ;

int __main_argc_argv(int, char **) __attribute__((__weak__));
int __wali_main_with_envp(int, char **, char **) __asm__("main") __attribute__((__weak__));

int __main_void(void)
{
	if (__main_argc_argv)
		return __main_argc_argv(__wali_argc, __wali_argv);
	return __wali_main_with_envp(__wali_argc, __wali_argv, __environ);
}
