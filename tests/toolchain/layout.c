/* Prints the size of each type and the offset of each field listed in
 * layout.expected, one "<name> <bytes>" line each, in the same format, so
 * that the output of this program under walic can be diffed against it.
 * check-layout.sh generates layout_entries.h from layout.expected and also
 * compiles the same entries as _Static_asserts, which checks the layouts
 * without running anything. */
#include "layout_headers.h"
#include <stdio.h>

#define SIZE(type, name, expected) \
	printf("%s %zu\n", name, sizeof(type));
#define OFFSET(type, field, name, expected) \
	printf("%s %zu\n", name, offsetof(type, field));

int main(void)
{
#include "layout_entries.h"
	return 0;
}
