/*
 * sandbox.c: resource limits and the seccomp-bpf filter of the parsing
 * child.
 *
 * SECURITY
 *	The filter is a deny list, not an allow list: the parsers (libxml2,
 *	poppler, GMime, libzip, Leptonica, Tesseract, GLib) make a wide and version-dependent set
 *	of harmless calls (mmap, read, futex, clock_gettime, ...), and an
 *	allow list that misses one turns a library upgrade into a crash on
 *	every document.  What a compromised parser could use to reach beyond
 *	its pipe is denied instead: the network, programs, processes, other
 *	processes' memory and signals, and every way to create, change or
 *	remove a file.  The descriptors it inherits are closed when the child
 *	is forked (util/proc.c, for sandbox/isolate.c) before the filter goes
 *	on, so "no open for writing" leaves it with nothing to write to but
 *	its output pipe and its stderr pipe.
 *	OCR (Leptonica's codecs, Tesseract with OpenMP at one thread) runs
 *	under the same filter and needed no call allowed: the language data
 *	is opened read-only, and Tesseract is given no debug file to create
 *	(extract/ocr.c).
 *
 *	This code runs only in that forked extraction child, before it reads
 *	a byte of its input; it parses nothing.  It trusts the configuration
 *	([limits]) and bounds the child with resource limits that the child
 *	cannot raise again: no core file, no byte to a regular file, its open
 *	descriptors, its CPU time (SIGXCPU, then SIGKILL a second later) and
 *	the address space it may add to what it shares with its parent.
 */
#define _GNU_SOURCE 1 /* CLONE_THREAD */
#include "sandbox/sandbox.h"

#include "core/config.h"
#include "util/exitcode.h"
#include "util/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "util/banned.h"

/* The sanitizers reserve terabytes of shadow memory: no RLIMIT_AS then. */
#if defined(__SANITIZE_ADDRESS__)
#define DP_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DP_UNDER_ASAN 1
#endif
#endif

void
dp_sandbox_limits_from_config(const DpConfig *cfg, DpSandboxLimits *lim)
{
	lim->memory = dp_config_get_size(cfg, "limits", "memory");
	lim->cpu_time = (guint64)dp_config_get_int(cfg, "limits", "cpu-time");
	lim->open_files = (guint64)dp_config_get_int(cfg, "limits", "open-files");
}

#ifndef DP_UNDER_ASAN
/* The address space mapped now, in bytes (from /proc/self/statm). */
static guint64
current_vm_size(void)
{
	char buf[128];
	int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return g_ascii_strtoull(buf, NULL, 10) * (guint64)sysconf(_SC_PAGESIZE);
}
#endif

gboolean
dp_sandbox_limit(const DpSandboxLimits *lim, GError **error)
{
	/* A crashing parser must not leave a core file holding the document. */
	if (!dp_proc_set_limit(RLIMIT_CORE, "core size", 0, 0, error))
		return FALSE;
	/* No byte to any regular file: only pipes and /dev/null stay open. */
	if (!dp_proc_set_limit(RLIMIT_FSIZE, "file size", 0, 0, error))
		return FALSE;
	/*
	 * Best effort: valgrind keeps descriptors of its own above any low
	 * limit and refuses it.  The child holds nothing but its pipes by now,
	 * so many open descriptors would only hurt the child itself.
	 */
	if (lim->open_files > 0)
		(void)dp_proc_set_limit(RLIMIT_NOFILE, "open files", lim->open_files, lim->open_files, NULL);
	/* SIGXCPU at the soft limit, SIGKILL one second later. */
	if (lim->cpu_time > 0 && !dp_proc_set_limit(RLIMIT_CPU, "CPU time", lim->cpu_time, lim->cpu_time + 1, error))
		return FALSE;
#ifndef DP_UNDER_ASAN
	/*
	 * The child shares the parent's mappings (the input among them), so
	 * the limit is what it may add to them, not an absolute size.
	 */
	if (lim->memory > 0) {
		guint64 as = current_vm_size() + lim->memory;
		if (!dp_proc_set_limit(RLIMIT_AS, "address space", as, as, error))
			return FALSE;
	}
#endif
	return TRUE;
}

