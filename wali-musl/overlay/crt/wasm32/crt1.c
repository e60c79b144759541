/* The WALI command entry point, exported as "_start" (ABI.md 3.3). */
int __main_void(void);
void __wali_libc_start(void);
void __wali_libc_finish(int);

__attribute__((__export_name__("_start")))
void _start(void)
{
	__wali_libc_start();
	__wali_libc_finish(__main_void());
}
