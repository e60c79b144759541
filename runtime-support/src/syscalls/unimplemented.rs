//! Every syscall of the import table that walic does not implement: each links (real binaries
//! import names the spec leaves unimplemented, ABI.md §1.6) and returns `-ENOSYS`, which the
//! libc reports as `ENOSYS` or answers with a fallback.
//!
//! The symbols are generated from the list below. A unit test in `syscalls` checks that every
//! `SYS_*` name of the import table has exactly one symbol across the crate, so a name that gains
//! a real implementation must leave this list, and a new name of the table must join it or a
//! family.
//!
//! Why these stay unimplemented: they manage the machine or other processes (mount, reboot,
//! swap, modules, quotas, namespaces, ptrace, process_vm_*, iopl/ioperm), map memory outside the
//! runtime's control (shmat, remap_file_pages, mlock2), carry pointer-holding or
//! 64-bit-pointer structures no wasm program can produce correctly (set_robust_list and
//! get_robust_list: the kernel would walk a list of 32-bit wasm pointers as 64-bit host
//! pointers; recvmmsg; vmsplice; name_to_handle_at; the POSIX message queues' sigevent), need
//! timer_create (which the WALI libc does not have: timer_settime, timer_gettime,
//! timer_getoverrun, timer_delete), or are rarely used and not yet needed (SysV semaphores and
//! message queues, capget/capset, syslog, personality, fanotify, execveat, hostnames).

use walic_loader::vmctx::VmContext;

/// Defines one import per name, each returning `-ENOSYS`, and the module's registry.
macro_rules! enosys_imports {
    ($($import:ident),* $(,)?) => {
        $(
            #[doc = concat!("`", stringify!($import), "`: not implemented, returns `-ENOSYS`.")]
            #[no_mangle]
            pub extern "C" fn $import(
                _vmctx: *mut VmContext,
                _: u64,
                _: u64,
                _: u64,
                _: u64,
                _: u64,
                _: u64,
            ) -> i64 {
                -(libc::ENOSYS as i64)
            }
        )*
        registry![$($import),*];
    };
}

enosys_imports![
    walic_import_SYS_acct,
    walic_import_SYS_adjtimex,
    walic_import_SYS_arch_prctl,
    walic_import_SYS_capget,
    walic_import_SYS_capset,
    walic_import_SYS_clock_adjtime,
    walic_import_SYS_delete_module,
    walic_import_SYS_execveat,
    walic_import_SYS_fanotify_init,
    walic_import_SYS_fanotify_mark,
    walic_import_SYS_get_robust_list,
    walic_import_SYS_init_module,
    walic_import_SYS_ioperm,
    walic_import_SYS_iopl,
    walic_import_SYS_mlock2,
    walic_import_SYS_mount,
    walic_import_SYS_mq_getsetattr,
    walic_import_SYS_mq_notify,
    walic_import_SYS_mq_open,
    walic_import_SYS_mq_timedreceive,
    walic_import_SYS_mq_timedsend,
    walic_import_SYS_mq_unlink,
    walic_import_SYS_msgctl,
    walic_import_SYS_msgget,
    walic_import_SYS_msgrcv,
    walic_import_SYS_msgsnd,
    walic_import_SYS_name_to_handle_at,
    walic_import_SYS_open_by_handle_at,
    walic_import_SYS_personality,
    walic_import_SYS_pivot_root,
    walic_import_SYS_process_vm_readv,
    walic_import_SYS_process_vm_writev,
    walic_import_SYS_ptrace,
    walic_import_SYS_quotactl,
    walic_import_SYS_reboot,
    walic_import_SYS_recvmmsg,
    walic_import_SYS_remap_file_pages,
    walic_import_SYS_rt_sigqueueinfo,
    walic_import_SYS_semctl,
    walic_import_SYS_semget,
    walic_import_SYS_semop,
    walic_import_SYS_semtimedop,
    walic_import_SYS_set_robust_list,
    walic_import_SYS_set_thread_area,
    walic_import_SYS_setdomainname,
    walic_import_SYS_sethostname,
    walic_import_SYS_setns,
    walic_import_SYS_shmat,
    walic_import_SYS_shmctl,
    walic_import_SYS_shmdt,
    walic_import_SYS_shmget,
    walic_import_SYS_swapoff,
    walic_import_SYS_swapon,
    walic_import_SYS_syslog,
    walic_import_SYS_timer_delete,
    walic_import_SYS_timer_getoverrun,
    walic_import_SYS_timer_gettime,
    walic_import_SYS_timer_settime,
    walic_import_SYS_umount2,
    walic_import_SYS_unshare,
    walic_import_SYS_vhangup,
    walic_import_SYS_vmsplice,
];
