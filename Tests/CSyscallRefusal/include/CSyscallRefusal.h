// CSyscallRefusal: test support that makes a system call fail, to drive code down the paths it takes in a more
// restricted sandbox (a container whose seccomp profile refuses process_vm_readv, a process out of descriptors).
#ifndef CSYSCALLREFUSAL_H
#define CSYSCALLREFUSAL_H

#include <sys/syscall.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The system calls the readability probe makes (Swift does not import the nested `SYS_…` macros).
static const long sm_test_syscall_process_vm_readv = SYS_process_vm_readv;
static const long sm_test_syscall_pipe2 = SYS_pipe2;

/// Installs a seccomp filter on every thread of the process under which system call `number` (a `SYS_…` value)
/// fails with `error`. Filters add up and cannot be removed: call it only in a process of its own (an exit test).
/// Returns 0, or -1 with errno set.
int sm_test_refuse_syscall(long number, int error);

#ifdef __cplusplus
}
#endif

#endif