/* Add RULE for the system call NAME; names this architecture lacks are skipped. */
static int
rule(scmp_filter_ctx ctx, uint32_t action, const char *name, unsigned n, const struct scmp_arg_cmp *cmp)
{
	int nr = seccomp_syscall_resolve_name(name);
	if (nr == __NR_SCMP_ERROR)
		return 0;
	return seccomp_rule_add_array(ctx, action, nr, n, cmp);
}

/* Denied outright: network, programs, processes, tracing, the file system. */
static const char *const denied[] = {
	"socket",
	"socketpair",
	"connect",
	"bind",
	"listen",
	"accept",
	"accept4",
	"execve",
	"execveat",
	"fork",
	"vfork",
	"ptrace",
	"process_vm_readv",
	"process_vm_writev",
	"kcmp",
	"pidfd_open",
	"pidfd_getfd",
	"pidfd_send_signal",
	"tkill",
	"creat",
	"link",
	"linkat",
	"symlink",
	"symlinkat",
	"unlink",
	"unlinkat",
	"rename",
	"renameat",
	"renameat2",
	"mkdir",
	"mkdirat",
	"rmdir",
	"mknod",
	"mknodat",
	"chmod",
	"fchmodat",
	"chown",
	"lchown",
	"fchownat",
	"truncate",
	"utime",
	"utimes",
	"utimensat",
	"futimesat",
	"setxattr",
	"lsetxattr",
	"removexattr",
	"lremovexattr",
	"mount",
	"umount2",
	"pivot_root",
	"chroot",
	"setns",
	"unshare",
	"bpf",
	"perf_event_open",
	"keyctl",
	"add_key",
	"request_key",
	"userfaultfd",
	"io_uring_setup",
	"io_uring_enter",
	"io_uring_register",
	"init_module",
	"finit_module",
	"delete_module",
	"kexec_load",
	"kexec_file_load",
	"reboot",
	"swapon",
	"swapoff",
	"acct",
	"quotactl",
	"personality",
	"fanotify_init",
	"inotify_init",
	"inotify_init1",
	"name_to_handle_at",
	"open_by_handle_at",
};

/*
 * The filter is compiled once per process, before the first fork: libseccomp
 * takes about a millisecond to build it, which would double the cost of a
 * small input.  The only per-child value is the child's own pid (signals may
 * go to itself only); the program is compiled with PID_PLACEHOLDER, a value
 * no pid can take (pid_max is at most 2^22), and each child replaces it in
 * the compare instructions of its private copy.
 */
#define PID_PLACEHOLDER 0x7ffffff0u

/* Build the filter with libseccomp; SELF is the pid signals may go to. */
static scmp_filter_ctx
build_filter(guint32 self, GError **error)
{
	const uint32_t kill = SCMP_ACT_KILL_PROCESS;
	int rc = 0;
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (ctx == NULL) {
		g_set_error(error, DP_ERROR, DP_EXIT_OSERR, "cannot create the seccomp filter");
		return NULL;
	}
	/*
	 * A binary tree of system call numbers instead of a linear list: the
	 * kernel runs the filter on every system call of the child, and on
	 * loading it, emulates it for every system call number to cache the
	 * ones always allowed; both walk a path of a few compares instead of
	 * one per rule.
	 */
	rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	for (guint i = 0; rc == 0 && i < G_N_ELEMENTS(denied); i++)
		rc = rule(ctx, kill, denied[i], 0, NULL);

	/* open()/openat() for writing, creating or truncating. */
	static const struct {
		const char *name;
		unsigned arg;
	} opens[] = { { "open", 1 }, { "openat", 2 } };
	for (guint i = 0; rc == 0 && i < G_N_ELEMENTS(opens); i++) {
		unsigned a = opens[i].arg;
		struct scmp_arg_cmp wr = { a, SCMP_CMP_MASKED_EQ, O_ACCMODE, O_WRONLY };
		struct scmp_arg_cmp rw = { a, SCMP_CMP_MASKED_EQ, O_ACCMODE, O_RDWR };
		struct scmp_arg_cmp cr = { a, SCMP_CMP_MASKED_EQ, O_CREAT, O_CREAT };
		struct scmp_arg_cmp tr = { a, SCMP_CMP_MASKED_EQ, O_TRUNC, O_TRUNC };
		rc = rule(ctx, kill, opens[i].name, 1, &wr);
		rc = rc ? rc : rule(ctx, kill, opens[i].name, 1, &rw);
		rc = rc ? rc : rule(ctx, kill, opens[i].name, 1, &cr);
		rc = rc ? rc : rule(ctx, kill, opens[i].name, 1, &tr);
	}
	/* openat2() and clone3() pass their flags in memory the filter cannot
	 * read: make them unavailable, and the C library falls back to openat()
	 * and clone(), which the filter can check. */
	rc = rc ? rc : rule(ctx, SCMP_ACT_ERRNO(ENOSYS), "openat2", 0, NULL);
	rc = rc ? rc : rule(ctx, SCMP_ACT_ERRNO(ENOSYS), "clone3", 0, NULL);
	/* Threads yes, new processes no. */
	struct scmp_arg_cmp noth = { 0, SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0 };
	rc = rc ? rc : rule(ctx, kill, "clone", 1, &noth);
	/* Signals and limits only for itself (abort() and raise() use tgkill). */
	struct scmp_arg_cmp other = { 0, SCMP_CMP_NE, (scmp_datum_t)self, 0 };
	rc = rc ? rc : rule(ctx, kill, "kill", 1, &other);
	rc = rc ? rc : rule(ctx, kill, "tgkill", 1, &other);
	struct scmp_arg_cmp notself = { 0, SCMP_CMP_NE, 0, 0 };
	rc = rc ? rc : rule(ctx, kill, "prlimit64", 1, &notself);

	if (rc != 0) {
		seccomp_release(ctx);
		g_set_error(error, DP_ERROR, DP_EXIT_OSERR, "cannot build the seccomp filter: %s", g_strerror(-rc));
		return NULL;
	}
	return ctx;
}

