/* WALI fixes the page size to the x86-64 one (ABI.md 4.6). */
#define PAGESIZE 4096
