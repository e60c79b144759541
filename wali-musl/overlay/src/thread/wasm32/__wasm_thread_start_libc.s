# Entry point of every thread created by __clone (clone.c), called by the
# runtime through the function table as (tid, args). The new thread starts
# with the module's initial globals, so before any C code runs it needs its
# own linear-memory stack (args+0) and TLS block (args+4, initialised and
# installed into __tls_base by the linker-generated __wasm_init_tls).

	.globaltype	__stack_pointer, i32
	.functype	__wasm_init_tls (i32) -> ()
	.functype	__wali_thread_entry (i32, i32) -> ()

	.section	.text.__wasm_thread_start_libc,"",@
	.globl	__wasm_thread_start_libc
	.type	__wasm_thread_start_libc,@function
	.export_name	__wasm_thread_start_libc, __wasm_thread_start_libc
__wasm_thread_start_libc:
	.functype	__wasm_thread_start_libc (i32, i32) -> ()
	local.get	1
	i32.load	0
	global.set	__stack_pointer
	local.get	1
	i32.load	4
	call	__wasm_init_tls
	local.get	0
	local.get	1
	call	__wali_thread_entry
	end_function