static struct sock_filter *prog_code;
static gsize prog_len;

gboolean
dp_sandbox_prepare(GError **error)
{
	if (prog_code != NULL)
		return TRUE;
	scmp_filter_ctx ctx = build_filter(PID_PLACEHOLDER, error);
	if (ctx == NULL)
		return FALSE;
	/* libseccomp 2.5 exports to a descriptor only: go through a memfd. */
	int fd = memfd_create("docpipe-seccomp", MFD_CLOEXEC);
	int rc = fd < 0 ? -errno : seccomp_export_bpf(ctx, fd);
	seccomp_release(ctx);
	off_t size = rc == 0 ? lseek(fd, 0, SEEK_END) : -1;
	g_autofree guint8 *buf = NULL;
	if (size > 0 && size % sizeof(struct sock_filter) == 0 && size <= 65536) {
		buf = g_malloc((gsize)size);
		if (pread(fd, buf, (gsize)size, 0) != size)
			size = -1;
	} else {
		size = -1;
	}
	if (fd >= 0)
		close(fd);
	if (size < 0) {
		g_set_error(error, DP_ERROR, DP_EXIT_OSERR, "cannot export the seccomp filter: %s",
		            g_strerror(rc < 0 ? -rc : EIO));
		return FALSE;
	}
	prog_len = (gsize)size / sizeof(struct sock_filter);
	prog_code = (struct sock_filter *)g_steal_pointer(&buf);
	return TRUE;
}

gboolean
dp_sandbox_enter(GError **error)
{
	if (!dp_sandbox_prepare(error))
		return FALSE;
	/* Put this process's pid into its copy of the program (see above). */
	guint patched = 0;
	for (gsize i = 0; i < prog_len; i++) {
		if (prog_code[i].code == (BPF_JMP | BPF_JEQ | BPF_K) && prog_code[i].k == PID_PLACEHOLDER) {
			prog_code[i].k = (guint32)getpid();
			patched++;
		}
	}
	/* kill and tgkill share one compare block when libseccomp merges them. */
	if (patched == 0) {
		g_set_error(error, DP_ERROR, DP_EXIT_OSERR, "cannot place the pid in the seccomp filter");
		return FALSE;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		int e = errno;
		g_set_error(error, DP_ERROR, DP_EXIT_OSERR, "cannot set no_new_privs: %s", g_strerror(e));
		return FALSE;
	}
	struct sock_fprog prog = { (unsigned short)prog_len, prog_code };
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0) {
		int e = errno;
		g_set_error(error, DP_ERROR, DP_EXIT_OSERR, "cannot load the seccomp filter: %s", g_strerror(e));
		return FALSE;
	}
	return TRUE;
}
